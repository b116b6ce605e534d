"""rnnbook.show.stepper: what 18-3's stepper hands the page, checked against Keras.

The page's script computes s_t = tanh(x_t U + s_{t-1} W + b) and
o_t = softmax(s_t V + c) from the exported weights; here 18-2's NumPy pass
does the same from the payload (read back from the HTML, as the page reads it,
tests/stepping.py) and must give Keras' own numbers. The browser's side: tests/test_stepper_page.py.
"""

import json
import re

import keras
import numpy as np
import pytest
from stepping import page_forward

from rnnbook.experiments.hello_sentence import SENTENCE, TinyRun, one_hot, train_tiny
from rnnbook.show.language import set_language
from rnnbook.show.stepper import (FORMAT, MAX_STEPS, WEIGHT_NAMES, Stepper, exported_weights,
                             keras_trace, stepper_widget)

CHANGED = "healo, I am And"          # the first "l" of the inputs made an "a"


@pytest.fixture(scope="module")
def run():
    return train_tiny(SENTENCE, state_size=8, updates=5, seed=1)


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language(None)


def payload_in_html(html: str) -> dict:
    """The JSON the page's script reads, from the widget's HTML."""
    found = re.search(r'<script type="application/json" class="hello-stepper-data">(.*?)</script>',
                      html, re.S)
    assert found, html[:300]
    return json.loads(found[1])


def keras_model_states(run, text):
    """States and distributions from run.model itself (a sub-model to its SimpleRNN's output)."""
    inputs = one_hot(text, run.vocab)[np.newaxis]
    to_states = keras.Model(run.model.inputs[0], run.model.layers[0].output)
    return np.asarray(to_states(inputs))[0], np.asarray(run.model(inputs))[0]


@pytest.mark.parametrize("text", [SENTENCE[:-1], CHANGED, "I am"], ids=["default", "changed",
                                                                        "short"])
def test_the_exported_weights_give_the_keras_model_s_numbers(run, text):
    payload = payload_in_html(stepper_widget(run)._repr_html_())
    states, distributions = page_forward(payload, text)
    keras_states, keras_distributions = keras_model_states(run, text)
    assert states.shape == (len(text), 8) and distributions.shape == (len(text), len(run.vocab))
    np.testing.assert_allclose(states, keras_states, atol=1e-5, rtol=0)
    np.testing.assert_allclose(distributions, keras_distributions, atol=1e-5, rtol=0)


def test_the_payload_holds_keras_own_numbers_for_the_default_inputs(run):
    payload = stepper_widget(run).payload()
    assert payload["format"] == FORMAT
    assert payload["inputs"] == SENTENCE[:-1] and payload["sentence"] == SENTENCE
    assert payload["vocabulary"] == run.vocab and payload["stateSize"] == 8
    keras_states, keras_distributions = keras_model_states(run, SENTENCE[:-1])
    # Exactly the float32 numbers Keras computed: each written as the shortest decimal of it.
    assert np.array_equal(np.array(payload["keras"]["states"], dtype=np.float32), keras_states)
    assert np.array_equal(np.array(payload["keras"]["distributions"], dtype=np.float32),
                          keras_distributions)
    np.testing.assert_allclose(keras_distributions, run.distributions(), atol=1e-6)


def test_the_weights_are_keras_own_float32_numbers_in_the_page_s_layout(run):
    recurrent, dense = run.model.layers
    weights = exported_weights(run)
    expected = [*recurrent.get_weights(), *dense.get_weights()]
    assert list(weights) == ["U", "W", "b", "V", "c"]
    for (name, value), keras_value in zip(weights.items(), expected):
        assert value.dtype == np.float32 and np.array_equal(value, keras_value), name
    payload = stepper_widget(run).payload()
    for name in WEIGHT_NAMES:
        assert np.array_equal(np.array(payload["weights"][name], dtype=np.float32),
                              weights[name]), name


def test_keras_trace_is_the_model_s_own_pass(run):
    trace = stepper_widget(run).trace(CHANGED)
    states, distributions = keras_model_states(run, CHANGED)
    assert trace.inputs == CHANGED
    np.testing.assert_allclose(trace.states, states, atol=1e-6)
    np.testing.assert_allclose(trace.distributions, distributions, atol=1e-6)
    # Changing the third input leaves the first two states alone and moves every later one.
    original = keras_trace(run, SENTENCE[:-1])
    moved = np.linalg.norm(trace.states - original.states, axis=1)
    assert np.all(moved[:2] == 0) and np.all(moved[2:] > 0)


def test_the_html_is_the_widget_s_marker_and_says_where_it_runs(run):
    html = stepper_widget(run)._repr_html_()
    assert html.startswith('<div class="hello-stepper"')
    assert "stepper_widget(run).trace" in html and "web page" in html
    set_language("zh-TW")
    html = stepper_widget(run)._repr_html_()
    assert 'lang="zh-TW"' in html and "網頁" in html and 'lang="en"' not in html


def test_in_the_build_the_html_speaks_both_languages_each_in_its_span(run):
    set_language("all")
    html = stepper_widget(run)._repr_html_()
    fallback = html[html.index("</script>"):]
    spans = re.findall(r'<span class="rnnbook-text" lang="([^"]+)">', fallback)
    assert sorted(set(spans)) == ["en", "zh-TW"]
    text = re.sub(r'<span class="rnnbook-text" lang="[^"]+">.*?</span>', "", fallback, flags=re.S)
    assert re.sub(r"<[^>]+>", "", text).strip() == ""          # no words outside a language


def test_the_plain_text_says_where_it_runs_in_the_language(run):
    widget = stepper_widget(run)
    assert repr(widget).startswith("The unrolled RNN on 'hello, I am And': 15 steps")
    assert "web page" in str(widget)
    set_language("zh-TW")
    assert "網頁" in repr(widget) and "15個時間步" in str(widget)


def test_a_vocabulary_character_that_breaks_html_is_escaped_in_the_json():
    run = train_tiny("a</script>&b", state_size=2, updates=0)
    html = stepper_widget(run)._repr_html_()
    assert html.count("</script>") == 1
    assert payload_in_html(html)["sentence"] == "a</script>&b"


def test_a_text_the_reader_would_type_is_accepted(run):
    assert stepper_widget(run, CHANGED).inputs == CHANGED
    assert isinstance(stepper_widget(run), Stepper)


@pytest.mark.parametrize("run_like", [None, "hello", object()], ids=["none", "str", "object"])
def test_anything_but_a_tiny_run_is_a_type_error(run_like):
    with pytest.raises(TypeError, match="TinyRun that rnnbook.experiments.hello_sentence.train_tiny returns"):
        stepper_widget(run_like)


@pytest.mark.parametrize("text, error, message", [
    ("hello, Bob", ValueError, r"\['B', 'b'\] that are not in the model's vocabulary"),
    ("", ValueError, f"1 to {MAX_STEPS} characters"),
    ("h" * (MAX_STEPS + 1), ValueError, f"1 to {MAX_STEPS} characters to step through, got {MAX_STEPS + 1}"),
    (42, TypeError, "text must be a str, got int"),
])
def test_a_text_the_model_cannot_read_is_a_clear_error(run, text, error, message):
    with pytest.raises(error, match=message):
        stepper_widget(run, text)
    with pytest.raises(error, match=message):
        stepper_widget(run).trace(text)


def test_a_model_other_than_train_tiny_s_is_a_value_error(run):
    relu = keras.Sequential([keras.Input((None, len(run.vocab))),
                             keras.layers.SimpleRNN(3, activation="relu", return_sequences=True),
                             keras.layers.Dense(len(run.vocab), activation="softmax")])
    with pytest.raises(ValueError, match="tanh and a bias"):
        stepper_widget(TinyRun(run.text, run.vocab, relu, []))
    deeper = keras.Sequential([keras.Input((None, len(run.vocab))),
                               keras.layers.SimpleRNN(3, return_sequences=True),
                               keras.layers.SimpleRNN(3, return_sequences=True),
                               keras.layers.Dense(len(run.vocab), activation="softmax")])
    with pytest.raises(ValueError, match="SimpleRNN followed by one Dense layer"):
        stepper_widget(TinyRun(run.text, run.vocab, deeper, []))

"""18-3's tiny character model: pairs, one-hot inputs, summed loss, and it learns."""

import numpy as np
import pytest
import tensorflow as tf

from rnnbook.experiments.hello_sentence import (
    SENTENCE,
    char_pairs,
    one_hot,
    summed_cross_entropy,
    train_tiny,
    vocabulary,
)


def test_pairs_follow_the_seed():
    assert char_pairs("hello")[:2] == [("h", "e"), ("e", "l")]
    assert len(char_pairs(SENTENCE)) == len(SENTENCE) - 1


def test_one_hot_rows():
    vocab = vocabulary("hello")
    assert vocab == ["e", "h", "l", "o"]
    rows = one_hot("hel", vocab)
    assert rows.tolist() == [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 0]]


def test_summed_loss_is_the_sum_of_per_step_cross_entropies():
    predicted = tf.constant([[[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]]])
    expected = tf.constant([[0, 0, 1]])
    by_hand = -(np.log(0.5) + np.log(0.9) + np.log(0.8))
    assert float(summed_cross_entropy(expected, predicted)) == pytest.approx(by_hand, rel=1e-5)


def test_tiny_model_learns_to_write_the_sentence_again():
    run = train_tiny("hello, I am Andy", updates=200)
    assert run.losses[-1] < 0.05 * run.losses[0]
    assert run.generate("h", len(run.text) - 1) == run.text
    distributions = run.distributions()
    assert distributions.shape == (len(run.text) - 1, len(run.vocab))
    np.testing.assert_allclose(distributions.sum(axis=1), 1.0, rtol=1e-5)


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="at least 2 characters"):
        char_pairs("h")
    with pytest.raises(ValueError, match=r"characters \['z'\] are not in the vocabulary"):
        one_hot("hz", ["h"])
    with pytest.raises(ValueError, match="updates must be an integer >= 0"):
        train_tiny(updates=-1)
    with pytest.raises(ValueError, match="non-empty string"):
        vocabulary("")


def test_character_plots():
    from rnnbook.show.plots import distribution_heatmap, loss_curve_plot

    run = train_tiny("hello", updates=20)
    figure = distribution_heatmap(run.distributions(), run.vocab, run.text).figure("en")
    assert len(figure.axes[0].patches) == 4       # one outline per expected character
    assert loss_curve_plot(run.losses).figure("en").axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="must have shape"):
        distribution_heatmap(np.zeros((2, 2)), run.vocab, run.text)
    with pytest.raises(ValueError, match="positive numbers"):
        loss_curve_plot([])


@pytest.fixture(scope="module")
def untrained():
    return train_tiny("hello", state_size=4, updates=0)


def test_generate_with_length_zero_gives_the_prompt_back(untrained):
    assert untrained.generate("he", 0) == "he"
    assert len(untrained.generate("h", np.int64(3))) == 4


@pytest.mark.parametrize("first, error, message", [
    ("", ValueError, r"first must hold at least one character to continue from "
                     r"\(any of \['e', 'h', 'l', 'o'\]\), got an empty string"),
    (None, TypeError, "first must be a str of characters to continue from, got NoneType None"),
    (["h"], TypeError, r"first must be a str .* got list \['h'\]"),
    ("hz", ValueError, r"characters \['z'\] are not in the vocabulary"),
])
def test_generate_rejects_a_bad_prompt(untrained, first, error, message):
    with pytest.raises(error, match=message):
        untrained.generate(first, 3)


@pytest.mark.parametrize("length, error, message", [
    (2.5, TypeError, r"got float 2\.5"),
    ("3", TypeError, "got str '3'"),
    (True, TypeError, "got bool True"),
    (None, TypeError, "got NoneType None"),
    (-1, ValueError, "got -1"),
])
def test_generate_rejects_a_bad_length(untrained, length, error, message):
    with pytest.raises(error, match=r"length must be an integer >= 0, " + message):
        untrained.generate("h", length)


@pytest.mark.parametrize("updates, error", [(-1, ValueError), (1.0, TypeError), (False, TypeError)])
def test_train_tiny_rejects_a_bad_number_of_updates(updates, error):
    with pytest.raises(error, match=r"updates must be an integer >= 0, got"):
        train_tiny("hello", updates=updates)

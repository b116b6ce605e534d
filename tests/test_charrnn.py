"""The character model of 18-3: vocabulary, windows, model, training, evaluation, sampling."""

import json
import re

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up lines)

import h5py
import numpy as np
import pytest

from rnnbook import charrnn
from rnnbook.charrnn import (PRESETS, UNKNOWN, CharRNNConfig, StepModel, Vocabulary,
                             build_model, evaluate, hidden_activations, load, make_dataset,
                             next_char_distribution, sample, train)
from rnnbook.corpus import Corpus, play_text

TINY = PRESETS["tiny"]


@pytest.fixture(scope="module")
def small_corpus():
    return Corpus(train=play_text("Twelfth Night")[:6000],
                  validation=play_text("Macbeth")[:1500],
                  train_plays=("Twelfth Night",), validation_plays=("Macbeth",))


@pytest.fixture(scope="module")
def trained(small_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny")
    metrics = train(TINY, small_corpus, out)
    model, vocab, _ = load(out)
    return out, metrics, model, vocab


def _untrained(cell, layers=2, text="PANDARUS:\nAlas, I think he shall be come"):
    config = CharRNNConfig(cell=cell, embedding_dim=8, units=12, layers=layers, seq_len=8,
                           batch_size=4)
    vocab = Vocabulary.from_text(text)
    return build_model(config, len(vocab)), vocab


# --- vocabulary -----------------------------------------------------------------------------

def test_vocabulary_round_trip():
    vocab = Vocabulary.from_text("hello")
    assert vocab.characters == UNKNOWN + "ehlo" and len(vocab) == 5
    ids = vocab.encode("hello")
    assert ids.tolist() == [2, 1, 3, 3, 4] and ids.dtype == np.int32
    assert vocab.decode(ids) == "hello" and vocab.decode([]) == ""
    assert Vocabulary.from_json(vocab.to_json()) == vocab
    assert "h" in vocab and "z" not in vocab


def test_unknown_characters_error_or_placeholder():
    vocab = Vocabulary.from_text("hello")
    with pytest.raises(ValueError, match=r"outside the vocabulary: \['!', 'p'\]"):
        vocab.encode("help!")
    ids = vocab.encode("help!", unknown="replace")
    assert ids.tolist() == [2, 1, 3, 0, 0]
    assert vocab.decode(ids) == "hel\ufffd\ufffd"
    assert vocab.unknown_characters("help!") == ["!", "p"]


def test_bad_vocabulary_input():
    with pytest.raises(ValueError, match="must start with the placeholder"):
        Vocabulary("abc")
    with pytest.raises(ValueError, match=r"must be distinct, these repeat: \['a'\]"):
        Vocabulary(UNKNOWN + "aba")
    with pytest.raises(ValueError, match="must not be empty"):
        Vocabulary.from_text("")
    vocab = Vocabulary.from_text("hello")
    with pytest.raises(TypeError, match="text must be a str"):
        vocab.encode(["h"])
    with pytest.raises(ValueError, match="unknown must be 'error' or 'replace'"):
        vocab.encode("h", unknown="skip")
    with pytest.raises(ValueError, match=r"ids must be in 0..4, got \[-1, 9\]"):
        vocab.decode([1, 9, -1])
    with pytest.raises(ValueError, match="1-D sequence of integers"):
        vocab.decode([0.5])
    with pytest.raises(ValueError, match="not a vocabulary JSON document"):
        Vocabulary.from_json('{"characters": "abc"}')
    with pytest.raises(ValueError, match="not a vocabulary JSON document"):
        Vocabulary.from_json("hello")


# --- windows --------------------------------------------------------------------------------

def test_windows_are_shifted_by_one_character():
    vocab = Vocabulary.from_text("hello")
    config = CharRNNConfig(seq_len=4, batch_size=1)
    inputs, targets = next(iter(make_dataset(vocab.encode("hello"), config, shuffle=False)))
    assert vocab.decode(inputs.numpy()[0]) == "hell"            # ("h", "e"), ("e", "l"), ...
    assert vocab.decode(targets.numpy()[0]) == "ello"


def test_every_window_in_order_or_shuffled():
    ids = np.arange(1, 43)                                      # 42 ids: 10 windows of 4 (+1)
    config = CharRNNConfig(seq_len=4, batch_size=3, seed=1)
    ordered = list(make_dataset(ids, config, shuffle=False))
    assert [len(x) for x, _ in ordered] == [3, 3, 3, 1]
    inputs = np.concatenate([x.numpy() for x, _ in ordered])   # (10, 4)
    targets = np.concatenate([y.numpy() for _, y in ordered])
    assert inputs[:, 0].tolist() == list(range(1, 41, 4))
    assert np.array_equal(targets, inputs + 1)
    stream = make_dataset(ids, config, shuffle=True).take(7)    # repeats, full batches
    seen = set()
    for x, y in stream:
        assert x.shape == (3, 4) and np.array_equal(y.numpy(), x.numpy() + 1)
        seen |= set(x.numpy()[:, 0].tolist())
    assert seen == set(range(1, 41, 4))


# --- model ----------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_model_output_shape(cell):
    model, vocab = _untrained(cell)
    logits = model.predict_on_batch(np.zeros((3, 7), np.int32))
    assert logits.shape == (3, 7, len(vocab))                    # (B, T, V)
    assert [layer.name for layer in model.layers if layer.name.startswith("rnn_")] == \
        ["rnn_0", "rnn_1"]


# --- training, saving, evaluation -----------------------------------------------------------

def test_tiny_training_loss_falls_and_files_are_written(trained, small_corpus):
    out, metrics, _, _ = trained
    assert sorted(p.name for p in out.iterdir()) == ["metrics.json", "model.weights.h5",
                                                    "vocab.json"]
    assert metrics == json.loads((out / "metrics.json").read_text())
    with h5py.File(out / "model.weights.h5") as weights:      # the model's weights alone
        assert "optimizer" not in weights and "layers" in weights
    assert len(metrics["train_loss"]) == len(metrics["validation_loss"]) == TINY.epochs
    assert metrics["train_loss"][-1] < metrics["train_loss"][0] < np.log(metrics[
        "vocabulary_size"]) + 0.2
    assert metrics["validation_loss"][-1] < metrics["validation_loss"][0]
    assert metrics["config"] == CharRNNConfig.from_dict(metrics["config"]).__dict__
    assert metrics["corpus_digest"] == small_corpus.digest
    assert metrics["validation_plays"] == ["Macbeth"]
    assert metrics["parameters"] > 0 and metrics["characters_per_second"] > 0
    assert metrics["validation_characters_evaluated"] == 512
    for key in ("keras_version", "tensorflow_version", "total_seconds"):
        assert metrics[key]


def test_load_and_evaluate_reproduce_the_recorded_loss(trained, small_corpus):
    _, metrics, model, vocab = trained
    loss = evaluate(model, vocab, small_corpus.validation, TINY)
    assert loss == pytest.approx(metrics["final_validation_loss"], abs=1e-4)


def test_training_is_seeded(trained, small_corpus, tmp_path):
    _, first, _, _ = trained
    again = train(TINY, small_corpus, tmp_path)
    assert again["train_loss"] == first["train_loss"]
    assert again["validation_loss"] == first["validation_loss"]


# --- reading and writing --------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_one_step_model_matches_the_full_sequence_model(cell):
    model, vocab = _untrained(cell)
    text = "PANDARUS:\nAlas, I think"
    full = next_char_distribution(model, vocab, text)            # (T, V)
    step = StepModel(model)
    stepwise = np.array([charrnn._softmax(step(int(i))) for i in vocab.encode(text)])
    assert full.shape == stepwise.shape == (len(text), len(vocab))
    np.testing.assert_allclose(stepwise, full, atol=1e-5)
    np.testing.assert_allclose(full.sum(axis=1), 1.0, atol=1e-9)
    last_h = np.asarray(step.states[1][0])[0]                    # h_T of layer 1
    np.testing.assert_allclose(hidden_activations(model, vocab, text, layer=1)[-1], last_h,
                               atol=1e-5)


def test_hidden_activations_shape():
    model, vocab = _untrained("lstm")
    h = hidden_activations(model, vocab, "Alas, I think", layer=0)
    assert h.shape == (13, 12) and np.all(np.abs(h) < 1)
    with pytest.raises(ValueError, match=r"layer must be an integer in 0..1 .* got 2"):
        hidden_activations(model, vocab, "Alas", layer=2)


def test_sample_is_seeded_and_starts_with_the_prompt(trained):
    _, _, model, vocab = trained
    first = sample(model, vocab, "P", 40, temperature=0.8, seed=3)
    assert first == sample(model, vocab, "P", 40, temperature=0.8, seed=3)
    assert first != sample(model, vocab, "P", 40, temperature=0.8, seed=4)
    assert first.startswith("P") and len(first) == 41
    assert UNKNOWN not in first
    assert sample(model, vocab, "PANDARUS:", 0) == "PANDARUS:"
    assert len(sample(model, vocab, "He", 15, top_k=3)) == 17


def test_top_k_1_is_the_greedy_continuation(trained):
    _, _, model, vocab = trained
    text = "VIOLA:\n"
    for _ in range(12):
        probabilities = next_char_distribution(model, vocab, text)[-1]
        probabilities[0] = 0.0                                   # "�" is never written
        text += vocab.characters[int(np.argmax(probabilities))]
    assert sample(model, vocab, "VIOLA:\n", 12, top_k=1, seed=0) == text
    assert sample(model, vocab, "VIOLA:\n", 12, top_k=1, seed=9) == text


def test_bad_sampling_input_is_explained(trained):
    _, _, model, vocab = trained
    with pytest.raises(ValueError, match="temperature must be a positive number"):
        sample(model, vocab, "P", 5, temperature=0)
    with pytest.raises(ValueError, match="temperature must be a positive number"):
        sample(model, vocab, "P", 5, temperature=-1.0)
    with pytest.raises(ValueError, match="top_k must be None or an integer >= 1"):
        sample(model, vocab, "P", 5, top_k=0)
    with pytest.raises(ValueError, match="length must be an integer >= 0"):
        sample(model, vocab, "P", -1)
    with pytest.raises(ValueError, match="prompt must not be empty"):
        sample(model, vocab, "", 5)
    with pytest.raises(ValueError, match=r"outside the model's vocabulary: \['\$', '€'\]"):
        sample(model, vocab, "P€$", 5)
    with pytest.raises(TypeError, match="prompt must be a str"):
        sample(model, vocab, 80, 5)
    with pytest.raises(TypeError, match="vocab must be a Vocabulary"):
        sample(model, "abc", "P", 5)
    with pytest.raises(ValueError, match="use the vocabulary the model was trained with"):
        sample(model, Vocabulary.from_text("xyz"), "x", 5)
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        next_char_distribution("model", vocab, "P")


def test_bad_config_and_training_input_is_explained(small_corpus, tmp_path):
    with pytest.raises(ValueError, match=r"cell must be one of \('lstm', 'gru'\)"):
        CharRNNConfig(cell="rnn")
    with pytest.raises(ValueError, match="units must be a positive integer"):
        CharRNNConfig(units=0)
    with pytest.raises(TypeError, match="seq_len must be a positive integer"):
        CharRNNConfig(seq_len=10.0)
    with pytest.raises(ValueError, match=r"dropout must be a number in \[0.0, 1.0\)"):
        CharRNNConfig(dropout=1.0)
    with pytest.raises(ValueError, match="learning_rate must be a positive number"):
        CharRNNConfig(learning_rate=0)
    with pytest.raises(ValueError, match="validation_chars must be a positive integer"):
        CharRNNConfig(validation_chars=0)
    with pytest.raises(ValueError, match=r"unknown CharRNNConfig fields \['hidden'\]"):
        CharRNNConfig.from_dict({"hidden": 3})
    with pytest.raises(TypeError, match="config must be a CharRNNConfig"):
        make_dataset(np.arange(50), "tiny")
    with pytest.raises(ValueError, match="at least seq_len \\+ 1 = 17 characters"):
        make_dataset(np.arange(10), TINY)
    with pytest.raises(ValueError, match="ids must be a 1-D array of character ids"):
        make_dataset(np.zeros((2, 40), np.int32), TINY)
    with pytest.raises(ValueError, match="vocab_size must be a positive integer"):
        build_model(TINY, 0)
    with pytest.raises(TypeError, match="corpus must be an rnnbook.corpus.Corpus"):
        train(TINY, "some text", tmp_path)
    short = Corpus(small_corpus.train, "Too short.", ("a",), ("b",))
    with pytest.raises(ValueError, match="at least seq_len \\+ 1"):
        train(TINY, short, tmp_path)
    with pytest.raises(FileNotFoundError, match="train a model first"):
        load(tmp_path / "nothing here")


def test_command_line(small_corpus, tmp_path, capsys, monkeypatch):
    # The commands read the whole corpus; a few KB of it keep this test fast.
    monkeypatch.setattr(charrnn, "load_shakespeare", lambda validation_plays=None: small_corpus)
    out = str(tmp_path / "cli")
    assert charrnn.main(["train", "--preset", "tiny", "--out", out, "--epochs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "epoch   1/1  train " in printed and "validation" in printed and "done:" in printed
    assert charrnn.main(["evaluate", "--weights", out]) == 0
    printed = capsys.readouterr().out
    difference = re.search(r"difference ([-+.e0-9]+)\)", printed)
    assert difference and abs(float(difference[1])) < 1e-4 and "warning" not in printed
    assert charrnn.main(["sample", "--weights", out, "--prompt", "P", "--length", "30",
                         "--temperature", "0.8", "--top-k", "10"]) == 0
    written = capsys.readouterr().out
    assert written.startswith("P") and len(written) == 32     # "P", 30 characters, "\n"
    with pytest.raises(SystemExit):
        charrnn.main(["train", "--preset", "huge", "--out", out])

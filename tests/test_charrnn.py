"""The character model of 18-3: vocabulary, windows, model, training, evaluation, sampling."""

import inspect
import io
import json
import os
import re
import shutil
import sys
from dataclasses import replace

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up lines)

import h5py
import numpy as np
import pytest

from rnnbook.charrnn import (MAX_SAMPLE_LENGTH, PRESETS, UNKNOWN, CharRNNConfig, StepModel,
                             Vocabulary, build_model, evaluate, file_sha256, generate,
                             hidden_activations, load, make_dataset, next_char_distribution,
                             sample, train)
from rnnbook.charrnn import cli, sampling, storage
from rnnbook.data.shakespeare import Corpus, play_text
from rnnbook.rnn.equations import softmax

TINY = PRESETS["tiny"]


@pytest.fixture(scope="module")
def small_corpus():
    return Corpus(train=play_text("Twelfth Night")[:6000],
                  validation=play_text("Macbeth")[:1500],
                  train_plays=("Twelfth Night",), validation_plays=("Macbeth",))


@pytest.fixture(scope="module")
def trained(small_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny")
    metrics = train(TINY, small_corpus, out).metrics
    loaded = load(out)
    return out, metrics, loaded.model, loaded.vocab


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

@pytest.mark.parametrize("cell", ["gru", "lstm"])
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
    assert metrics["config"]["cell"] == "gru"                  # the cell the book ships
    assert metrics["corpus_digest"] == small_corpus.digest
    assert metrics["validation_plays"] == ["Macbeth"]
    assert metrics["parameters"] > 0 and metrics["characters_per_second"] > 0
    assert metrics["validation_characters_evaluated"] == 512
    for key in ("keras_version", "tensorflow_version", "total_seconds"):
        assert metrics[key]


def test_load_and_evaluate_reproduce_the_recorded_loss(trained, small_corpus):
    out, metrics, _, _ = trained
    loaded = load(out)
    assert loaded.config == TINY and loaded.metrics == metrics
    loss = evaluate(loaded.model, loaded.vocab, small_corpus.validation, loaded.config)
    assert loss == pytest.approx(metrics["final_validation_loss"], abs=1e-4)


def test_training_is_seeded_and_returns_the_model_it_would_save(trained, small_corpus):
    _, first, model, vocab = trained
    again = train(TINY, small_corpus)                           # no folder: nothing written
    assert again.metrics["train_loss"] == first["train_loss"]
    assert again.metrics["validation_loss"] == first["validation_loss"]
    assert "sha256" not in again.metrics and again.config == TINY and again.vocab == vocab
    assert sample(again.model, again.vocab, "P", 40, seed=2) == sample(model, vocab, "P", 40,
                                                                        seed=2)


def test_the_default_and_every_preset_train_the_book_s_gru():
    # The browser runs only GRUs (booktools.extensions.model_export), and the tests train TINY:
    # a preset of another cell would leave the shipped cell untested.
    assert CharRNNConfig().cell == "gru"
    assert {name: config.cell for name, config in PRESETS.items()} == {
        "tiny": "gru", "demo": "gru", "shipped": "gru"}


def test_the_tiny_model_is_a_keras_gru(trained):
    _, _, model, _ = trained
    assert [type(layer).__name__ for layer in model.layers if layer.name.startswith("rnn_")] \
        == ["GRU"]


def test_an_lstm_model_trains_saves_loads_and_samples(small_corpus, tmp_path):
    # The LSTM is a supported cell (CELLS): the same round trip as the GRU's, one epoch.
    config = replace(TINY, cell="lstm", epochs=1)
    metrics = train(config, small_corpus, tmp_path).metrics
    loaded = load(tmp_path)
    assert loaded.config == config and metrics["config"]["cell"] == "lstm"
    assert [type(layer).__name__ for layer in loaded.model.layers
            if layer.name.startswith("rnn_")] == ["LSTM"]
    loss = evaluate(loaded.model, loaded.vocab, small_corpus.validation, loaded.config)
    assert loss == pytest.approx(metrics["final_validation_loss"], abs=1e-4)
    assert sample(loaded.model, loaded.vocab, "P", 10, seed=1).startswith("P")


# --- reading and writing --------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_one_step_model_matches_the_full_sequence_model(cell):
    model, vocab = _untrained(cell)
    text = "PANDARUS:\nAlas, I think"
    full = next_char_distribution(model, vocab, text)            # (T, V)
    step = StepModel(model)
    states, stepwise = step.initial_states(), []
    for char_id in vocab.encode(text):
        logits, states = step.advance(int(char_id), states)
        stepwise.append(softmax(logits))
    stepwise = np.array(stepwise)
    assert full.shape == stepwise.shape == (len(text), len(vocab))
    np.testing.assert_allclose(stepwise, full, atol=1e-5)
    np.testing.assert_allclose(full.sum(axis=1), 1.0, atol=1e-9)
    last_h = np.asarray(states[1][0])[0]                         # h_T of layer 1
    np.testing.assert_allclose(hidden_activations(model, vocab, text, layer=1)[-1], last_h,
                               atol=1e-5)


@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_hidden_activations_shape(cell):
    model, vocab = _untrained(cell)
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


@pytest.mark.parametrize("arguments, error, message", [
    (dict(temperature=0), ValueError, r"temperature must be a finite number > 0, got 0\.0"),
    (dict(temperature=-1.0), ValueError, r"temperature must be a finite number > 0, got -1\.0"),
    (dict(temperature=float("nan")), ValueError,
     "temperature must be a finite number > 0, got nan"),
    (dict(temperature=float("inf")), ValueError,
     "temperature must be a finite number > 0, got inf"),
    (dict(temperature="hot"), TypeError, "temperature must be a finite number > 0, got str"),
    (dict(temperature=1e-320), ValueError, r"temperature 1e-320 is too small for this model"),
    (dict(top_k=0), ValueError, r"top_k must be a positive integer \(>= 1\), got 0"),
    (dict(top_k=2.5), TypeError, "top_k must be a positive integer, got float"),
    (dict(length=-1), ValueError, "length must be an integer >= 0, got -1"),
    (dict(length=MAX_SAMPLE_LENGTH + 1), ValueError,
     rf"length must be at most {MAX_SAMPLE_LENGTH:,} characters \(MAX_SAMPLE_LENGTH\), "
     rf"got {MAX_SAMPLE_LENGTH + 1:,}"),
    (dict(seed=-1), ValueError, "seed must be an integer >= 0, got -1"),
    (dict(seed=1.5), TypeError, "seed must be an integer >= 0, got float"),
    (dict(prompt=""), ValueError, "prompt must not be empty"),
    (dict(prompt="P€$"), ValueError, r"outside the model's vocabulary: \['\$', '€'\]"),
    (dict(prompt=80), TypeError, "prompt must be a str"),
])
def test_bad_sampling_input_is_explained(trained, arguments, error, message):
    _, _, model, vocab = trained
    arguments = dict(dict(prompt="P", length=5), **arguments)
    with pytest.raises(error, match=message):
        sample(model, vocab, **arguments)
    with pytest.raises(error, match=message):      # at the call, before any character
        generate(model, vocab, **arguments)


def test_a_model_and_vocabulary_that_do_not_belong_together_are_refused(trained):
    _, _, model, vocab = trained
    with pytest.raises(TypeError, match="vocab must be a Vocabulary"):
        sample(model, "abc", "P", 5)
    with pytest.raises(ValueError, match="use the vocabulary the model was trained with"):
        sample(model, Vocabulary.from_text("xyz"), "x", 5)
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        next_char_distribution("model", vocab, "P")


def test_the_most_likely_character_needs_no_temperature(trained):
    _, _, model, vocab = trained
    greedy = sample(model, vocab, "VIOLA:\n", 12, top_k=1)
    assert sample(model, vocab, "VIOLA:\n", 12, temperature=1e-320, top_k=1) == greedy


def test_bad_config_and_training_input_is_explained(small_corpus, tmp_path):
    with pytest.raises(ValueError, match=r"cell must be one of \('gru', 'lstm'\)"):
        CharRNNConfig(cell="rnn")
    with pytest.raises(ValueError, match="units must be a positive integer"):
        CharRNNConfig(units=0)
    with pytest.raises(TypeError, match="seq_len must be a positive integer"):
        CharRNNConfig(seq_len=10.0)
    with pytest.raises(ValueError, match=r"dropout must be a number in \[0.0, 1.0\)"):
        CharRNNConfig(dropout=1.0)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
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
    with pytest.raises(TypeError, match="corpus must be an rnnbook.data.shakespeare.Corpus"):
        train(TINY, "some text", tmp_path)
    short = Corpus(small_corpus.train, "Too short.", ("a",), ("b",))
    with pytest.raises(ValueError, match="at least seq_len \\+ 1"):
        train(TINY, short, tmp_path)
    with pytest.raises(FileNotFoundError, match="train a model first"):
        load(tmp_path / "nothing here")


def test_command_line(small_corpus, tmp_path, capsys, monkeypatch):
    # The commands read the whole corpus; a few KB of it keep this test fast.
    monkeypatch.setattr(cli, "load_shakespeare", lambda validation_plays=None: small_corpus)
    out = str(tmp_path / "cli")
    assert cli.main(["train", "--preset", "tiny", "--out", out, "--epochs", "1"]) == 0
    printed = capsys.readouterr().out
    assert "epoch   1/1  train " in printed and "validation" in printed and "done:" in printed
    assert cli.main(["evaluate", "--weights", out]) == 0
    printed = capsys.readouterr().out
    difference = re.search(r"difference ([-+.e0-9]+)\)", printed)
    assert difference and abs(float(difference[1])) < 1e-4 and "warning" not in printed
    assert cli.main(["sample", "--weights", out, "--prompt", "P", "--length", "30",
                         "--temperature", "0.8", "--top-k", "10"]) == 0
    written = capsys.readouterr().out
    assert written.startswith("P") and len(written) == 32     # "P", 30 characters, "\n"


def test_checks_run_before_the_algorithm_which_gets_the_checked_arguments(trained):
    _, _, model, vocab = trained
    assert len(sample(model, vocab, "P", np.int64(5), seed=np.int64(1))) == 6
    assert list(inspect.signature(generate).parameters) == [
        "model", "vocab", "prompt", "length", "temperature", "top_k", "seed"]
    for function in (build_model, generate, sample, next_char_distribution, hidden_activations):
        source = inspect.getsource(function)                     # as a page may quote it
        assert f"def {function.__name__}(" in source and "raise " not in source


# --- top-k, streaming, the length limit -----------------------------------------------------

def test_top_k_keeps_exactly_k_characters_when_scores_tie():
    logits = np.array([9.0, 1.0, 3.0, 3.0, 3.0, 2.0])             # id 0 ("�") never counts
    for k in (1, 2, 3, 4):
        probabilities = sampling._distribution(logits, temperature=1.0, top_k=k)
        assert np.count_nonzero(probabilities) == k
        assert probabilities.sum() == pytest.approx(1.0)
    assert np.flatnonzero(sampling._distribution(logits, 1.0, top_k=2)).tolist() == [2, 3]
    assert np.count_nonzero(sampling._distribution(logits, 1.0, top_k=None)) == 5


def test_top_k_samples_among_exactly_k_characters_of_a_model_whose_scores_all_tie():
    model, vocab = _untrained("gru")
    output = model.get_layer("logits")
    output.set_weights([np.zeros_like(w) for w in output.get_weights()])  # every logit 0
    written = sample(model, vocab, "P", 200, top_k=2, seed=0)[1:]
    assert set(written) == set(vocab.characters[1:3])


def test_generate_yields_the_characters_of_sample_one_at_a_time(trained):
    _, _, model, vocab = trained
    arguments = dict(prompt="He", length=25, temperature=0.9, top_k=10, seed=5)
    characters = generate(model, vocab, **arguments)
    first = next(characters)
    assert isinstance(first, str) and len(first) == 1
    other = generate(model, vocab, **dict(arguments, seed=6))   # interleaved: its own state
    assert len("".join(other)) == 25
    assert "He" + first + "".join(characters) == sample(model, vocab, **arguments)


def test_sample_command_prints_each_character_as_it_is_drawn(trained, monkeypatch):
    out, _, _, _ = trained
    stdout = _FlushRecorder()
    monkeypatch.setattr(sys, "stdout", stdout)
    printed_before_each_draw = []
    real_generate = cli.generate

    def watched_generate(*args, **kwargs):
        for character in real_generate(*args, **kwargs):
            printed_before_each_draw.append(stdout.flushed[-1])
            yield character

    monkeypatch.setattr(cli, "generate", watched_generate)
    assert cli.main(["sample", "--weights", str(out), "--prompt", "P", "--length", "20"]) == 0
    text = stdout.getvalue()
    assert len(text) == 22 and text.endswith("\n")         # "P", 20 characters, "\n"
    assert printed_before_each_draw == [text[:i + 1] for i in range(20)]


class _FlushRecorder(io.StringIO):
    """A stdout that remembers what had been written at each flush."""

    def __init__(self):
        super().__init__()
        self.flushed = [""]

    def flush(self):
        self.flushed.append(self.getvalue())


def test_a_reader_that_stops_reading_ends_the_command_quietly(trained, tmp_path, monkeypatch,
                                                              capsys):
    out, _, _, _ = trained
    stdout = _ClosedAfter(10, open(tmp_path / "stdout", "w"))
    monkeypatch.setattr(sys, "stdout", stdout)
    assert cli.main(["sample", "--weights", str(out), "--length", "200"]) == 1
    stdout.file.close()
    assert capsys.readouterr().err == ""


class _ClosedAfter(io.StringIO):
    """A stdout whose reader goes away (``| head -c 10``) after ``size`` characters."""

    def __init__(self, size, file):
        super().__init__()
        self.size, self.file = size, file

    def write(self, text):
        if self.tell() + len(text) > self.size:
            raise BrokenPipeError(32, "Broken pipe")
        return super().write(text)

    def fileno(self):
        return self.file.fileno()


def test_the_length_limit_is_stated_and_reachable(capsys):
    assert sampling.sampling_settings(MAX_SAMPLE_LENGTH, 1.0, None, 0)[0] == MAX_SAMPLE_LENGTH
    with pytest.raises(SystemExit) as stop:
        cli.main(["sample", "--help"])
    assert stop.value.code == 0
    assert f"0 to {MAX_SAMPLE_LENGTH:,}" in capsys.readouterr().out


# --- the model folder: digests, refusals, all-or-nothing writes -----------------------------

def _copy_model(trained_folder, destination):
    return shutil.copytree(trained_folder, destination)


def _flip_a_byte(path, offset=-100):
    data = bytearray(path.read_bytes())
    data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def _edit_metrics(folder, edit):
    metrics = json.loads((folder / "metrics.json").read_text())
    edit(metrics)
    (folder / "metrics.json").write_text(json.dumps(metrics))


def _drop_digests(folder):
    _edit_metrics(folder, lambda metrics: metrics.pop("sha256"))


def test_metrics_record_the_sha256_of_weights_and_vocabulary(trained):
    out, metrics, _, _ = trained
    assert metrics["sha256"] == {name: file_sha256(out / name)
                                 for name in ("model.weights.h5", "vocab.json")}


def test_a_folder_without_digests_still_loads(trained, tmp_path, small_corpus, monkeypatch,
                                              capsys):
    folder = _copy_model(trained[0], tmp_path / "older")
    _drop_digests(folder)
    assert "sha256" not in load(folder).metrics
    monkeypatch.setattr(cli, "load_shakespeare", lambda validation_plays=None: small_corpus)
    assert cli.main(["evaluate", "--weights", str(folder)]) == 0
    assert "records no SHA-256" in capsys.readouterr().out


def _swap_vocabulary(folder):
    (folder / "vocab.json").write_text(Vocabulary.from_text("abc").to_json() + "\n")


def _change_units(folder):
    _drop_digests(folder)
    _edit_metrics(folder, lambda metrics: metrics["config"].update(units=17))


def _truncate_weights(folder):
    _drop_digests(folder)
    path = folder / "model.weights.h5"
    path.write_bytes(path.read_bytes()[:100])


def _break_digests(folder):
    _edit_metrics(folder, lambda metrics: metrics.update(sha256="abc"))


#: A damaged model folder: how to damage a copy, the error load raises, the message.
DAMAGED_FOLDERS = {
    "flipped byte": (lambda folder: _flip_a_byte(folder / "model.weights.h5"), ValueError,
                     r"model\.weights\.h5 does not match the SHA-256 recorded in "
                     r"metrics\.json: .* retrain or restore the file"),
    "swapped vocabulary": (_swap_vocabulary, ValueError,
                           r"vocab\.json does not match the SHA-256 recorded in metrics\.json"),
    "vocabulary mismatch, no digests": (
        lambda folder: (_drop_digests(folder), _swap_vocabulary(folder)), ValueError,
        r"model\.weights\.h5 does not fit the model that metrics\.json and vocab\.json "
        r"describe \(1 gru layer\(s\) of 16 units, 4 characters\)"),
    "config mismatch, no digests": (_change_units, ValueError,
                                    r"does not fit the model .* of 17 units"),
    "truncated weights, no digests": (_truncate_weights, ValueError,
                                      r"model\.weights\.h5 is not a readable weights file"),
    "metrics not JSON": (lambda folder: (folder / "metrics.json").write_text("{"), ValueError,
                         r"metrics\.json is not a JSON document"),
    "metrics without config": (lambda folder: _edit_metrics(folder, lambda m: m.pop("config")),
                               ValueError, r"metrics\.json lacks config"),
    "bad sha256 entry": (_break_digests, ValueError, r'metrics\.json has a "sha256" entry'),
    "vocabulary not JSON": (lambda folder: (_drop_digests(folder),
                                            (folder / "vocab.json").write_text("abc")),
                            ValueError, r"vocab\.json is not a vocabulary"),
    "missing vocabulary": (lambda folder: (folder / "vocab.json").unlink(), FileNotFoundError,
                           r"is missing vocab\.json: train a model first"),
}


@pytest.mark.parametrize("damage", DAMAGED_FOLDERS)
def test_a_damaged_model_folder_is_refused(trained, tmp_path, damage, capsys):
    folder = _copy_model(trained[0], tmp_path / "damaged")
    spoil, error, message = DAMAGED_FOLDERS[damage]
    spoil(folder)
    with pytest.raises(error, match=message):
        load(folder)
    assert cli.main(["sample", "--weights", str(folder)]) == 2
    _assert_one_error_line(capsys, message)


def _assert_one_error_line(capsys, message):
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1, captured.err
    assert re.search(message, captured.err), captured.err
    assert captured.out == ""


def _must_not_train(record):
    raise AssertionError("training started before the output folder was checked")


@pytest.mark.parametrize("present", ["model.weights.h5", "vocab.json", "metrics.json"])
def test_train_refuses_to_replace_a_model(trained, small_corpus, tmp_path, present):
    folder = tmp_path / "model"
    folder.mkdir()
    shutil.copy(trained[0] / present, folder / present)
    with pytest.raises(FileExistsError, match=rf"already holds a model \({re.escape(present)}\)"
                                              r": replace it with --force"):
        train(TINY, small_corpus, folder, progress=_must_not_train)
    assert [p.name for p in folder.iterdir()] == [present]


@pytest.mark.parametrize("where", ["under a file", "a file"])
def test_train_checks_that_it_can_write_before_training(small_corpus, tmp_path, where):
    a_file = tmp_path / "a file"
    a_file.write_text("not a folder")
    out = a_file / "model" if where == "under a file" else a_file
    with pytest.raises(OSError, match="cannot write a model to"):
        train(TINY, small_corpus, out, progress=_must_not_train)
    with pytest.raises(ValueError, match="out_dir must name a folder, got ''"):
        train(TINY, small_corpus, "", progress=_must_not_train)


def test_an_exception_while_saving_leaves_the_old_model_whole(trained, small_corpus, tmp_path,
                                                              monkeypatch):
    folder = _copy_model(trained[0], tmp_path / "model")
    old_metrics = trained[1]

    def save_half_then_fail(model, config, path):
        path.write_bytes(b"half a weights file")
        raise OSError("No space left on device")

    monkeypatch.setattr(storage, "_save_weights", save_half_then_fail)
    with pytest.raises(OSError, match="No space left"):
        train(replace(TINY, epochs=1, seed=1), small_corpus, folder, overwrite=True)
    assert sorted(p.name for p in folder.iterdir()) == sorted(storage.MODEL_FILES)
    assert load(folder).metrics == old_metrics


def test_a_crash_between_two_moves_is_caught_by_the_digest(trained, small_corpus, tmp_path,
                                                           monkeypatch):
    folder = _copy_model(trained[0], tmp_path / "model")
    real_replace, moved = os.replace, []

    def move_the_weights_then_crash(source, destination):
        if moved:
            raise OSError("killed")
        moved.append(destination)
        real_replace(source, destination)

    monkeypatch.setattr(storage.os, "replace", move_the_weights_then_crash)
    with pytest.raises(OSError, match="killed"):
        train(replace(TINY, epochs=1, seed=1), small_corpus, folder, overwrite=True)
    monkeypatch.undo()
    assert moved == [folder / "model.weights.h5"]
    with pytest.raises(ValueError, match=r"model\.weights\.h5 does not match the SHA-256"):
        load(folder)


def test_force_replaces_a_model(trained, small_corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "load_shakespeare", lambda validation_plays=None: small_corpus)
    folder = _copy_model(trained[0], tmp_path / "model")
    command = ["train", "--preset", "tiny", "--out", str(folder), "--epochs", "1"]
    assert cli.main(command) == 2
    _assert_one_error_line(capsys, r"already holds a model .* --force")
    assert load(folder).metrics == trained[1]
    assert cli.main(command + ["--force"]) == 0
    assert len(load(folder).metrics["validation_loss"]) == 1
    assert sorted(p.name for p in folder.iterdir()) == sorted(storage.MODEL_FILES)


# --- the command's mistakes: one line on stderr, exit status 2 ------------------------------

#: Arguments ("{model}": a trained folder, "{file}": a regular file), and what stderr says.
BAD_COMMANDS = [
    (["sample", "--weights", "{model}", "--temperature", "0"],
     r"--temperature must be a finite number > 0, got 0\.0"),
    (["sample", "--weights", "{model}", "--temperature", "-2"],
     r"--temperature must be a finite number > 0, got -2\.0"),
    (["sample", "--weights", "{model}", "--temperature", "nan"],
     "--temperature must be a finite number > 0, got nan"),
    (["sample", "--weights", "{model}", "--temperature", "inf"],
     "--temperature must be a finite number > 0, got inf"),
    (["sample", "--weights", "{model}", "--temperature", "1e-320"],
     "temperature 1e-320 is too small for this model"),
    (["sample", "--weights", "{model}", "--length", "-1"], "--length must be an integer >= 0"),
    (["sample", "--weights", "{model}", "--length", str(MAX_SAMPLE_LENGTH + 1)],
     f"--length must be at most {MAX_SAMPLE_LENGTH:,} characters"),
    (["sample", "--weights", "{model}", "--top-k", "0"],
     r"--top-k must be a positive integer \(>= 1\), got 0"),
    (["sample", "--weights", "{model}", "--seed", "-1"], "--seed must be an integer >= 0, got -1"),
    (["sample", "--weights", "{model}", "--prompt", ""], "--prompt must not be empty"),
    (["sample", "--weights", "{model}", "--prompt", "P€$"],
     r"--prompt has characters outside the model's vocabulary: \['\$', '€'\]"),
    (["sample", "--weights", "{model}", "--length", "ten"],
     "argument --length: invalid int value: 'ten'"),
    (["sample", "--weights", "{model}/nothing"], r"nothing is not a folder: train a model first"),
    (["sample", "--weights", ""], "--weights must name a folder, got ''"),
    (["evaluate", "--weights", "{file}"], "is not a folder: train a model first"),
    (["train", "--preset", "tiny", "--out", "{model}"], r"already holds a model .* --force"),
    (["train", "--preset", "tiny", "--out", "{file}/model"], "cannot write a model to"),
    (["train", "--preset", "tiny", "--out", ""], "--out must name a folder, got ''"),
    (["train", "--preset", "tiny", "--out", "{model}", "--epochs", "0"],
     r"--epochs must be a positive integer \(>= 1\), got 0"),
    (["train", "--preset", "tiny", "--out", "{model}", "--epochs", "-3"],
     r"--epochs must be a positive integer \(>= 1\), got -3"),
    (["train", "--preset", "huge", "--out", "{model}"], "argument --preset: invalid choice"),
    ([], "the following arguments are required: command"),
]


@pytest.mark.parametrize("arguments, message", BAD_COMMANDS)
def test_a_mistake_on_the_command_line_is_one_line_and_status_2(trained, tmp_path, monkeypatch,
                                                                capsys, arguments, message):
    def corpus_must_not_be_read(validation_plays=None):
        raise AssertionError("the corpus was read before the arguments were checked")

    monkeypatch.setattr(cli, "load_shakespeare", corpus_must_not_be_read)
    a_file = tmp_path / "a file"
    a_file.write_text("not a folder")
    arguments = [a.format(model=trained[0], file=a_file) for a in arguments]
    assert cli.main(arguments) == 2
    _assert_one_error_line(capsys, message)

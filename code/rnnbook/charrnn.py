"""The character model of section 18-3 (the RNN text generator), in Keras.

The model reads a text one character at a time. At every time step it gets
the current character and is asked for the next one, "h" -> "e", "e" -> "l",
... (:func:`make_dataset`); the loss is the cross-entropy of those guesses,
summed over the time steps, in nats per character. Once trained, it writes:
give it a first character (the seed's "P") and feed each character it picks
back in as the next input (:func:`sample`).

    ids (B, T) -> Embedding -> LSTM/GRU x layers -> Dense -> logits (B, T, V)

Training (:func:`train`) writes three files to a folder, which :func:`load`
reads back: ``model.weights.h5`` (weights only), ``vocab.json`` and
``metrics.json``. The validation loss recorded there is measured by
:func:`evaluate` on a fixed slice of held-out plays, so it can be measured
again, exactly, at any time.

``metrics.json`` also records the SHA-256 of the other two files, and
:func:`load` refuses a folder whose files do not match it (a damaged or
swapped file); a folder written before the digests were recorded loads
unchecked. :func:`train` writes the three files all or nothing, and does not
replace a model unless asked to (``overwrite=True``, ``--force``).

Command line::

    python -m rnnbook.charrnn train --preset shipped --out weights/shakespeare [--force]
    python -m rnnbook.charrnn evaluate --weights weights/shakespeare
    python -m rnnbook.charrnn sample --weights weights/shakespeare --prompt P --length 500

A mistake of the command's user (a bad argument, a missing or damaged model
folder) is printed as one line, ``error: ...``, on stderr, with exit status 2.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import numbers
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from functools import partial
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from rnnbook._checks import finite_positive_float, folder_path, non_negative_int, positive_int
from rnnbook.corpus import Corpus, load_shakespeare

UNKNOWN = "\ufffd"          # "�": id 0, stands for any character outside the vocabulary
CELLS = ("lstm", "gru")
WEIGHTS_FILE = "model.weights.h5"
VOCAB_FILE = "vocab.json"
METRICS_FILE = "metrics.json"
#: The files of a model folder, in the order train moves them into place: metrics.json,
#: which holds the other two's SHA-256, last.
MODEL_FILES = (WEIGHTS_FILE, VOCAB_FILE, METRICS_FILE)
#: The key of metrics.json that maps WEIGHTS_FILE and VOCAB_FILE to their SHA-256 (hex).
DIGESTS_KEY = "sha256"
#: The most characters sample() writes in one call: about two minutes at the shipped
#: model's pace on a 2-core CPU.
MAX_SAMPLE_LENGTH = 100_000
#: The shipped model, found from the package (pages run in any working directory:
#: the book's build, Binder, Thebe's kernel at the repository root, Colab).
SHIPPED_WEIGHTS = Path(__file__).resolve().parents[2] / "weights" / "shakespeare"
_VOCAB_FORMAT = "rnnbook.charrnn.Vocabulary/1"
#: What load() needs of metrics.json, and what the evaluate command reads.
_REQUIRED_METRICS = ("config", "corpus_digest", "validation_plays", "final_validation_loss")


# --- mistakes of the caller -----------------------------------------------------------------

class UserError(Exception):
    """A caller's mistake, explained in one line (18-3): not a bug.

    Each one is also the built-in exception a Python caller expects (a
    ValueError, FileNotFoundError, ...). The command prints it as
    ``error: <message>`` on stderr and exits with status 2; any other
    exception is a bug, and keeps its traceback.
    """


class BadArgument(UserError, ValueError):
    """An argument out of its range, e.g. a temperature so small that softmax overflows."""


class ModelNotFoundError(UserError, FileNotFoundError):
    """A model folder without one of the three files that train writes."""


class ModelFolderError(UserError, ValueError):
    """A model folder that cannot be loaded: damaged, swapped or mismatched files."""


class ModelExistsError(UserError, FileExistsError):
    """train was asked to write a model where one is, without ``overwrite=True``."""


class FolderNotWritableError(UserError, OSError):
    """train cannot write into the folder it was given."""


# --- vocabulary -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Vocabulary:
    """Characters and their ids; id 0 is always :data:`UNKNOWN` ("�").

    ``Vocabulary.from_text(text)`` numbers the distinct characters of ``text``
    in sorted order, from 1. What happens to a character outside the
    vocabulary is explicit: :meth:`encode` raises (``unknown="error"``) or
    maps it to id 0 (``unknown="replace"``).
    """

    characters: str

    def __post_init__(self) -> None:
        if not isinstance(self.characters, str):
            raise TypeError(f"characters must be a str, got {type(self.characters).__name__}")
        if not self.characters.startswith(UNKNOWN):
            raise ValueError(f"characters must start with the placeholder {UNKNOWN!r} (id 0), "
                             f"got {self.characters[:10]!r}...")
        if len(set(self.characters)) != len(self.characters):
            doubled = sorted({c for c in self.characters if self.characters.count(c) > 1})
            raise ValueError(f"characters must be distinct, these repeat: {doubled}")
        object.__setattr__(self, "_ids", {c: i for i, c in enumerate(self.characters)})

    @classmethod
    def from_text(cls, text: str) -> Vocabulary:
        """The placeholder, then the distinct characters of ``text``, sorted."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text:
            raise ValueError("text must not be empty: a vocabulary needs characters")
        return cls(UNKNOWN + "".join(sorted(set(text) - {UNKNOWN})))

    def __len__(self) -> int:
        return len(self.characters)

    def __contains__(self, character: object) -> bool:
        return character in self._ids

    def unknown_characters(self, text: str) -> list[str]:
        """The distinct characters of ``text`` that are not in the vocabulary, sorted."""
        return sorted(set(_text("text", text)) - self._ids.keys())

    def encode(self, text: str, unknown: str = "error") -> np.ndarray:
        """Ids of the characters of ``text``, shape (T,) int32.

        ``unknown="error"`` raises a ValueError naming characters outside the
        vocabulary; ``unknown="replace"`` maps them to id 0 ("�").
        """
        if unknown not in ("error", "replace"):
            raise ValueError(f"unknown must be 'error' or 'replace', got {unknown!r}")
        missing = self.unknown_characters(text)
        if missing and unknown == "error":
            raise ValueError(f"text has characters outside the vocabulary: {missing}; "
                             f"pass unknown='replace' to map them to {UNKNOWN!r} (id 0)")
        ids = self._ids
        return np.fromiter((ids.get(c, 0) for c in text), dtype=np.int32, count=len(text))

    def decode(self, ids) -> str:
        """The text of a sequence of ids, shape (T,)."""
        array = np.asarray(ids)
        if array.size == 0:
            return ""
        if array.ndim != 1 or not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"ids must be a 1-D sequence of integers, got shape {array.shape} "
                             f"and dtype {array.dtype}")
        bad = sorted({int(i) for i in array[(array < 0) | (array >= len(self))]})
        if bad:
            raise ValueError(f"ids must be in 0..{len(self) - 1}, got {bad}")
        return "".join(self.characters[i] for i in array)

    def to_json(self) -> str:
        return json.dumps({"format": _VOCAB_FORMAT, "characters": self.characters},
                          ensure_ascii=True)

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        try:
            data = json.loads(text)
        except (TypeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a vocabulary JSON document: {error}") from None
        if not isinstance(data, dict) or data.get("format") != _VOCAB_FORMAT:
            raise ValueError(f"not a vocabulary JSON document: expected format "
                             f"{_VOCAB_FORMAT!r}, got {str(data)[:80]!r}")
        return cls(data.get("characters"))


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    return value


# --- configuration --------------------------------------------------------------------------

@dataclass(frozen=True)
class CharRNNConfig:
    """The model and its training, section 18-3.

    An epoch is ``steps_per_epoch`` batches of ``batch_size`` windows of
    ``seq_len`` characters. Adam's learning rate decays from
    ``learning_rate`` to ``learning_rate * final_lr_fraction`` along a cosine
    over the whole run; gradients are clipped to a global norm of
    ``clip_norm``. ``dropout`` is applied to the output of each recurrent
    layer during training. The validation loss is measured on the first
    ``validation_chars`` characters of the validation text (None: all of it),
    see :func:`evaluate`.
    """

    cell: str = "lstm"
    embedding_dim: int = 64
    units: int = 256
    layers: int = 2
    dropout: float = 0.0
    seq_len: int = 100
    batch_size: int = 128
    learning_rate: float = 2e-3
    final_lr_fraction: float = 0.05
    clip_norm: float = 1.0
    epochs: int = 10
    steps_per_epoch: int = 100
    validation_chars: int | None = None
    seed: int = 0

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}, got {self.cell!r}")
        for name in ("embedding_dim", "units", "layers", "seq_len", "batch_size", "epochs",
                     "steps_per_epoch"):
            positive_int(name, getattr(self, name))
        if self.validation_chars is not None:
            positive_int("validation_chars", self.validation_chars)
        _real_in("dropout", self.dropout, 0.0, 1.0, high_open=True)
        _real_in("final_lr_fraction", self.final_lr_fraction, 0.0, 1.0)
        for name in ("learning_rate", "clip_norm"):
            value = getattr(self, name)
            if not _is_real(value) or value <= 0:
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral) \
                or self.seed < 0:
            raise ValueError(f"seed must be an integer >= 0, got {self.seed!r}")

    @property
    def total_steps(self) -> int:
        return self.epochs * self.steps_per_epoch

    @property
    def characters_per_epoch(self) -> int:
        return self.steps_per_epoch * self.batch_size * self.seq_len

    @classmethod
    def from_dict(cls, data: dict) -> CharRNNConfig:
        """The config of a metrics file (``metrics["config"]``); unknown keys are an error."""
        if not isinstance(data, dict):
            raise TypeError(f"data must be a dict, got {type(data).__name__}")
        names = {f.name for f in fields(cls)}
        extra = sorted(set(data) - names)
        if extra:
            raise ValueError(f"unknown CharRNNConfig fields {extra}; expected some of "
                             f"{sorted(names)}")
        return cls(**data)


def _is_real(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) \
        and math.isfinite(value)


def _real_in(name: str, value: object, low: float, high: float, high_open=False) -> None:
    inside = _is_real(value) and low <= value and (value < high if high_open else value <= high)
    if not inside:
        bracket = ")" if high_open else "]"
        raise ValueError(f"{name} must be a number in [{low}, {high}{bracket}, got {value!r}")


#: "tiny": the tests (seconds). "demo": the live demo a page trains (about 40 s on a
#: 2-core CPU, already names in capitals and line breaks). "shipped": the model behind
#: the page's samples (about 25 min on the same CPU:
#: ``python -m rnnbook.charrnn train --preset shipped --out weights/shakespeare``).
#: Chosen from short runs on this corpus: at equal size and time a GRU learnt faster
#: than an LSTM (validation 1.84 vs 2.08 nats/char after 120 steps); 128 windows of
#: 100 characters beat 256 in equal time; 8e-3 beat 5e-3 and 3e-3. About 0.8M
#: parameters (3.3 MB of weights) suit what 30 minutes of this CPU can train.
PRESETS = {
    "tiny": CharRNNConfig(embedding_dim=8, units=16, layers=1, seq_len=16, batch_size=8,
                          learning_rate=1e-2, epochs=2, steps_per_epoch=10,
                          validation_chars=512),
    "demo": CharRNNConfig(cell="gru", embedding_dim=32, units=256, layers=1, seq_len=100,
                          batch_size=128, learning_rate=6e-3, epochs=3, steps_per_epoch=25,
                          validation_chars=25_600),
    "shipped": CharRNNConfig(cell="gru", embedding_dim=64, units=288, layers=2, dropout=0.0,
                             seq_len=100, batch_size=128, learning_rate=8e-3,
                             epochs=8, steps_per_epoch=150),
}


# --- data -----------------------------------------------------------------------------------

def make_dataset(ids, config: CharRNNConfig, shuffle: bool = True) -> tf.data.Dataset:
    """(inputs (B, T), targets (B, T)) windows of ``ids``; targets are inputs shifted by one.

    The text is cut into non-overlapping windows of ``seq_len + 1`` ids; the
    input is the first ``seq_len``, the target the last ``seq_len``: at each
    time step, the character read and the character expected next.
    ``shuffle=True`` is the training stream: windows in a new random order
    each pass (seeded), repeated forever, full batches only.
    ``shuffle=False`` gives every window once, in order (the last batch may be
    smaller): the evaluation stream.
    """
    _check_config(config)
    windows = _windows(ids, config.seq_len, shuffle)                  # (N, T + 1)
    data = tf.data.Dataset.from_tensor_slices(windows)
    if shuffle:
        data = data.shuffle(len(windows), seed=config.seed, reshuffle_each_iteration=True)
        data = data.repeat().batch(config.batch_size, drop_remainder=True)
    else:
        data = data.batch(config.batch_size)
    return data.map(_split_window).prefetch(tf.data.AUTOTUNE)


def _windows(ids, seq_len: int, need_batch: bool = False) -> np.ndarray:
    array = np.asarray(ids)
    if array.ndim != 1 or (array.size and not np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"ids must be a 1-D array of character ids (Vocabulary.encode), "
                         f"got shape {array.shape} and dtype {array.dtype}")
    count = (len(array) - 1) // seq_len
    if count < 1:
        raise ValueError(f"ids must hold at least seq_len + 1 = {seq_len + 1} characters "
                         f"to make one window, got {len(array)}")
    starts = np.arange(count)[:, None] * seq_len
    return array[starts + np.arange(seq_len + 1)].astype(np.int32)   # (N, T + 1)


def _split_window(window):
    return window[:, :-1], window[:, 1:]                               # (B, T), (B, T)


# --- the model ------------------------------------------------------------------------------

def build_model(config: CharRNNConfig, vocab_size: int) -> keras.Model:
    """Embedding -> ``layers`` x LSTM/GRU (every h_t) -> Dense logits, for any length T.

    Layers are named ``embedding``, ``rnn_0`` .. ``rnn_{layers-1}`` and
    ``logits``; :class:`StepModel` and :func:`hidden_activations` find them by
    name. Not compiled.
    """
    _check_config(config)
    vocab_size = positive_int("vocab_size", vocab_size)
    recurrent = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[config.cell]
    ids = keras.Input(shape=(None,), dtype="int32", name="ids")               # (B, T)
    # N(0, 1) embeddings, as a one-hot input has length 1: Keras' default (uniform within
    # +-0.05) starves the recurrent layers of signal, and the loss sits at the unigram
    # entropy (~3.3 nats/char) for the first hundred or so steps.
    x = keras.layers.Embedding(vocab_size, config.embedding_dim, name="embedding",
                               embeddings_initializer=keras.initializers.RandomNormal(
                                   stddev=1.0, seed=config.seed))(ids)
    for i in range(config.layers):                                            # (B, T, E)
        x = recurrent(config.units, return_sequences=True, name=f"rnn_{i}")(x)  # (B, T, H)
        if config.dropout:
            x = keras.layers.Dropout(config.dropout, name=f"dropout_{i}")(x)
    logits = keras.layers.Dense(vocab_size, name="logits")(x)                 # (B, T, V)
    model = keras.Model(ids, logits, name=f"char_{config.cell}")
    # On CPU the recurrent layers run as a tf.while_loop (cuDNN needs a GPU); XLA made
    # that loop's backward pass slower here, and would recompile for every new length.
    model.jit_compile = False
    return model


def parameter_count(model: keras.Model) -> int:
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))


def _rnn_layers(model: keras.Model) -> list[keras.layers.Layer]:
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model from build_model() or load(), "
                        f"got {type(model).__name__}")
    layers = [layer for layer in model.layers if layer.name.startswith("rnn_")]
    if not layers:
        raise ValueError(f"model {model.name!r} has no rnn_0.. layers: build it with "
                         f"build_model()")
    return layers


# --- evaluation -----------------------------------------------------------------------------

_CACHE = "__rnnbook_cache__"


def _function(model: keras.Model, name: str, make):
    """``make()``, built once per model and kept with it (traced tf.functions, sub-models).

    Kept in a dunder attribute set with ``object.__setattr__``: Keras tracks what is
    assigned to a layer (a sub-model would become part of ``model``), and its weight
    files walk every attribute except dunder ones. The cache dies with the model.
    """
    cache = model.__dict__.get(_CACHE)
    if cache is None:
        cache = {}
        object.__setattr__(model, _CACHE, cache)
    if name not in cache:
        cache[name] = make()
    return cache[name]


def evaluation_ids(vocab: Vocabulary, text: str, config: CharRNNConfig) -> np.ndarray:
    """The fixed validation slice: the first ``validation_chars + 1`` characters, as ids.

    Characters outside the vocabulary become id 0 ("�").
    """
    text = _text("text", text)
    _check_config(config)
    if config.validation_chars is not None:
        text = text[:config.validation_chars + 1]
    return vocab.encode(text, unknown="replace")


def evaluate(model: keras.Model, vocab: Vocabulary, text: str, config: CharRNNConfig) -> float:
    """Mean cross-entropy (nats/char) of ``model`` on the fixed slice of ``text``.

    The slice (:func:`evaluation_ids`) is cut into non-overlapping windows of
    ``seq_len`` characters, each read from a zero state, in order, with no
    dropout; every target character of every whole window counts once.
    """
    _check_model_vocab(model, vocab)
    windows = _windows(evaluation_ids(vocab, text, config), config.seq_len)   # (N, T + 1)

    def make():
        @tf.function(reduce_retracing=True)
        def summed_loss(inputs, targets):
            logits = model(inputs, training=False)                           # (B, T, V)
            losses = keras.losses.sparse_categorical_crossentropy(
                targets, logits, from_logits=True)                          # (B, T)
            return tf.reduce_sum(tf.cast(losses, tf.float64))
        return summed_loss

    summed_loss = _function(model, "summed_loss", make)
    total = 0.0
    for start in range(0, len(windows), config.batch_size):
        batch = windows[start:start + config.batch_size]
        total += float(summed_loss(batch[:, :-1], batch[:, 1:]))
    return total / (windows.shape[0] * config.seq_len)


# --- training -------------------------------------------------------------------------------

def train(config: CharRNNConfig, corpus: Corpus, out_dir, progress=None, *,
          overwrite: bool = False) -> dict:
    """Train a character model on ``corpus.train``; write weights, vocabulary and metrics.

    ``progress`` (optional) is called after every epoch with that epoch's
    record: ``{"epoch", "train_loss", "validation_loss", "seconds"}``
    (``seconds``: elapsed since the start). Train loss is Keras' mean over
    the epoch's batches (dropout on, weights moving); validation loss is
    :func:`evaluate` on ``corpus.validation`` after the epoch. Returns the
    metrics written to ``metrics.json``, with the SHA-256 of the other two
    files under ``"sha256"``.

    Before training, ``out_dir`` is created and a probe file written to it
    and removed, so a folder that cannot be written fails at once; a folder
    that already holds a model is refused unless ``overwrite=True``. The
    three files are written all or nothing (:func:`_write_model_folder`).
    """
    _check_config(config)
    if not isinstance(corpus, Corpus):
        raise TypeError(f"corpus must be an rnnbook.corpus.Corpus (load_shakespeare()), "
                        f"got {type(corpus).__name__}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function of one epoch record, got {progress!r}")
    vocab = Vocabulary.from_text(corpus.train)
    train_ids = vocab.encode(corpus.train)
    evaluation_windows = _windows(evaluation_ids(vocab, corpus.validation, config),
                                  config.seq_len)       # raises early if validation is too short
    out_dir = writable_model_folder(out_dir, overwrite)
    keras.utils.set_random_seed(config.seed)
    model = build_model(config, len(vocab))
    schedule = keras.optimizers.schedules.CosineDecay(
        config.learning_rate, decay_steps=config.total_steps, alpha=config.final_lr_fraction)
    model.compile(optimizer=keras.optimizers.Adam(schedule, global_clipnorm=config.clip_norm),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=False)
    recorder = _EpochRecorder(vocab, corpus.validation, config, progress)
    start = time.perf_counter()
    model.fit(make_dataset(train_ids, config), epochs=config.epochs,
              steps_per_epoch=config.steps_per_epoch, shuffle=False,  # shuffled already
              verbose=0, callbacks=[recorder])
    seconds = time.perf_counter() - start
    metrics = {
        "config": asdict(config),
        "corpus_digest": corpus.digest,
        "train_plays": list(corpus.train_plays),
        "validation_plays": list(corpus.validation_plays),
        "train_characters": len(corpus.train),
        "validation_characters_evaluated": int(evaluation_windows.shape[0] * config.seq_len),
        "vocabulary_size": len(vocab),
        "parameters": parameter_count(model),
        "epochs": recorder.records,
        "train_loss": [r["train_loss"] for r in recorder.records],
        "validation_loss": [r["validation_loss"] for r in recorder.records],
        "final_validation_loss": recorder.records[-1]["validation_loss"],
        "total_seconds": seconds,
        "training_seconds": recorder.training_seconds,
        "characters_per_second": config.epochs * config.characters_per_epoch
        / recorder.training_seconds,
        "keras_version": keras.__version__,
        "tensorflow_version": tf.__version__,
        "numpy_version": np.__version__,
    }
    return _write_model_folder(out_dir, model, config, vocab, metrics)


def writable_model_folder(out_dir, overwrite: bool = False) -> Path:
    """``out_dir`` as a Path, once it is sure that :func:`train` may write a model there.

    Refuses a folder that already holds any of :data:`MODEL_FILES` unless
    ``overwrite`` (:class:`ModelExistsError`); creates the folder and writes
    and removes a probe file (:class:`FolderNotWritableError`). Section 18-3's
    shipped model trains for 25 minutes: these mistakes are found first.
    """
    folder = folder_path("out_dir", out_dir)
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be True or False, got {overwrite!r}")
    if not overwrite:
        _refuse_existing_model(folder)
    _probe_writable(folder)
    return folder


def _refuse_existing_model(folder: Path) -> None:
    existing = [name for name in MODEL_FILES if (folder / name).exists()]
    if existing:
        raise ModelExistsError(f"{folder} already holds a model ({', '.join(existing)}): "
                               f"replace it with --force (overwrite=True in Python), or "
                               f"choose another folder")


def _probe_writable(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise FolderNotWritableError(f"cannot write a model to {folder}: it is a file, "
                                     f"not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-probe-") as probe:
            probe.write(b"can train write here?")
            probe.flush()
    except OSError as error:
        raise FolderNotWritableError(f"cannot write a model to {folder}: {error}") from None


def _write_model_folder(folder: Path, model: keras.Model, config: CharRNNConfig,
                        vocab: Vocabulary, metrics: dict) -> dict:
    """Write the three files of a model to ``folder``, all or nothing; return the metrics.

    They are written to a hidden folder inside ``folder`` (the same file
    system), then each moved into place with ``os.replace``, metrics.json
    last. An exception while writing leaves the old model whole. A crash
    between two moves leaves new weights beside the old metrics.json, whose
    SHA-256 no longer matches them, so :func:`load` refuses the pair.
    """
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    try:
        metrics = _write_model_files(staging, model, config, vocab, metrics)
        for name in MODEL_FILES:
            os.replace(staging / name, folder / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return metrics


def _write_model_files(folder: Path, model: keras.Model, config: CharRNNConfig,
                       vocab: Vocabulary, metrics: dict) -> dict:
    """Weights, vocabulary, then metrics with the SHA-256 of the first two; each synced."""
    _save_weights(model, config, folder / WEIGHTS_FILE)
    (folder / VOCAB_FILE).write_text(vocab.to_json() + "\n", encoding="utf-8")
    metrics = {**metrics, DIGESTS_KEY: {name: file_sha256(folder / name)
                                        for name in (WEIGHTS_FILE, VOCAB_FILE)}}
    (folder / METRICS_FILE).write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    for name in MODEL_FILES:
        _sync(folder / name)
    return metrics


def _sync(path: Path) -> None:
    with open(path, "rb") as file:
        os.fsync(file.fileno())


def file_sha256(path) -> str:
    """The SHA-256 of a file's bytes, in hex (as recorded in metrics.json)."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def _save_weights(model: keras.Model, config: CharRNNConfig, path: Path) -> None:
    """The model's weights alone, in Keras' ``.weights.h5`` format.

    A compiled model's ``save_weights`` also writes the optimizer's state (Adam's two
    moments: three times the size), so the weights go through an uncompiled twin.
    Keras 3.15 (TensorFlow backend) converts each variable with ``np.array(variable)``,
    whose ``__array__`` has no ``copy`` keyword, which NumPy >= 2 reports as deprecated;
    the values written are unaffected, so only that message is ignored, only here.
    """
    twin = build_model(config, model.get_layer("logits").units)
    twin.set_weights(model.get_weights())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning,
                                message=r"__array__ implementation doesn't accept a copy keyword")
        twin.save_weights(path)


class _EpochRecorder(keras.callbacks.Callback):
    """Measures the validation loss after each epoch; times training apart from evaluation."""

    def __init__(self, vocab, validation_text, config, progress):
        super().__init__()
        self._vocab = vocab
        self._text, self._config, self._progress = validation_text, config, progress
        self.records: list[dict] = []
        self.training_seconds = 0.0

    def on_train_begin(self, logs=None):
        self._start = time.perf_counter()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.training_seconds += time.perf_counter() - self._epoch_start
        record = {"epoch": epoch + 1, "train_loss": float(logs["loss"]),
                  "validation_loss": evaluate(self.model, self._vocab, self._text,
                                              self._config)}
        record["seconds"] = time.perf_counter() - self._start
        self.records.append(record)
        if self._progress is not None:
            self._progress(record)


def load(out_dir) -> tuple[keras.Model, Vocabulary, dict]:
    """The model, vocabulary and metrics that :func:`train` wrote to ``out_dir`` (18-3).

    Raises :class:`ModelNotFoundError` (a FileNotFoundError) when a file is
    missing, and :class:`ModelFolderError` (a ValueError) when one cannot be
    read, when the weights or the vocabulary do not match the SHA-256 that
    metrics.json records, or when the weights do not fit the model that
    metrics.json and vocab.json describe. A metrics.json without ``"sha256"``
    (written before digests were recorded) is loaded without that check.
    """
    folder = folder_path("out_dir", out_dir)
    _require_model_files(folder)
    metrics = _read_metrics(folder / METRICS_FILE)
    _verify_digests(folder, metrics)
    vocab = _read_vocabulary(folder / VOCAB_FILE)
    config = _recorded_config(folder / METRICS_FILE, metrics)
    return _read_weights(folder / WEIGHTS_FILE, config, vocab), vocab, metrics


def _require_model_files(folder: Path) -> None:
    train_first = f"train a model first (python -m rnnbook.charrnn train --out {folder})"
    if not folder.is_dir():
        raise ModelNotFoundError(f"{folder} is not a folder: {train_first}")
    missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelNotFoundError(f"{folder} is missing {', '.join(missing)}: {train_first}")


def _damaged(path: Path, problem: str) -> ModelFolderError:
    return ModelFolderError(f"{path} {problem}; retrain the model or restore the file")


def _read_metrics(path: Path) -> dict:
    try:
        metrics = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as error:                          # not JSON, or not UTF-8
        raise _damaged(path, f"is not a JSON document ({error})") from None
    if not isinstance(metrics, dict):
        raise _damaged(path, f"holds a {type(metrics).__name__}, not a JSON object")
    missing = [key for key in _REQUIRED_METRICS if key not in metrics]
    if missing:
        raise _damaged(path, f"lacks {', '.join(missing)}")
    return metrics


def _verify_digests(folder: Path, metrics: dict) -> None:
    """Refuse a weights or vocabulary file whose SHA-256 is not the recorded one."""
    recorded = metrics.get(DIGESTS_KEY)
    if recorded is None:
        return                                           # an older folder: loaded unchecked
    names = (WEIGHTS_FILE, VOCAB_FILE)
    if not isinstance(recorded, dict) or not all(isinstance(recorded.get(n), str)
                                                 for n in names):
        raise _damaged(folder / METRICS_FILE, f'has a "{DIGESTS_KEY}" entry that does not '
                                              f"give the SHA-256 of {' and '.join(names)}")
    for name in names:
        found = file_sha256(folder / name)
        if found != recorded[name]:
            raise ModelFolderError(
                f"{folder / name} does not match the SHA-256 recorded in {METRICS_FILE}: "
                f"recorded {recorded[name][:16]}..., found {found[:16]}...; retrain or "
                f"restore the file")


def _read_vocabulary(path: Path) -> Vocabulary:
    try:
        return Vocabulary.from_json(path.read_text(encoding="utf-8"))
    except (ValueError, TypeError) as error:
        raise _damaged(path, f"is not a vocabulary ({error})") from None


def _recorded_config(path: Path, metrics: dict) -> CharRNNConfig:
    try:
        return CharRNNConfig.from_dict(metrics["config"])
    except (ValueError, TypeError) as error:
        raise _damaged(path, f"records an invalid config ({error})") from None


def _read_weights(path: Path, config: CharRNNConfig, vocab: Vocabulary) -> keras.Model:
    """The model that ``config`` and ``vocab`` describe, with the weights of ``path``.

    Keras warns about the layers it skips before it raises for weights that
    do not fit; those warnings are dropped with the failure (the message says
    it all), and a load that works keeps its warnings.
    """
    model = build_model(config, len(vocab))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.load_weights(path)
    except OSError as error:                             # h5py: not HDF5, truncated
        problem = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise _damaged(path, f"is not a readable weights file ({problem})") from None
    except ValueError:                                   # Keras: other layers or shapes
        raise _damaged(path, f"does not fit the model that {METRICS_FILE} and {VOCAB_FILE} "
                             f"describe ({config.layers} {config.cell} layer(s) of "
                             f"{config.units} units, {len(vocab)} characters)") from None
    for warning in caught:
        warnings.warn_explicit(warning.message, warning.category, warning.filename,
                               warning.lineno)
    return model


# --- reading a text -------------------------------------------------------------------------

def _check_model_vocab(model: keras.Model, vocab: Vocabulary) -> None:
    _rnn_layers(model)
    if not isinstance(vocab, Vocabulary):
        raise TypeError(f"vocab must be a Vocabulary, got {type(vocab).__name__}")
    outputs = model.get_layer("logits").units
    if outputs != len(vocab):
        raise ValueError(f"the model predicts {outputs} characters but the vocabulary has "
                         f"{len(vocab)}: use the vocabulary the model was trained with")


def _known_ids(vocab: Vocabulary, text: str, name: str = "text") -> np.ndarray:
    text = _text(name, text)
    if not text:
        raise ValueError(f"{name} must not be empty")
    missing = vocab.unknown_characters(text)
    if missing:
        raise ValueError(f"{name} has characters outside the model's vocabulary: {missing}")
    return vocab.encode(text)


def next_char_distribution(model: keras.Model, vocab: Vocabulary, text: str) -> np.ndarray:
    """P(next character | text[:t+1]) for every position t: shape (T, V), rows sum to 1."""
    _check_model_vocab(model, vocab)
    ids = _known_ids(vocab, text)[None]                                   # (1, T)
    logits = np.asarray(model.predict_on_batch(ids), dtype=np.float64)[0]  # (T, V)
    return _softmax(logits)


def hidden_activations(model: keras.Model, vocab: Vocabulary, text: str,
                       layer: int = 0) -> np.ndarray:
    """h_t of recurrent layer ``layer`` after each character of ``text``: shape (T, units).

    For an LSTM this is its output h_t (not the cell memory c_t), in (-1, 1).
    """
    _check_model_vocab(model, vocab)
    layers = _rnn_layers(model)
    if isinstance(layer, bool) or not isinstance(layer, numbers.Integral) \
            or not 0 <= layer < len(layers):
        raise ValueError(f"layer must be an integer in 0..{len(layers) - 1} "
                         f"(the model has {len(layers)} recurrent layers), got {layer!r}")
    ids = _known_ids(vocab, text)[None]                                   # (1, T)
    reader = _function(model, f"hidden_{layer}",
                       lambda: keras.Model(model.inputs, layers[layer].output))
    return np.asarray(reader.predict_on_batch(ids), dtype=np.float64)[0]  # (T, H)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


# --- writing: one character at a time ------------------------------------------------------

class StepModel:
    """One character in, next-character logits out; the recurrent state carries the past.

    Uses the trained model's own layers (its weights, shared, not copied):
    the embedding, each recurrent layer's cell, the output Dense. Each call
    costs one time step, whatever came before: O(1) per generated character.
    """

    def __init__(self, model: keras.Model):
        self._embedding = model.get_layer("embedding")
        self._cells = [layer.cell for layer in _rnn_layers(model)]
        self._logits = model.get_layer("logits")
        self._step = tf.function(self._one_step, reduce_retracing=True)
        self.reset()

    def reset(self) -> None:
        """Back to the zero state, as at the start of a text."""
        self.states = self.initial_states()

    def initial_states(self) -> list:
        """The zero state of each recurrent layer: [(1, H), ...]."""
        return [cell.get_initial_state(1) for cell in self._cells]

    def _one_step(self, ids, states):
        x = self._embedding(ids)                                          # (1, E)
        new_states = []
        for cell, state in zip(self._cells, states):
            x, state = cell(x, state, training=False)                     # (1, H)
            new_states.append(state)
        return self._logits(x), new_states                                # (1, V)

    def __call__(self, char_id: int) -> np.ndarray:
        """Read one character id; return the logits for the next character, shape (V,)."""
        logits, self.states = self.advance(char_id, self.states)
        return logits

    def advance(self, char_id: int, states: list) -> tuple[np.ndarray, list]:
        """The logits (V,) after reading ``char_id`` in ``states``, and the states after it.

        Leaves ``self.states`` alone: each caller may carry a state of its own.
        """
        logits, states = self._step(tf.constant([char_id], tf.int32), states)
        return np.asarray(logits, dtype=np.float64)[0], states


def _step_model(model: keras.Model) -> StepModel:
    return _function(model, "step", lambda: StepModel(model))


def sample(model: keras.Model, vocab: Vocabulary, prompt: str, length: int,
           temperature: float = 1.0, top_k: int | None = None, seed: int = 0) -> str:
    """``prompt`` followed by ``length`` characters the model writes, one at a time (18-3).

    Each character is drawn from softmax(logits / temperature), among the
    ``top_k`` most likely if given (``top_k=1``: always the most likely);
    it is then read back in as the next input. The placeholder "�" is never
    written. The same ``seed`` gives the same text. ``length`` is at most
    :data:`MAX_SAMPLE_LENGTH`. :func:`generate` gives the same characters one
    by one, as they are drawn.
    """
    return prompt + "".join(generate(model, vocab, prompt, length, temperature, top_k, seed))


def generate(model: keras.Model, vocab: Vocabulary, prompt: str, length: int,
             temperature: float = 1.0, top_k: int | None = None,
             seed: int = 0) -> Iterator[str]:
    """The ``length`` characters :func:`sample` writes after ``prompt``, yielded as drawn (18-3).

    The arguments are checked, the prompt read and the first distribution
    computed when ``generate`` is called, so mistakes (including a
    temperature too small for this model) are raised then, before any
    character. Each generator carries its own recurrent state.
    """
    _check_model_vocab(model, vocab)
    ids = _known_ids(vocab, prompt, "prompt")
    length, temperature, top_k, seed = sampling_settings(length, temperature, top_k, seed)
    step = _step_model(model)
    states = step.initial_states()
    for char_id in ids:
        logits, states = step.advance(int(char_id), states)
    distribution = partial(_distribution, temperature=temperature, top_k=top_k)
    distribution(logits)
    return _drawn_characters(step, states, logits, distribution, vocab, length,
                             np.random.default_rng(seed))


def _drawn_characters(step: StepModel, states: list, logits: np.ndarray,
                      distribution: Callable[[np.ndarray], np.ndarray], vocab: Vocabulary,
                      length: int, rng: np.random.Generator) -> Iterator[str]:
    """``length`` times: draw a character from ``distribution(logits)``, yield it, read it in."""
    for written in range(1, length + 1):
        char_id = int(rng.choice(len(vocab), p=distribution(logits)))
        yield vocab.characters[char_id]
        if written < length:
            logits, states = step.advance(char_id, states)


def sampling_settings(length, temperature, top_k, seed,
                      spell: Callable[[str], str] = str) -> tuple[int, float, int | None, int]:
    """``length``, ``temperature``, ``top_k`` and ``seed`` of :func:`sample`, checked (18-3).

    ``spell`` turns an argument's name into the name a message gives it
    (the command's: ``"top_k"`` -> ``"--top-k"``).
    """
    length = non_negative_int(spell("length"), length)
    if length > MAX_SAMPLE_LENGTH:
        raise ValueError(f"{spell('length')} must be at most {MAX_SAMPLE_LENGTH:,} characters "
                         f"(MAX_SAMPLE_LENGTH), got {length:,}")
    temperature = finite_positive_float(spell("temperature"), temperature)
    if top_k is not None:
        top_k = positive_int(spell("top_k"), top_k)
    return length, temperature, top_k, non_negative_int(spell("seed"), seed)


def _distribution(logits: np.ndarray, temperature: float, top_k: int | None) -> np.ndarray:
    """The probabilities (V,) the next id is drawn from: softmax(logits / temperature).

    Kept to the ``top_k`` most likely ids (exactly k, ties to the smaller
    id); ``top_k=1`` is the most likely id, whatever the temperature. Never
    id 0 ("�"). Raises :class:`BadArgument` when the temperature is so small
    that logits / temperature overflows and softmax has no finite answer.
    """
    if not np.all(np.isfinite(logits)):
        raise ValueError("the model's logits are not finite (NaN or infinity): its weights "
                         "are damaged")
    if top_k == 1:
        return _one_hot(_most_likely(logits), len(logits))
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = logits / temperature
        scaled[0] = -np.inf                                               # never write "�"
        probabilities = _softmax(_top_k_only(scaled, top_k))
    if not np.all(np.isfinite(probabilities)):
        raise BadArgument(f"temperature {temperature!r} is too small for this model: "
                          f"logits / temperature overflows and softmax gives NaN; use a "
                          f"larger temperature, or top-k 1 for the most likely character")
    return probabilities


def _most_likely(logits: np.ndarray) -> int:
    """The id of the largest logit, "�" (id 0) aside; ties to the smaller id."""
    return 1 + int(np.argmax(logits[1:]))


def _one_hot(index: int, size: int) -> np.ndarray:
    probabilities = np.zeros(size)
    probabilities[index] = 1.0
    return probabilities


def _top_k_only(scores: np.ndarray, top_k: int | None) -> np.ndarray:
    """``scores`` with all but the ``top_k`` largest set to -inf; exactly k kept, even on ties.

    Ties go to the smaller id (a stable sort), so the draw stays seeded.
    """
    if top_k is None:
        return scores
    kept = np.argsort(-scores, kind="stable")[:top_k]
    only = np.full_like(scores, -np.inf)
    only[kept] = scores[kept]
    return only


def _check_config(config: object) -> None:
    if not isinstance(config, CharRNNConfig):
        raise TypeError(f"config must be a CharRNNConfig (e.g. PRESETS['demo']), "
                        f"got {type(config).__name__}")


# --- command line ---------------------------------------------------------------------------

def format_epoch(record: dict, epochs: int) -> str:
    """One progress line: epoch, train and validation loss (nats/char), elapsed time."""
    return (f"epoch {record['epoch']:>3}/{epochs}  train {record['train_loss']:.4f}  "
            f"validation {record['validation_loss']:.4f}  elapsed {record['seconds']:7.1f} s")


def _train_command(args) -> int:
    config = PRESETS[args.preset]
    if args.epochs is not None:
        config = replace(config, epochs=_flag(positive_int, "--epochs", args.epochs))
    out = writable_model_folder(_flag(folder_path, "--out", args.out), args.force)
    corpus = load_shakespeare()
    print(f"training preset {args.preset!r} on {len(corpus.train):,} characters; validation: "
          f"{', '.join(corpus.validation_plays)}", flush=True)
    print(f"config: {asdict(config)}", flush=True)
    metrics = train(config, corpus, out, overwrite=args.force,
                    progress=lambda record: print(format_epoch(record, config.epochs),
                                                  flush=True))
    print(f"done: validation loss {metrics['final_validation_loss']:.4f} nats/char, "
          f"{metrics['parameters']:,} parameters, {metrics['characters_per_second']:,.0f} "
          f"characters/s, {metrics['total_seconds']:.0f} s; wrote {out}", flush=True)
    return 0


def _evaluate_command(args) -> int:
    model, vocab, metrics = load(_flag(folder_path, "--weights", args.weights))
    if DIGESTS_KEY not in metrics:
        print(f"warning: {METRICS_FILE} records no SHA-256 of the weights and vocabulary "
              f"(written before digests were), so they were not checked", flush=True)
    config = CharRNNConfig.from_dict(metrics["config"])
    corpus = load_shakespeare(tuple(metrics["validation_plays"]))
    if corpus.digest != metrics["corpus_digest"]:
        print("warning: the corpus differs from the one the model was trained on", flush=True)
    loss = evaluate(model, vocab, corpus.validation, config)
    recorded = metrics["final_validation_loss"]
    print(f"validation loss {loss:.4f} nats/char (recorded {recorded:.4f}, "
          f"difference {loss - recorded:+.1e}) on {', '.join(corpus.validation_plays)}",
          flush=True)
    return 0


def _sample_command(args) -> int:
    settings = _flag(sampling_settings, args.length, args.temperature, args.top_k, args.seed,
                     _flag_name)
    model, vocab, _ = load(_flag(folder_path, "--weights", args.weights))
    _flag(_known_ids, vocab, args.prompt, "--prompt")
    _print_as_written(args.prompt, generate(model, vocab, args.prompt, *settings))
    return 0


def _print_as_written(prompt: str, characters: Iterator[str]) -> None:
    """The prompt, then each character as soon as it is drawn (flushed), then a new line."""
    print(prompt, end="", flush=True)
    for character in characters:
        print(character, end="", flush=True)
    print(flush=True)


def _flag(check: Callable, *args):
    """``check(*args)`` on the command's arguments: a ValueError or TypeError it raises is
    the user's mistake, raised again as a :class:`BadArgument` (one line, exit status 2)."""
    try:
        return check(*args)
    except (ValueError, TypeError) as error:
        raise BadArgument(str(error)) from None


def _flag_name(name: str) -> str:
    """The command's spelling of an argument of :func:`sample`: ``top_k`` -> ``--top-k``."""
    return "--" + name.replace("_", "-")


class _Parser(argparse.ArgumentParser):
    """argparse, whose mistakes are raised as :class:`BadArgument`, like the command's own."""

    def error(self, message: str):
        raise BadArgument(f"{message} (see {self.prog} --help)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m rnnbook.charrnn", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("train", help="train a preset; write weights, vocab and metrics")
    p.add_argument("--preset", choices=sorted(PRESETS), default="shipped")
    p.add_argument("--out", required=True, help="folder for the three files")
    p.add_argument("--force", action="store_true",
                   help="replace the model already in --out (refused otherwise)")
    p.add_argument("--epochs", type=int, default=None,
                   help="override the preset's epochs (an integer >= 1)")
    p.set_defaults(run=_train_command)
    p = commands.add_parser("evaluate", help="re-measure the recorded validation loss")
    p.add_argument("--weights", required=True, help="folder written by train")
    p.set_defaults(run=_evaluate_command)
    p = commands.add_parser("sample", help="write text from a prompt, as it is drawn")
    p.add_argument("--weights", required=True, help="folder written by train")
    p.add_argument("--prompt", default="P",
                   help="text to start from, in the model's vocabulary (default: P)")
    p.add_argument("--length", type=int, default=500,
                   help=f"characters to write, 0 to {MAX_SAMPLE_LENGTH:,} (default: 500)")
    p.add_argument("--temperature", type=float, default=1.0,
                   help="a finite number > 0 dividing the logits (default: 1.0)")
    p.add_argument("--top-k", type=int, default=None,
                   help="draw among the k most likely characters, k >= 1 (default: all)")
    p.add_argument("--seed", type=int, default=0, help="an integer >= 0 (default: 0)")
    p.set_defaults(run=_sample_command)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; 0 when done, 2 (and one line on stderr) for the user's mistake.

    1 when the reader of stdout stops reading (``sample ... | head``), quietly.
    """
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        _discard_stdout()
        return 1


def _discard_stdout() -> None:
    """Point stdout at the null device, so Python's last flush at exit does not fail again."""
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, sys.stdout.fileno())
    os.close(null)


if __name__ == "__main__":
    sys.exit(main())

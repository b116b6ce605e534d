"""Training and evaluation of the character model (18-3).

The model reads a text one character at a time. At every time step it gets
the current character and is asked for the next one, "h" -> "e", "e" -> "l",
... (:func:`make_dataset`); the loss is the cross-entropy of those guesses,
summed over the time steps, in nats per character. :func:`train` returns the
trained model with the record of its training, and writes it to a folder when
given one; the validation loss recorded is measured by :func:`evaluate` on a
fixed slice of held-out plays, so it can be measured again, exactly, at any
time.
"""

from __future__ import annotations

import time
from dataclasses import asdict

import keras
import numpy as np
import tensorflow as tf

from rnnbook.arguments import checked_by, string
from rnnbook.charrnn.config import CharRNNConfig, check_config
from rnnbook.charrnn.model import build_model, cached, check_model_vocab
from rnnbook.charrnn.storage import TrainedModel, writable_model_folder, write_model_folder
from rnnbook.charrnn.vocabulary import Vocabulary
from rnnbook.data.shakespeare import Corpus


# --- data -----------------------------------------------------------------------------------

def _dataset_arguments(ids, config, shuffle) -> dict:
    check_config(config)
    return {}


@checked_by(_dataset_arguments)
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
    windows = _windows(ids, config.seq_len)                               # (N, T + 1)
    data = tf.data.Dataset.from_tensor_slices(windows)
    if shuffle:
        data = data.shuffle(len(windows), seed=config.seed, reshuffle_each_iteration=True)
        data = data.repeat().batch(config.batch_size, drop_remainder=True)
    else:
        data = data.batch(config.batch_size)
    return data.map(_split_window).prefetch(tf.data.AUTOTUNE)


def _windows(ids, seq_len: int) -> np.ndarray:
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


# --- evaluation -----------------------------------------------------------------------------

def _evaluation_windows(vocab: Vocabulary, text: str, config: CharRNNConfig) -> np.ndarray:
    """The fixed validation slice, the first ``validation_chars + 1`` characters, as windows.

    Characters outside the vocabulary become id 0 ("�").
    """
    if config.validation_chars is not None:
        text = text[:config.validation_chars + 1]
    return _windows(vocab.encode(text, unknown="replace"), config.seq_len)   # (N, T + 1)


def _evaluation_arguments(model, vocab, text, config) -> dict:
    check_model_vocab(model, vocab)
    string("text", text)
    check_config(config)
    return {}


@checked_by(_evaluation_arguments)
def evaluate(model: keras.Model, vocab: Vocabulary, text: str, config: CharRNNConfig) -> float:
    """Mean cross-entropy (nats/char) of ``model`` on the fixed slice of ``text``.

    The slice (the first ``config.validation_chars + 1`` characters, or all
    of ``text``) is cut into non-overlapping windows of ``seq_len``
    characters, each read from a zero state, in order, with no dropout;
    every target character of every whole window counts once.
    """
    windows = _evaluation_windows(vocab, text, config)                   # (N, T + 1)
    summed_loss = cached(model, "summed_loss", lambda: _summed_loss(model))
    total = 0.0
    for start in range(0, len(windows), config.batch_size):
        batch = windows[start:start + config.batch_size]
        total += float(summed_loss(batch[:, :-1], batch[:, 1:]))
    return total / (windows.shape[0] * config.seq_len)


def _summed_loss(model: keras.Model):
    @tf.function(reduce_retracing=True)
    def summed_loss(inputs, targets):
        logits = model(inputs, training=False)                           # (B, T, V)
        losses = keras.losses.sparse_categorical_crossentropy(
            targets, logits, from_logits=True)                          # (B, T)
        return tf.reduce_sum(tf.cast(losses, tf.float64))
    return summed_loss


# --- training -------------------------------------------------------------------------------

def _training_arguments(config, corpus, out_dir, progress, overwrite) -> dict:
    check_config(config)
    if not isinstance(corpus, Corpus):
        raise TypeError(f"corpus must be an rnnbook.data.shakespeare.Corpus (load_shakespeare()), "
                        f"got {type(corpus).__name__}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function of one epoch record, got {progress!r}")
    return {}


@checked_by(_training_arguments)
def train(config: CharRNNConfig, corpus: Corpus, out_dir=None, progress=None, *,
          overwrite: bool = False) -> TrainedModel:
    """A character model trained on ``corpus.train``, with the record of its training.

    ``progress`` (optional) is called after every epoch with that epoch's
    record: ``{"epoch", "train_loss", "validation_loss", "seconds"}``
    (``seconds``: elapsed since the start). Train loss is Keras' mean over
    the epoch's batches (dropout on, weights moving); validation loss is
    :func:`evaluate` on ``corpus.validation`` after the epoch.

    Given ``out_dir``, the weights, vocabulary and metrics are also written
    there, all or nothing, and the metrics returned are those of
    ``metrics.json``, with the SHA-256 of the other two files under
    ``"sha256"``. Before training, ``out_dir`` is created and a probe file
    written to it and removed, so a folder that cannot be written fails at
    once; a folder that already holds a model is refused unless
    ``overwrite=True``.
    """
    vocab = Vocabulary.from_text(corpus.train)
    validation_windows = _evaluation_windows(vocab, corpus.validation, config)  # too short: now
    folder = None if out_dir is None else writable_model_folder(out_dir, overwrite)
    keras.utils.set_random_seed(config.seed)
    model = build_model(config, len(vocab))
    schedule = keras.optimizers.schedules.CosineDecay(
        config.learning_rate, decay_steps=config.total_steps, alpha=config.final_lr_fraction)
    model.compile(optimizer=keras.optimizers.Adam(schedule, global_clipnorm=config.clip_norm),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=False)
    recorder = _EpochRecorder(vocab, corpus.validation, config, progress)
    start = time.perf_counter()
    model.fit(make_dataset(vocab.encode(corpus.train), config), epochs=config.epochs,
              steps_per_epoch=config.steps_per_epoch, shuffle=False,  # shuffled already
              verbose=0, callbacks=[recorder])
    seconds = time.perf_counter() - start
    metrics = {
        "config": asdict(config),
        "corpus_digest": corpus.digest,
        "train_plays": list(corpus.train_plays),
        "validation_plays": list(corpus.validation_plays),
        "train_characters": len(corpus.train),
        "validation_characters_evaluated": int(validation_windows.shape[0] * config.seq_len),
        "vocabulary_size": len(vocab),
        "parameters": model.count_params(),
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
    if folder is not None:
        metrics = write_model_folder(folder, model, config, vocab, metrics)
    return TrainedModel(model, vocab, config, metrics)


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

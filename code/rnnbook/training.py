"""Training and comparing the MNIST classifiers of Lab 03 (RNN MNIST classification).

One function trains a model on :class:`rnnbook.mnist.MnistData` with a fixed
seed and budget and reports what the page and ``make bench`` show: the
learning curves, test accuracy, time and throughput. Another trains the
student's own step and loop, once they can run (:func:`train_your_cell`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import keras
import numpy as np
import tensorflow as tf

from rnnbook._checks import finite_positive_float, non_negative_int, positive_int
from rnnbook.cell import RECURRENT_LAYERS, build_mnist_classifier, rnn_loop, rnn_step
from rnnbook.labs.rnn_step import check_rnn_loop, check_rnn_step, trainable
from rnnbook.language import Text, show
from rnnbook.mnist import CLASSES, IMAGE_SHAPE, MnistData, normalize


@dataclass(frozen=True)
class TrainingBudget:
    """How long and how a Lab 03 model trains; the same budget for every layer compared.

    An epoch here is ``steps_per_epoch`` batches, whatever the size of the data,
    so the offline 4,000 digits and the full 60,000 cost the same time. The
    learning rate decays from ``learning_rate`` to zero along a cosine;
    ``shift`` > 0 moves each training digit by up to that many pixels at
    random (fresh every epoch), which keeps a small data set from being learnt
    by heart.
    """

    units: int = 128
    epochs: int = 40
    steps_per_epoch: int = 63
    batch_size: int = 64
    learning_rate: float = 2e-3
    shift: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("units", "epochs", "steps_per_epoch", "batch_size"):
            positive_int(name, getattr(self, name))
        finite_positive_float("learning_rate", self.learning_rate)
        non_negative_int("shift (pixels)", self.shift)

    @property
    def examples_per_epoch(self) -> int:
        return self.steps_per_epoch * self.batch_size


#: The budget Lab 03's page trains the student's cell with; `make bench` trains the
#: three layers (hand-written, SimpleRNN, LSTM) with it.
LAB_BUDGET = TrainingBudget()
#: The page's side-by-side comparison (the student's cell, the reference cell, SimpleRNN,
#: LSTM): short enough to run in the page.
COMPARISON_BUDGET = TrainingBudget(epochs=3, shift=0)
#: The hand-written RNN on the full 60,000 training digits (bench only, where reachable).
FULL_MNIST_BUDGET = TrainingBudget(epochs=40, steps_per_epoch=469, batch_size=128)


@dataclass
class TrainingRun:
    """The outcome of :func:`train_classifier` (or :func:`train_your_cell`).

    ``stand_in`` is True when rnnbook's finished cell trained in place of a
    student's step and loop that could not run yet.
    """

    recurrent: str
    model: keras.Model = field(repr=False)
    history: dict[str, list[float]] = field(repr=False)
    test_accuracy: float
    seconds: float
    examples_per_second: float
    stand_in: bool = False

    def predictions(self, images: np.ndarray) -> np.ndarray:
        """Predicted digit for each image, (N,)."""
        return self.model.predict(normalize(images), verbose=0).argmax(axis=-1)


def train_classifier(data: MnistData, recurrent: str = "handwritten",
                     budget: TrainingBudget = TrainingBudget(),
                     step=rnn_step, loop=rnn_loop) -> TrainingRun:
    """Train Lab 03's classifier with ``recurrent`` as its RNN layer, seeded.

    The hand-written RNN computes its states with ``step`` and ``loop``, as
    they are: the reference ones by default (for a student's, see
    :func:`train_your_cell`). Accuracy is measured on ``data``'s test digits
    after the last epoch. Throughput is training examples per second in a
    typical epoch (the median; the first epoch, which also traces the graph,
    is left out when there are others).
    """
    if not isinstance(data, MnistData):
        raise TypeError(f"data must be an MnistData from rnnbook.mnist.load_mnist(), "
                        f"got {type(data).__name__}")
    if not isinstance(budget, TrainingBudget):
        raise TypeError(f"budget must be a TrainingBudget, got {type(budget).__name__}")
    keras.utils.set_random_seed(budget.seed)
    model = build_mnist_classifier(units=budget.units, recurrent=recurrent, step=step,
                                   loop=loop)
    schedule = keras.optimizers.schedules.CosineDecay(
        budget.learning_rate, decay_steps=budget.epochs * budget.steps_per_epoch)
    model.compile(optimizer=keras.optimizers.Adam(schedule, clipnorm=1.0),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = _EpochTimer()
    start = time.perf_counter()
    history = model.fit(_training_batches(data, budget), epochs=budget.epochs,
                        steps_per_epoch=budget.steps_per_epoch,
                        validation_data=(normalize(data.x_test), data.y_test),
                        shuffle=False,  # the dataset is shuffled already
                        verbose=0, callbacks=[timer])
    seconds = time.perf_counter() - start
    typical_epoch = float(np.median(timer.seconds[1:] or timer.seconds))
    return TrainingRun(
        recurrent=recurrent,
        model=model,
        history={key: [float(v) for v in values] for key, values in history.history.items()},
        test_accuracy=float(history.history["val_accuracy"][-1]),
        seconds=seconds,
        examples_per_second=budget.examples_per_epoch / typical_epoch,
    )


def train_your_cell(data: MnistData, step, loop,
                    budget: TrainingBudget = LAB_BUDGET) -> TrainingRun:
    """Lab 03's classifier trained on the student's ``step`` and ``loop``, seeded.

    While either cannot run as training runs it (an untouched exercise: None,
    NotImplementedError), it says which to complete first and trains
    rnnbook's finished cell in their place, so that a notebook run from top to
    bottom ("Run All") still reaches its end; that run is marked ``stand_in``.
    One that runs but is not the 18-2 cell yet trains after a warning, so its
    accuracy shows it.
    """
    ready = trainable(step, loop, batch=budget.batch_size, state_size=budget.units)
    if not ready:
        _say(Text("❌ Not yet: ", "❌ 還不對：") + _sentence(ready.message) + _STAND_IN)
        return replace(train_classifier(data, "handwritten", budget), stand_in=True)
    _warn_unless_correct(step, loop, budget)
    return train_classifier(data, "handwritten", budget, step=step, loop=loop)


#: What the training cell adds when the student's cell cannot run yet.
_STAND_IN = Text(" Until then, rnnbook's finished cell trains in its place, so that the page "
                 "runs to its end: the numbers below are not your cell's.",
                 "在那之前，由rnnbook寫好的cell代替它訓練，讓這一頁可以執行到最後："
                 "下面的數字不是你的cell的。")


def _sentence(text: Text) -> Text:
    """``text`` ending as a sentence does in each language."""
    return Text(text.en if text.en.endswith((".", "?", "!")) else text.en + ".",
                text.zh_TW if text.zh_TW.endswith(("。", "？", "！")) else text.zh_TW + "。")


def _say(text: Text) -> None:
    show(text.en, text.zh_TW)


def _warn_unless_correct(step, loop, budget: TrainingBudget) -> None:
    """Show the checkers' verdict on a step or loop that runs but computes something else."""
    for name, verdict in (
            ("rnn_step", check_rnn_step(step, batch=budget.batch_size, state_size=budget.units)),
            ("rnn_loop", check_rnn_loop(loop, batch=budget.batch_size, state_size=budget.units))):
        if not verdict:
            warning = Text(f"⚠️ Training your cell although `{name}` does not pass its check "
                           f"yet (watch the accuracy): ",
                           f"⚠️ 雖然`{name}`還沒有通過檢查，仍然用你的cell訓練（請留意準確率）：")
            _say(warning + verdict.message)


def _training_batches(data: MnistData, budget: TrainingBudget) -> tf.data.Dataset:
    """Shuffled, endlessly repeated batches of (digits, labels), shifted at random."""
    images = normalize(data.x_train)                                    # (N, 28, 28)
    batches = (tf.data.Dataset.from_tensor_slices((images, data.y_train))
               .shuffle(len(images), seed=budget.seed).repeat())
    if budget.shift:
        pad = budget.shift

        def shift(image, label):
            padded = tf.pad(image, [[pad, pad], [pad, pad]])              # (28+2p, 28+2p)
            return tf.image.random_crop(padded, IMAGE_SHAPE), label

        batches = batches.map(shift)
    return batches.batch(budget.batch_size).prefetch(tf.data.AUTOTUNE)


class _EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of each training epoch (evaluation on the test digits excluded)."""

    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self._last_batch = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(self._last_batch - self._start)


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray,
                     classes: int = CLASSES) -> np.ndarray:
    """Counts[i, j]: digits of class i predicted as j."""
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    if labels.shape != predicted.shape or labels.ndim != 1:
        raise ValueError(f"labels and predicted must be 1-D and of equal length, "
                         f"got shapes {labels.shape} and {predicted.shape}")
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (labels, predicted), 1)
    return counts

"""Training and comparing the MNIST classifiers of Lab 03 (RNN MNIST classification).

One function trains a model on :class:`rnnbook.data.mnist.MnistData` with a fixed
seed and budget and reports what the page and ``make bench`` show: the
learning curves, test accuracy, time and throughput. Another trains the
student's own step and loop, once they can run (:func:`train_your_cell`).

Training learns from most of the training digits and watches its progress on
the rest, the validation digits (:func:`validation_split`); the test digits
are read once, after training, for the test accuracy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import keras
import numpy as np
import tensorflow as tf

from rnnbook.arguments import finite_positive_float, non_negative_int, positive_int, real_in
from rnnbook.rnn.cell import RECURRENT_LAYERS, build_mnist_classifier, rnn_loop, rnn_step
from rnnbook.labs.rnn_step import check_rnn_loop, check_rnn_step, trainable
from rnnbook.show.language import Text, show
from rnnbook.data.mnist import CLASSES, IMAGE_SHAPE, MnistData, normalize


@dataclass(frozen=True)
class TrainingBudget:
    """How long and how a Lab 03 model trains; the same budget for every layer compared.

    An epoch here is ``steps_per_epoch`` batches, whatever the size of the data,
    so the offline 4,000 training digits and the full 60,000 cost the same
    time. A ``validation_fraction`` of the training digits is kept apart to
    watch training by (:func:`validation_split`). The learning rate decays
    from ``learning_rate`` to zero along a cosine; ``shift`` > 0 moves each
    training digit by up to that many pixels at random (fresh every epoch),
    which keeps a small data set from being learnt by heart.
    """

    units: int = 128
    epochs: int = 40
    steps_per_epoch: int = 63
    batch_size: int = 64
    learning_rate: float = 2e-3
    shift: int = 1
    validation_fraction: float = 0.1
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("units", "epochs", "steps_per_epoch", "batch_size"):
            positive_int(name, getattr(self, name))
        finite_positive_float("learning_rate", self.learning_rate)
        non_negative_int("shift (pixels)", self.shift)
        if real_in("validation_fraction", self.validation_fraction, 0.0, 1.0,
                   high_open=True) == 0.0:
            raise ValueError("validation_fraction must be a number in (0, 1): training "
                             "watches its progress on these digits, never on the test digits")

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

    ``history`` is Keras' record per epoch: ``accuracy`` and ``loss`` on the
    digits learnt from, ``val_accuracy`` and ``val_loss`` on the validation
    digits. ``test_accuracy`` is measured once, after training, on the test
    digits, which training never reads. ``stand_in`` is True when rnnbook's
    finished cell trained in place of a student's step and loop that could
    not run yet.
    """

    recurrent: str
    model: keras.Model = field(repr=False)
    history: dict[str, list[float]] = field(repr=False)
    test_accuracy: float
    seconds: float
    examples_per_second: float
    stand_in: bool = False
    validation_digits: int = 0

    def predictions(self, images: np.ndarray) -> np.ndarray:
        """Predicted digit for each image, (N,)."""
        return self.model.predict(normalize(images), verbose=0).argmax(axis=-1)


def train_classifier(data: MnistData, recurrent: str = "handwritten",
                     budget: TrainingBudget = TrainingBudget(),
                     step=rnn_step, loop=rnn_loop) -> TrainingRun:
    """Train Lab 03's classifier with ``recurrent`` as its RNN layer, seeded.

    The hand-written RNN computes its states with ``step`` and ``loop``, as
    they are: the reference ones by default (for a student's, see
    :func:`train_your_cell`). ``"simple_rnn"`` starts from the very weights
    the hand-written RNN starts from (:func:`_classifier`), so that the two
    differ only in how they compute. Training learns from the training
    digits but the validation ones, and reports its progress on those
    (:func:`validation_split`); the test accuracy is measured once, after the
    last epoch, on ``data``'s test digits. Throughput is training examples per
    second in a typical epoch (the median; the first epoch, which also traces
    the graph, is left out when there are others).
    """
    if not isinstance(data, MnistData):
        raise TypeError(f"data must be an MnistData from rnnbook.data.mnist.load_mnist(), "
                        f"got {type(data).__name__}")
    if not isinstance(budget, TrainingBudget):
        raise TypeError(f"budget must be a TrainingBudget, got {type(budget).__name__}")
    model = _classifier(budget, recurrent, step, loop)
    keras.utils.set_random_seed(budget.seed)   # the same order and shifts for every model
    learn, validation = validation_split(data, budget)
    schedule = keras.optimizers.schedules.CosineDecay(
        budget.learning_rate, decay_steps=budget.epochs * budget.steps_per_epoch)
    model.compile(optimizer=keras.optimizers.Adam(schedule, clipnorm=1.0),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    timer = _EpochTimer()
    start = time.perf_counter()
    history = model.fit(_training_batches(*learn, budget), epochs=budget.epochs,
                        steps_per_epoch=budget.steps_per_epoch,
                        validation_data=(normalize(validation[0]), validation[1]),
                        shuffle=False,  # the dataset is shuffled already
                        verbose=0, callbacks=[timer])
    seconds = time.perf_counter() - start
    typical_epoch = float(np.median(timer.seconds[1:] or timer.seconds))
    test = model.evaluate(normalize(data.x_test), data.y_test, verbose=0, return_dict=True)
    return TrainingRun(
        recurrent=recurrent,
        model=model,
        history={key: [float(v) for v in values] for key, values in history.history.items()},
        test_accuracy=float(test["accuracy"]),
        seconds=seconds,
        examples_per_second=budget.examples_per_epoch / typical_epoch,
        validation_digits=len(validation[1]),
    )


def _classifier(budget: TrainingBudget, recurrent: str, step, loop) -> keras.Model:
    """Lab 03's classifier on ``recurrent``, its initial weights drawn from ``budget.seed``.

    Keras' SimpleRNN draws its initial weights in another order than the
    hand-written layer (same distributions, other values), so it gets those
    of the hand-written classifier instead: the two then start from the same
    point and compute the same function, and differ only in the order of
    their floating-point operations.
    """
    keras.utils.set_random_seed(budget.seed)
    model = build_mnist_classifier(units=budget.units, recurrent=recurrent, step=step,
                                   loop=loop)
    if recurrent == "simple_rnn":
        keras.utils.set_random_seed(budget.seed)
        start = build_mnist_classifier(units=budget.units)    # U, W, b, V, c, in this order
        model.set_weights(start.get_weights())
    return model


def validation_split(data: MnistData, budget: TrainingBudget = LAB_BUDGET
                     ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The training digits in two: (images, labels) to learn from, and to validate on.

    A ``budget.validation_fraction`` of ``data``'s training digits, drawn with
    ``budget.seed``, is kept apart: training reports its accuracy on them
    after every epoch and never learns from them. The test digits are not
    touched: they stay for the one measurement after training.
    """
    if not isinstance(data, MnistData):
        raise TypeError(f"data must be an MnistData from rnnbook.data.mnist.load_mnist(), "
                        f"got {type(data).__name__}")
    count = len(data.x_train)
    kept_apart = round(budget.validation_fraction * count)
    if not 0 < kept_apart < count:
        raise ValueError(f"a validation_fraction of {budget.validation_fraction} of "
                         f"{count} training digits leaves no digit to learn from or to "
                         f"validate on; use more digits or another fraction")
    order = np.random.default_rng(budget.seed).permutation(count)
    learn, validate = np.sort(order[kept_apart:]), np.sort(order[:kept_apart])
    return ((data.x_train[learn], data.y_train[learn]),
            (data.x_train[validate], data.y_train[validate]))


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


def _training_batches(images: np.ndarray, labels: np.ndarray,
                      budget: TrainingBudget) -> tf.data.Dataset:
    """Shuffled, endlessly repeated batches of (digits, labels), shifted at random."""
    images = normalize(images)                                          # (N, 28, 28)
    batches = (tf.data.Dataset.from_tensor_slices((images, labels))
               .shuffle(len(images), seed=budget.seed).repeat())
    if budget.shift:
        pad = budget.shift

        def shift(image, label):
            padded = tf.pad(image, [[pad, pad], [pad, pad]])              # (28+2p, 28+2p)
            return tf.image.random_crop(padded, IMAGE_SHAPE), label

        batches = batches.map(shift)
    return batches.batch(budget.batch_size).prefetch(tf.data.AUTOTUNE)


class _EpochTimer(keras.callbacks.Callback):
    """Wall-clock seconds of each training epoch (evaluation on the validation digits excluded)."""

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

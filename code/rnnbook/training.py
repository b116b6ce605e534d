"""Training and comparing the MNIST classifiers of Lab 03 (RNN MNIST classification).

One function trains a model on :class:`rnnbook.data.MnistData` with a fixed
seed and budget and reports what the page and ``make bench`` show: the
learning curves, test accuracy, time and throughput.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import keras
import numpy as np

from rnnbook._checks import positive_int
from rnnbook.cell import RECURRENT_LAYERS, build_mnist_classifier
from rnnbook.data import MnistData, normalize


@dataclass(frozen=True)
class TrainingBudget:
    """How long and how a Lab 03 model trains; the same budget for every layer compared."""

    units: int = 128
    epochs: int = 12
    batch_size: int = 64
    learning_rate: float = 1e-3
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("units", "epochs", "batch_size"):
            positive_int(name, getattr(self, name))
        if not (isinstance(self.learning_rate, float) and self.learning_rate > 0):
            raise ValueError(f"learning_rate must be a positive float, got {self.learning_rate!r}")


@dataclass
class TrainingRun:
    """The outcome of :func:`train_classifier`."""

    recurrent: str
    model: keras.Model = field(repr=False)
    history: dict[str, list[float]] = field(repr=False)
    test_accuracy: float
    seconds: float
    examples_per_second: float

    def predictions(self, images: np.ndarray) -> np.ndarray:
        """Predicted digit for each image, (N,)."""
        return self.model.predict(normalize(images), verbose=0).argmax(axis=-1)


def train_classifier(data: MnistData, recurrent: str = "handwritten",
                     budget: TrainingBudget = TrainingBudget()) -> TrainingRun:
    """Train Lab 03's classifier with ``recurrent`` as its RNN layer, seeded.

    Accuracy is measured on ``data``'s test digits after the last epoch;
    throughput counts training examples per second of ``fit`` (first epoch,
    with its graph tracing, included).
    """
    if not isinstance(data, MnistData):
        raise TypeError(f"data must be an MnistData from rnnbook.data.load_mnist(), "
                        f"got {type(data).__name__}")
    if not isinstance(budget, TrainingBudget):
        raise TypeError(f"budget must be a TrainingBudget, got {type(budget).__name__}")
    keras.utils.set_random_seed(budget.seed)
    model = build_mnist_classifier(units=budget.units, recurrent=recurrent)
    model.compile(optimizer=keras.optimizers.Adam(budget.learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x_train, x_test = normalize(data.x_train), normalize(data.x_test)   # (N, 28, 28)
    start = time.perf_counter()
    history = model.fit(x_train, data.y_train, epochs=budget.epochs,
                        batch_size=budget.batch_size, validation_data=(x_test, data.y_test),
                        verbose=0)
    seconds = time.perf_counter() - start
    return TrainingRun(
        recurrent=recurrent,
        model=model,
        history={key: [float(v) for v in values] for key, values in history.history.items()},
        test_accuracy=float(history.history["val_accuracy"][-1]),
        seconds=seconds,
        examples_per_second=len(x_train) * budget.epochs / seconds,
    )


def confusion_matrix(labels: np.ndarray, predicted: np.ndarray, classes: int = 10) -> np.ndarray:
    """Counts[i, j]: digits of class i predicted as j."""
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    if labels.shape != predicted.shape or labels.ndim != 1:
        raise ValueError(f"labels and predicted must be 1-D and of equal length, "
                         f"got shapes {labels.shape} and {predicted.shape}")
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (labels, predicted), 1)
    return counts


__all__ = ["RECURRENT_LAYERS", "TrainingBudget", "TrainingRun", "confusion_matrix",
           "train_classifier"]

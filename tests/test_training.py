"""Lab 03's training helpers and plots, on a small slice of the offline digits."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from rnnbook.mnist import MnistData, load_mnist, normalize
from rnnbook.plots import (confusion_plot, digit_rows_plot, misclassified_plot,
                           training_curves_plot)
from rnnbook.training import TrainingBudget, confusion_matrix, train_classifier


@pytest.fixture(scope="module")
def small_data():
    data = load_mnist(allow_download=False)
    return type(data)(data.x_train[:1000], data.y_train[:1000], data.x_test[:100],
                      data.y_test[:100], data.source, data.description)


@pytest.mark.parametrize("recurrent", ["handwritten", "simple_rnn", "lstm"])
def test_training_learns_something_and_reports_it(small_data, recurrent):
    budget = TrainingBudget(units=32, epochs=3, steps_per_epoch=30, batch_size=32,
                            learning_rate=3e-3, shift=0)
    run = train_classifier(small_data, recurrent, budget)
    assert len(run.history["val_accuracy"]) == 3
    assert run.test_accuracy == run.history["val_accuracy"][-1]
    assert run.test_accuracy > 0.3            # chance is 0.1
    assert run.examples_per_second > 0 and run.seconds > 0
    predicted = run.predictions(small_data.x_test)
    assert predicted.shape == (100,)
    assert np.mean(predicted == small_data.y_test) == pytest.approx(run.test_accuracy)


def test_same_seed_same_result(small_data):
    budget = TrainingBudget(units=8, epochs=2, steps_per_epoch=5, shift=1, seed=3)
    first = train_classifier(small_data, "handwritten", budget)
    second = train_classifier(small_data, "handwritten", budget)
    assert first.history == second.history


def test_confusion_matrix_counts_pairs():
    counts = confusion_matrix(np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]), classes=3)
    assert counts.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    with pytest.raises(ValueError, match="1-D and of equal length"):
        confusion_matrix(np.array([0, 1]), np.array([0]))


def test_bad_training_input_is_explained(small_data):
    with pytest.raises(TypeError, match="data must be an MnistData"):
        train_classifier({"x": 1})
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        TrainingBudget(epochs=0)
    with pytest.raises(ValueError, match="learning_rate must be a finite number > 0"):
        TrainingBudget(learning_rate=-1.0)
    with pytest.raises(ValueError, match=r"shift \(pixels\) must be an integer >= 0, got -1"):
        TrainingBudget(shift=-1)
    with pytest.raises(TypeError, match=r"shift \(pixels\) must be an integer >= 0"):
        TrainingBudget(shift=1.5)
    with pytest.raises(ValueError, match="recurrent must be one of"):
        train_classifier(small_data, "gru", TrainingBudget(units=4, epochs=1))


def _shifts(digits, pad):
    """Every copy of ``digits`` moved by up to ``pad`` pixels each way: {(dy, dx): (N, 28, 28)}."""
    padded = np.pad(digits, ((0, 0), (pad, pad), (pad, pad)))
    return {(dy, dx): padded[:, pad - dy:pad - dy + 28, pad - dx:pad - dx + 28]
            for dy in range(-pad, pad + 1) for dx in range(-pad, pad + 1)}


def test_shift_moves_each_digit_without_blanking_it(small_data):
    """Lab 03's augmentation: each training digit is one of the originals, moved, not blanked."""
    from rnnbook.training import _training_batches

    few = MnistData(small_data.x_train[:20], small_data.y_train[:20], small_data.x_test,
                    small_data.y_test, small_data.source, small_data.description)
    originals = normalize(few.x_train)
    shifts = _shifts(originals, pad=2)
    images, labels = next(iter(_training_batches(few, TrainingBudget(shift=2))))
    assert images.shape == (64, 28, 28) and labels.shape == (64,)
    offsets = set()
    for image, label in zip(images.numpy(), labels.numpy()):
        found = [(offset, index) for offset, moved in shifts.items()
                 for index in np.flatnonzero((moved == image).all(axis=(1, 2)))]
        assert found, "a training digit is not one of the originals moved by <= 2 pixels"
        offset, index = found[0]
        assert few.y_train[index] == label, "the shifted digit lost its label"
        # Moved, not blanked: a 2-pixel shift can cut off the odd stroke, no more.
        assert image.sum() > 0.9 * originals[index].sum(), "the shifted digit lost its ink"
        offsets.add(offset)
    assert len(offsets) > 5, f"the digits are hardly moved: {sorted(offsets)}"


def test_lab_plots(small_data):
    assert isinstance(digit_rows_plot(small_data.x_train[0]).figure("en"), Figure)
    history = {"accuracy": [0.5, 0.7], "val_accuracy": [0.4, 0.6]}
    assert len(training_curves_plot({"a": history}).figure("en").axes[0].get_lines()) == 2
    counts = confusion_matrix(small_data.y_test, small_data.y_test)
    assert isinstance(confusion_plot(counts).figure("zh-TW"), Figure)
    wrong = (small_data.y_test + 1) % 10
    assert len(misclassified_plot(small_data.x_test, small_data.y_test, wrong, 4)
               .figure("en").axes) == 4
    with pytest.raises(ValueError, match="one 28x28 MNIST digit"):
        digit_rows_plot(np.zeros((28, 27)))
    with pytest.raises(ValueError, match="no misclassified digits"):
        misclassified_plot(small_data.x_test, small_data.y_test, small_data.y_test)
    with pytest.raises(ValueError, match="square matrix"):
        confusion_plot(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="at least one model"):
        training_curves_plot({})

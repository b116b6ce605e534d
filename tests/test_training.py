"""Lab 03's training helpers and plots, on a small slice of the offline digits."""

import keras
import numpy as np
import pytest
from matplotlib.figure import Figure

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
from rnnbook.data.mnist import MnistData, load_mnist, normalize
from rnnbook.experiments import mnist_training as training
from rnnbook.experiments.mnist_training import (
    TrainingBudget,
    confusion_matrix,
    train_classifier,
    validation_split,
)
from rnnbook.show.plots import (
    confusion_plot,
    digit_rows_plot,
    misclassified_plot,
    training_curves_plot,
)


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
    assert len(run.history["val_accuracy"]) == 3            # on the validation digits
    assert run.validation_digits == 100                      # a tenth of the 1,000
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


def _keys(images):
    """One hashable key per digit, to find a digit among others."""
    return {image.tobytes() for image in np.asarray(images, dtype=np.float32)}


def test_the_test_digits_are_never_seen_during_training(small_data, monkeypatch):
    """Training reads the digits it learns from and the validation digits, never the test
    digits: those are read once, after training, for the test accuracy."""
    test_digits = _keys(normalize(small_data.x_test))
    assert not test_digits & _keys(normalize(small_data.x_train)), "the slice has duplicates"
    seen = {}
    fit, evaluate = keras.Model.fit, keras.Model.evaluate

    def spying_fit(model, x, **kwargs):
        seen["fit"] = (x, kwargs["validation_data"])
        assert "evaluate" not in seen
        return fit(model, x, **kwargs)

    def spying_evaluate(model, x, y, **kwargs):
        seen["evaluate"] = x
        return evaluate(model, x, y, **kwargs)

    monkeypatch.setattr(keras.Model, "fit", spying_fit)
    monkeypatch.setattr(keras.Model, "evaluate", spying_evaluate)
    budget = TrainingBudget(units=8, epochs=2, steps_per_epoch=5, batch_size=16, shift=0)
    train_classifier(small_data, "handwritten", budget)

    batches, (validation_images, _) = seen["fit"]
    read = [images for images, _ in batches.take(budget.epochs * budget.steps_per_epoch)]
    assert not _keys(np.concatenate(read)) & test_digits
    assert not _keys(validation_images) & test_digits
    assert _keys(seen["evaluate"]) == test_digits           # after training, once


def test_validation_split_keeps_some_training_digits_apart(small_data):
    budget = TrainingBudget(validation_fraction=0.2, seed=5)
    (learn_x, learn_y), (check_x, check_y) = validation_split(small_data, budget)
    assert (len(learn_x), len(check_x)) == (800, 200)
    assert len(learn_y) == 800 and len(check_y) == 200
    assert not _keys(learn_x) & _keys(check_x)
    assert _keys(learn_x) | _keys(check_x) == _keys(small_data.x_train)
    assert len(set(check_y.tolist())) == 10                  # drawn at random, not the last 200
    again = validation_split(small_data, budget)
    assert np.array_equal(again[1][0], check_x)              # seeded
    with pytest.raises(ValueError, match=r"validation_fraction must be a number in \(0, 1\)"):
        TrainingBudget(validation_fraction=0.0)
    with pytest.raises(ValueError, match=r"validation_fraction must be a number in \[0.0, 1.0\)"):
        TrainingBudget(validation_fraction=1.0)
    few = type(small_data)(small_data.x_train[:3], small_data.y_train[:3], small_data.x_test,
                           small_data.y_test, small_data.source, small_data.description)
    with pytest.raises(ValueError, match="leaves no digit to learn from or to validate on"):
        validation_split(few, TrainingBudget(validation_fraction=0.1))
    with pytest.raises(TypeError, match="data must be an MnistData"):
        validation_split((small_data.x_train, small_data.y_train))


def test_simple_rnn_starts_where_the_handwritten_cell_starts(small_data):
    """Same initial weights, same function: the two train alike, to float rounding."""
    budget = TrainingBudget(units=16, epochs=2, steps_per_epoch=10, batch_size=32, shift=1)
    starts = {recurrent: training._classifier(budget, recurrent, training.rnn_step,
                                              training.rnn_loop).get_weights()
              for recurrent in ("handwritten", "simple_rnn")}
    for ours, keras_s in zip(starts["handwritten"], starts["simple_rnn"]):
        assert np.array_equal(ours, keras_s)
    handwritten = train_classifier(small_data, "handwritten", budget)
    simple_rnn = train_classifier(small_data, "simple_rnn", budget)
    assert simple_rnn.history["loss"] == pytest.approx(handwritten.history["loss"], rel=1e-4)
    assert simple_rnn.test_accuracy == pytest.approx(handwritten.test_accuracy, abs=0.02)


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
    from rnnbook.experiments.mnist_training import _training_batches

    few = MnistData(small_data.x_train[:20], small_data.y_train[:20], small_data.x_test,
                    small_data.y_test, small_data.source, small_data.description)
    originals = normalize(few.x_train)
    shifts = _shifts(originals, pad=2)
    images, labels = next(iter(_training_batches(few.x_train, few.y_train,
                                                 TrainingBudget(shift=2))))
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

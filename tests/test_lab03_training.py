"""Lab 03 trains the student's own cell (rnnbook.experiments.mnist_training.train_your_cell).

The model that learns the digits calls exactly the step and loop it is given:
a wrong step scores at chance or fails visibly, a right one scores as the
reference cell does, and an untouched exercise is refused with a message,
not a traceback, while the finished cell trains in its place so that the page
still runs to its end. Small budgets on a few hundred offline digits keep it fast.
"""

import re

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
import pytest
import tensorflow as tf

from rnnbook.rnn.cell import rnn_loop, rnn_step
from rnnbook.show.language import set_language
from rnnbook.data.mnist import load_mnist
from rnnbook.experiments import mnist_training as training
from rnnbook.experiments.mnist_training import TrainingBudget, train_classifier, train_your_cell

BUDGET = TrainingBudget(units=32, epochs=3, steps_per_epoch=30, batch_size=32,
                        learning_rate=3e-3, shift=0)
CHANCE = 0.1
#: Keras' warning when the loss does not depend on some weights: a blind step shows it.
NO_GRADIENTS = "Gradients do not exist for variables"


@pytest.fixture(scope="module")
def small_data():
    data = load_mnist(allow_download=False)
    return type(data)(data.x_train[:800], data.y_train[:800], data.x_test[:300],
                      data.y_test[:300], data.source, data.description)


@pytest.fixture(scope="module")
def reference(small_data):
    return train_classifier(small_data, "handwritten", BUDGET)


# ------------------------------------------------------------------ the student's code trains


def students_step(x_t, s_prev, U, W, b):
    """Right, but written otherwise than the reference (its sums in another order)."""
    return tf.tanh(b + s_prev @ W + x_t @ U)


def students_loop(inputs, s0, U, W, b, step):
    states = [s0]
    for x_t in tf.unstack(inputs, axis=1):
        states.append(step(x_t, states[-1], U, W, b))
    return tf.stack(states[1:], axis=1)


def test_a_right_cell_scores_as_the_reference_does(small_data, reference):
    assert reference.test_accuracy > 3 * CHANCE
    run = train_your_cell(small_data, students_step, students_loop, BUDGET)
    assert run.test_accuracy == pytest.approx(reference.test_accuracy, abs=0.01)


def zeros_step(x_t, s_prev, U, W, b):
    return tf.zeros_like(s_prev)


def inputless_step(x_t, s_prev, U, W, b):
    return tf.tanh(tf.matmul(s_prev, W) + b)


@pytest.mark.parametrize("step, unused", [(zeros_step, "['rnn/U', 'rnn/W', 'rnn/b']"),
                                          (inputless_step, "['rnn/U']")],
                         ids=["zeros", "no-input"])
def test_a_step_blind_to_the_digit_scores_at_chance_and_says_so(small_data, step, unused):
    with pytest.warns(UserWarning, match=re.escape(f"{NO_GRADIENTS} {unused}")):
        run = train_classifier(small_data, "handwritten", BUDGET, step=step, loop=rnn_loop)
    assert run.test_accuracy < CHANCE + 0.1


def test_a_step_without_tanh_trains_another_model(small_data, reference):
    """A linear cell is not the 18-2 cell, yet learns: on this short budget it even
    scores higher. What shows is that the model runs it: its curves are its own."""
    def no_tanh(x_t, s_prev, U, W, b):
        return tf.matmul(x_t, U) + tf.matmul(s_prev, W) + b

    run = train_classifier(small_data, "handwritten", BUDGET, step=no_tanh, loop=rnn_loop)
    assert run.history["loss"] != pytest.approx(reference.history["loss"], rel=0.05)


def test_swapped_weights_cannot_train(small_data, reference, capsys):
    def swapped(x_t, s_prev, U, W, b):
        return tf.tanh(tf.matmul(x_t, W) + tf.matmul(s_prev, U) + b)

    run = train_your_cell(small_data, swapped, rnn_loop, BUDGET)
    assert run.stand_in and run.history == reference.history     # the finished cell trained
    shown = capsys.readouterr().out
    assert "complete `rnn_step` first" in shown and "Matrix size-incompatible" in shown


def test_the_loop_the_model_runs_is_the_one_given(small_data):
    def broken_loop(inputs, s0, U, W, b, step):
        raise RuntimeError("the student's loop ran")

    with pytest.raises(RuntimeError, match="the student's loop ran"):
        train_classifier(small_data, "handwritten", BUDGET, step=rnn_step, loop=broken_loop)


# ------------------------------------------------------------------ Run All on an untouched page


def stub_step(x_t, s_prev, U, W, b):
    return None  # your code here


def unwritten_step(x_t, s_prev, U, W, b):
    raise NotImplementedError


def stub_loop(inputs, s0, U, W, b, step):
    return None  # your code here


@pytest.fixture
def no_training(monkeypatch):
    """train_classifier replaced by a stand-in run, to read what train_your_cell says."""
    def trained(data, recurrent="handwritten", budget=BUDGET, step=rnn_step, loop=rnn_loop):
        assert (recurrent, step, loop) == ("handwritten", rnn_step, rnn_loop)
        return training.TrainingRun(recurrent, None, {}, 0.5, 1.0, 1.0)

    monkeypatch.setattr(training, "train_classifier", trained)


@pytest.mark.parametrize("step, loop, which", [
    (stub_step, stub_loop, "rnn_step"), (unwritten_step, rnn_loop, "rnn_step"),
    (rnn_step, stub_loop, "rnn_loop")], ids=["both-stubs", "not-implemented", "loop-stub"])
def test_an_untouched_exercise_is_refused_with_a_message(small_data, no_training, capsys, step,
                                                        loop, which):
    """The finished cell trains in its place: Run All reaches the end of the page."""
    try:
        for language, said in [("en", f"❌ Not yet: complete `{which}` first"),
                               ("zh-TW", f"❌ 還不對：請先完成`{which}`")]:
            set_language(language)
            run = train_your_cell(small_data, step, loop, BUDGET)
            shown = capsys.readouterr().out
            assert run.stand_in and said in shown, shown
            assert "not your cell's" in shown or "不是你的cell的" in shown
            assert "Traceback" not in shown
    finally:
        set_language(None)


def test_a_stand_in_trains_the_finished_cell(small_data, reference):
    run = train_your_cell(small_data, stub_step, stub_loop, BUDGET)
    assert run.stand_in and run.history == reference.history
    assert not reference.stand_in


def test_a_wrong_but_runnable_cell_trains_after_a_warning(small_data, capsys):
    with pytest.warns(UserWarning, match=NO_GRADIENTS):
        run = train_your_cell(small_data, zeros_step, rnn_loop, BUDGET)
    assert run.test_accuracy < CHANCE + 0.1
    shown = capsys.readouterr().out
    assert "⚠️" in shown and "rnn_step" in shown and "all zeros" in shown

"""Lab 03's second exercise and the training cell's gate (rnnbook.labs.rnn_step).

check_rnn_loop judges the loop around the step as training runs it (inside
tf.function, on the training shapes); trainable says whether training can run
a student's step and loop at all, and which to complete first.
"""

import re

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
import numpy as np
import pytest
import tensorflow as tf

from rnnbook.data import mnist
from rnnbook.rnn.cell import rnn_loop, rnn_step
from rnnbook.labs.common import CheckResult
from rnnbook.labs.rnn_step import (BATCH, FEATURES, TIME_STEPS, UNITS, check_rnn_loop,
                                   check_rnn_step, trainable)
from rnnbook.show.language import set_language
from rnnbook.experiments.mnist_training import LAB_BUDGET

SHAPE = (64, 28, 128)       # every state of a batch: (B, T, units) at the training shapes


@pytest.fixture
def language():
    """set_language for one test, then back to the usual choice."""
    yield set_language
    set_language(None)


def failing(result):
    """The English message of a failing verdict (asserting it is one)."""
    assert isinstance(result, CheckResult)
    assert not result.passed, f"expected a failing verdict, got: {result.message.en}"
    assert "Traceback" not in result.message.en and "Traceback" not in result.message.zh_TW
    return result.message.en


def test_the_checks_use_the_training_shapes():
    assert (BATCH, UNITS) == (LAB_BUDGET.batch_size, LAB_BUDGET.units)
    assert (TIME_STEPS, FEATURES) == (mnist.ROWS, mnist.PIXELS)


def test_the_reference_answers_pass_their_checks():
    assert check_rnn_step(rnn_step)
    result = check_rnn_loop(rnn_loop)
    assert result.passed, result.message.en
    assert f"{SHAPE}" in result.message.en and "28 time steps" in result.message.en
    assert trainable(rnn_step, rnn_loop)


# ------------------------------------------------------------------ check_rnn_loop: correct


def scan_loop(inputs, s0, U, W, b, step):
    """A loop without unstack: tf.scan over the time axis, then back to (B, T, units)."""
    steps = tf.transpose(inputs, [1, 0, 2])                                 # (T, B, F)
    states = tf.scan(lambda s, x_t: step(x_t, s, U, W, b), steps, initializer=s0)
    return tf.transpose(states, [1, 0, 2])                                  # (B, T, units)


def comprehension_loop(inputs, s0, U, W, b, step):
    states = [s0]
    for x_t in tf.unstack(inputs, axis=1):
        states.append(step(x_t, states[-1], U, W, b))
    return tf.stack(states[1:], axis=1)


@pytest.mark.parametrize("loop", [rnn_loop, scan_loop, comprehension_loop],
                         ids=["reference", "scan", "list"])
def test_loop_accepts_correct_loops(loop):
    result = check_rnn_loop(loop)
    assert result.passed, result.message.en


def test_loop_accepts_other_sizes():
    assert check_rnn_loop(rnn_loop, time_steps=3, input_size=2, state_size=5, batch=1)


# ------------------------------------------------------------------ check_rnn_loop: mistakes


def last_only(inputs, s0, U, W, b, step):
    return rnn_loop(inputs, s0, U, W, b, step)[:, -1]


def time_major(inputs, s0, U, W, b, step):
    return tf.transpose(rnn_loop(inputs, s0, U, W, b, step), [1, 0, 2])


def with_s0(inputs, s0, U, W, b, step):
    return tf.concat([s0[:, None], rnn_loop(inputs, s0, U, W, b, step)], axis=1)


def reversed_states(inputs, s0, U, W, b, step):
    return rnn_loop(inputs, s0, U, W, b, step)[:, ::-1]


def from_s0(inputs, s0, U, W, b, step):
    return tf.stack([step(x_t, s0, U, W, b) for x_t in tf.unstack(inputs, axis=1)], axis=1)


def features_axis(inputs, s0, U, W, b, step):
    return rnn_loop(tf.transpose(inputs, [0, 2, 1]), s0, U, W, b, step)


def own_formula(inputs, s0, U, W, b, step):
    return rnn_loop(inputs, s0, U, W, b, rnn_step)


def unstacked_batch(inputs, s0, U, W, b, step):
    s, states = s0, []
    for x_t in tf.unstack(inputs, axis=0):
        s = step(x_t, s, U, W, b)
        states.append(s)
    return tf.stack(states, axis=1)


def as_list(inputs, s0, U, W, b, step):
    s, states = s0, []
    for x_t in tf.unstack(inputs, axis=1):
        s = step(x_t, s, U, W, b)
        states.append(s)
    return states


@pytest.mark.parametrize("loop, phrases", [
    (last_only, ["only the last state", "(64, 128)", f"{SHAPE}"]),
    (time_major, ["stacked along axis 0", "(28, 64, 128)"]),
    (with_s0, ["you included s0", "28 of them"]),
    (reversed_states, ["reverse order"]),
    (from_s0, ["every state was computed from s0"]),
    (features_axis, ["features axis (axis 2)"]),
    (own_formula, ["never calls `step`"]),
    (unstacked_batch, ["raised", "inputs is (64, 28, 28)", "x_t of shape (64, 28)"]),
    (as_list, ["a list of 28 values", f"{SHAPE}"]),
    (lambda inputs, s0, U, W, b, step: None, ["you returned None", "`return`"]),
    (lambda inputs, s0, U, W, b: inputs, ["raised TypeError", "positional argument"]),
    (lambda inputs, s0, U, W, b, step: rnn_loop(inputs, s0, U, W, b, step) + 0.1,
     ["values differ"]),
    (4, ["you passed an int, not a function", "check_rnn_loop(rnn_loop)"]),
], ids=["last", "time-major", "s0", "reversed", "from-s0", "features", "no-step", "batch-axis",
        "list", "None", "arguments", "off", "int"])
def test_loop_mistakes_are_named(loop, phrases):
    message = failing(check_rnn_loop(loop))
    for phrase in phrases:
        assert phrase in message, message


def test_loop_that_works_only_eagerly_is_caught():
    def numpy_loop(inputs, s0, U, W, b, step):
        s, states = s0, []
        for t in range(int(tf.shape(inputs)[1])):
            s = step(inputs[:, t], s, U, W, b)
            states.append(s)
        return tf.stack(states, axis=1)

    inputs = [tf.random.normal(shape) for shape in [(2, 3, 4), (2, 5), (4, 5), (5, 5), (5,)]]
    np.testing.assert_allclose(numpy_loop(*inputs, rnn_step), rnn_loop(*inputs, rnn_step))
    assert "not inside `tf.function`" in failing(check_rnn_loop(numpy_loop))


def test_loop_speaks_the_page_language(language):
    result = check_rnn_loop(time_major)
    language("zh-TW")
    assert "批次" in str(result.message) and "時間步" in str(result.message)
    assert "形狀" in str(check_rnn_loop(last_only).message)
    assert "時間步" in str(check_rnn_loop(rnn_loop).message)
    language("en")
    assert str(result.message).startswith("your states are stacked along axis 0")


# ------------------------------------------------------------------ how the messages read

#: A space between Chinese (or its punctuation) and anything: the checkers write
#: 「你的`rnn_step`算出了」, with no space around inline code, numbers or names.
_SPACED_CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef] | "
                             r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def wrong_shapes_step(x_t, s_prev, U, W, b):
    return tf.tanh(tf.matmul(x_t, W) + tf.matmul(s_prev, U) + b)


def eager_only_loop(inputs, s0, U, W, b, step):
    return tf.stack([step(inputs[:, t], s0, U, W, b)
                     for t in range(int(tf.shape(inputs)[1]))], axis=1)


@pytest.mark.parametrize("result", [
    lambda: check_rnn_step(rnn_step), lambda: check_rnn_loop(rnn_loop),
    lambda: check_rnn_step(wrong_shapes_step), lambda: check_rnn_step(4),
    lambda: check_rnn_step(lambda x, s, U, W, b: {"s": s}),
    lambda: check_rnn_loop(eager_only_loop), lambda: check_rnn_loop(unstacked_batch),
    lambda: check_rnn_loop(as_list), lambda: check_rnn_loop(time_major),
    lambda: trainable(stub_step, rnn_loop),
], ids=["step", "loop", "step-shapes", "int", "dict", "eager-loop", "batch-axis", "list",
        "time-major", "trainable"])
def test_chinese_messages_put_no_space_around_code(result):
    message = result().message
    assert not _SPACED_CHINESE.search(message.zh_TW), message.zh_TW


@pytest.mark.parametrize("answer, check", [(wrong_shapes_step, check_rnn_step),
                                           (unstacked_batch, check_rnn_loop),
                                           (eager_only_loop, check_rnn_loop)],
                         ids=["step", "loop", "eager-loop"])
def test_an_error_is_quoted_in_one_line_without_tensorflow_noise(answer, check):
    message = check(answer).message
    for text in (message.en, message.zh_TW):
        assert "\n" not in text and "{{" not in text and "[Op:" not in text, text
        assert re.search(r"(InvalidArgumentError|ValueError|TypeError): \S", text), text


def test_types_are_named_as_code_in_chinese():
    assert "你傳入的是`int`" in check_rnn_step(4).message.zh_TW
    assert "你傳回的是`dict`" in check_rnn_step(lambda x, s, U, W, b: {"s": s}).message.zh_TW


# ------------------------------------------------------------------ trainable


def stub_step(x_t, s_prev, U, W, b):
    return None  # your code here


def stub_loop(inputs, s0, U, W, b, step):
    return None  # your code here


def unwritten_step(x_t, s_prev, U, W, b):
    raise NotImplementedError


@pytest.mark.parametrize("step, loop, which", [
    (stub_step, rnn_loop, "rnn_step"), (unwritten_step, rnn_loop, "rnn_step"),
    (stub_step, stub_loop, "rnn_step"), (rnn_step, stub_loop, "rnn_loop"),
    (rnn_step, own_formula, "rnn_loop"), (None, rnn_loop, "rnn_step"),
])
def test_trainable_names_what_to_complete_first(step, loop, which, language):
    ready = trainable(step, loop)
    assert not ready
    assert ready.message.en.startswith(f"complete `{which}` first")
    language("zh-TW")
    assert str(ready.message).startswith(f"請先完成`{which}`")


def test_a_wrong_but_runnable_cell_is_trainable():
    """Its values are the checkers' business: training it shows how badly it does."""
    def no_tanh(x_t, s_prev, U, W, b):
        return tf.matmul(x_t, U) + tf.matmul(s_prev, W) + b

    assert not check_rnn_step(no_tanh)
    assert trainable(no_tanh, rnn_loop)
    assert trainable(no_tanh, rnn_loop, batch=8, state_size=16)

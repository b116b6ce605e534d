"""Lab 02's last exercise: check_rnn_states accepts every state of the 18-2 cell, stacked
(batch, time steps, state), as Keras' SimpleRNN(return_sequences=True) gives them, and names
the usual slips of the loop and of the stack, in both languages."""

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
import keras
import numpy as np
import pytest
import tensorflow as tf
from test_labs_language import english_messages, says, speaks_both  # noqa: F401  (fixture)

from rnnbook.labs import check_rnn_states

SEQUENCES = tf.random.stateless_normal((2, 5, 3), seed=(3, 4))      # (B, T, F)
RNG = np.random.default_rng(0)
U = RNG.normal(0, 0.6, (3, 4)).astype(np.float32)
W = RNG.normal(0, 0.5, (4, 4)).astype(np.float32)
b = RNG.normal(0, 0.3, (4,)).astype(np.float32)


def step(x_t, s_prev):
    return tf.tanh(tf.matmul(x_t, U) + tf.matmul(s_prev, W) + b)


def states_list(carry=True):
    s0 = s = tf.zeros((2, 4))
    states = []
    for x_t in tf.unstack(SEQUENCES, axis=1):
        s = step(x_t, s if carry else s0)
        states.append(s)
    return states


def keras_states():
    """An independent reference: Keras' SimpleRNN holding the same U, W, b."""
    layer = keras.layers.SimpleRNN(4, return_sequences=True)
    layer.build(SEQUENCES.shape)
    layer.set_weights([U, W, b])
    return layer(SEQUENCES)


@pytest.mark.parametrize("states", [tf.stack(states_list(), axis=1), keras_states(),
                                    tf.stack(states_list(), axis=-2).numpy()],
                         ids=["loop", "keras", "numpy"])
def test_every_state_stacked_on_the_time_axis_is_correct(states):
    says(check_rnn_states(states, SEQUENCES, U, W, b), True,
         "shape (2, 5, 4), (batch, time steps, state size)", "你的狀態和RNN的一致：形狀是(2, 5, 4)")


@pytest.mark.parametrize("states, english, chinese", [
    (None, "your answer is still None", "你的答案還是None"),
    (states_list(), "you have the list of the 5 states, with the right values; `tf.stack` them",
     "你已經有5個狀態的串列，數值也都對；請用`tf.stack`把它們合成一個張量"),
    (states_list()[-1], "this is only the last state s_T", "這只是最後一個狀態s_T"),
    (tf.stack(states_list(), axis=0), "time is your first axis (shape (5, 2, 4) instead of",
     "你的第一個軸是時間"),
    (tf.stack(states_list(carry=False), axis=1), "every state was computed from s_0 = 0",
     "每個狀態都是從s_0 = 0算出來的"),
    (tf.stack(states_list()[::-1], axis=1), "reverse time order", "順序和時間相反"),
    (tf.stack(states_list(), axis=2), "this is the stack on axis 2", "這是對軸2取stack的結果"),
    (tf.concat(states_list(), axis=0), "this is `tf.concat` along axis 0",
     "這是沿著軸0的`tf.concat`"),
    (tf.stack(states_list(), axis=1) + 0.01, "the shape (2, 5, 4) is right but the values differ",
     "形狀(2, 5, 4)是對的，但數值不同"),
    (tf.cast(tf.stack(states_list(), axis=1), tf.float64), "dtype float64",
     "資料型別是float64；狀態會保留輸入的資料型別（float32）"),
    (SEQUENCES, "your tensor has shape (2, 5, 3); expected shape (2, 5, 4)",
     "你的張量形狀是(2, 5, 3)；應該是(2, 5, 4)"),
    (3.0, "you returned a single number (3.0)", "你傳回的是單一個數字（3.0）"),
], ids=["untouched", "list", "last", "time-first", "no-carry", "reversed", "axis-2", "concat",
        "off", "dtype", "inputs", "number"])
def test_each_slip_is_named_in_both_languages(states, english, chinese):
    says(check_rnn_states(states, SEQUENCES, U, W, b), False, english, chinese)


@pytest.mark.parametrize("states", ["s", {}, [None], [[1, 2], [3]], object(), print])
def test_the_checker_never_raises_on_an_answer(states):
    result = check_rnn_states(states, SEQUENCES, U, W, b)
    assert not result.passed
    speaks_both(result.message)


@pytest.mark.parametrize("args, match", [
    ((tf.zeros((2, 3)), U, W, b), r"expected sequences \(batch, time, features\)"),
    ((SEQUENCES, W, W, b), r"got \(2, 5, 3\), \(4, 4\), \(4, 4\) and \(4,\)"),
    ((SEQUENCES, U, W, W), "expected sequences"),
    ((SEQUENCES, None, W, b), "U is None"),
])
def test_a_bad_exercise_setup_raises_for_the_page(args, match):
    with pytest.raises((TypeError, ValueError), match=match):
        check_rnn_states(tf.zeros((2, 5, 4)), *args)

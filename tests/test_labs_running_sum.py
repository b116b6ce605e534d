"""Lab 01's last exercise: check_running_sum accepts the list of running sums s_1..s_T and
names each usual slip of the loop (inputs collected, one step late, s_0 kept, wrong axis,
one tensor), in both languages."""

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
import numpy as np
import pytest
import tensorflow as tf
from test_labs_language import english_messages, says, speaks_both  # noqa: F401  (fixture)

from rnnbook.labs import check_running_sum

SEQUENCES = tf.constant([[[1.0, 0.0], [2.0, 1.0], [0.0, 3.0], [1.0, 1.0]],
                         [[0.0, 2.0], [1.0, 0.0], [4.0, 1.0], [0.0, 1.0]]])   # (B, T, F)
INPUTS = tf.unstack(SEQUENCES, axis=1)


def running_sums(inputs, start=None):
    states, s = [], tf.zeros_like(inputs[0]) if start is None else start
    for x_t in inputs:
        s = s + x_t
        states.append(s)
    return states


@pytest.mark.parametrize("states", [running_sums(INPUTS), tuple(running_sums(INPUTS)),
                                    [s.numpy() for s in running_sums(INPUTS)],
                                    tf.unstack(tf.cumsum(SEQUENCES, axis=1), axis=1)],
                         ids=["loop", "tuple", "numpy", "cumsum"])
def test_the_running_sums_are_correct(states):
    says(check_running_sum(states, SEQUENCES), True,
         "your 4 states are the running sums s_t = s_(t-1) + x_t, each of shape (2, 2)",
         "你的4個狀態正是累加和")


@pytest.mark.parametrize("states, english, chinese", [
    (None, "your answer is still None", "你的答案還是None"),
    (INPUTS, "these are the inputs x_1, …, x_T themselves", "這些是輸入x_1, …, x_T本身"),
    ([tf.zeros((2, 2))] + running_sums(INPUTS)[:-1], "one step late", "晚了一步"),
    ([tf.zeros((2, 2))] + running_sums(INPUTS), "your list starts with s_0 = 0",
     "你的串列從s_0 = 0開始"),
    (tf.unstack(tf.cumsum(SEQUENCES, axis=0), axis=0), "you summed along axis 0",
     "你沿著軸0做了累加；時間步是(batch, time steps, features)的軸1"),
    (tf.unstack(tf.cumsum(SEQUENCES, axis=2), axis=2), "you summed along axis 2", "軸2"),
    (tf.cumsum(SEQUENCES, axis=1), "the values are right, but in one tensor of shape (2, 4, 2)",
     "數值是對的，但都放在一個形狀為(2, 4, 2)的張量裡"),
    (running_sums(INPUTS)[-1], "this is only the last state s_T", "這只是最後一個狀態s_T"),
    (running_sums(INPUTS)[::-1], "reverse order", "順序反了"),
    (running_sums(INPUTS)[:3], "you returned a list of 3 tensors of shape (2, 2); expected 4",
     "你傳回的是由3個形狀為(2, 2)的張量組成的串列；應該是4個"),
    ([s + 1 for s in running_sums(INPUTS)], "element 0 has the right shape (2, 2)",
     "元素0的形狀(2, 2)是對的，但數值不同"),
    ([tf.cast(s, tf.int32) for s in running_sums(INPUTS)], "dtype int32",
     "資料型別是int32；輸入的和會保留輸入的資料型別（float32）"),
    (SEQUENCES, "you returned one tensor of shape (2, 4, 2)",
     "你傳回的是一個形狀為(2, 4, 2)的張量"),
    ("s", "you returned a string", "你傳回的是字串"),
], ids=["untouched", "inputs", "late", "with-s0", "batch-axis", "feature-axis", "one-tensor",
        "last-only", "reversed", "short", "off", "dtype", "sequences", "string"])
def test_each_slip_is_named_in_both_languages(states, english, chinese):
    says(check_running_sum(states, SEQUENCES), False, english, chinese)


@pytest.mark.parametrize("states", [7, {}, [None] * 4, [[1, 2], [3]], object()])
def test_the_checker_never_raises_on_an_answer(states):
    result = check_running_sum(states, SEQUENCES)
    assert not result.passed
    speaks_both(result.message)


@pytest.mark.parametrize("sequences, match", [(tf.zeros((2, 3)), "batch, time steps"),
                                              (None, "sequences is None"),
                                              ("abc", "string")])
def test_a_bad_exercise_setup_raises_for_the_page(sequences, match):
    with pytest.raises((TypeError, ValueError), match=match):
        check_running_sum([], sequences)


def test_python_lists_are_accepted_for_float_sequences():
    assert check_running_sum([np.asarray(s).tolist() for s in running_sums(INPUTS)],
                             SEQUENCES)

"""The "which axis?" exercises of Labs 01 and 02: check_unstack_axis and check_stack_axis
accept the one right axis (from either end), say what a wrong axis gives instead, in
both languages, and never raise on an answer."""

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
import numpy as np
import pytest
import tensorflow as tf
from test_labs_language import english_messages, in_both, says, speaks_both  # noqa: F401  (fixture)

from rnnbook.labs import check_stack_axis, check_unstack_axis

READINGS = tf.zeros((3, 7, 24))                  # (cities, days, hours)
DAYS = [tf.zeros((3, 24))] * 7                   # one (cities, hours) a day


@pytest.mark.parametrize("axis", [1, -2, np.int64(1), tf.constant(1)],
                         ids=["1", "-2", "numpy", "tensor"])
def test_unstack_axis_accepts_the_right_axis(axis):
    says(check_unstack_axis(axis, READINGS, (3, 24)), True,
         "gives 7 tensors of shape (3, 24)", "會得到7個形狀為(3, 24)的張量")


def test_a_negative_axis_is_explained_as_counted_from_the_end():
    en, zh = in_both(check_unstack_axis(-2, READINGS, (3, 24)))
    assert "Axis -2 is axis 1, counted from the end" in en
    assert "軸-2就是從後面數回來的軸1" in zh


@pytest.mark.parametrize("axis, english, chinese", [
    (0, "`tf.unstack(…, axis=0)` gives 3 tensors of shape (7, 24), not tensors of shape (3, 24)",
     "`tf.unstack(…, axis=0)`會得到3個形狀為(7, 24)的張量，而不是形狀為(3, 24)的張量"),
    (-1, "axis=-1)` gives 24 tensors of shape (3, 7)", "會得到24個形狀為(3, 7)的張量"),
    (None, "your answer is still None", "你的答案還是None"),
    (3, "there is no axis 3: the tensor has 3 axes, numbered 0 to 2 (or -3 to -1",
     "沒有軸3：這個張量有3個軸，編號是0到2（從後面數回來是-3到-1）"),
    (-4, "there is no axis -4", "沒有軸-4"),
    ("1", "your axis is the string `'1'`: write the number without quotes",
     "你的軸是字串`'1'`"),
    (1.0, "your axis is a float (`1.0`); an axis is named by one integer",
     "你的軸是`float`（`1.0`）"),
    (True, "your axis is a bool (`True`)", "你的軸是`bool`"),
    ([1], "your axis is a list (`[1]`)", "你的軸是`list`"),
    (tf.constant(1.0), "your axis is an EagerTensor", "軸的編號是一個整數"),
], ids=["other", "last", "untouched", "too-big", "too-small", "string", "float", "bool", "list",
        "float-tensor"])
def test_unstack_axis_mistakes_are_explained(axis, english, chinese):
    says(check_unstack_axis(axis, READINGS, (3, 24)), False, english, chinese)


def test_stack_axis_accepts_the_right_axis_and_explains_others():
    assert check_stack_axis(1, DAYS, (3, 7, 24))
    assert check_stack_axis(-2, DAYS, (3, 7, 24))
    en, zh = in_both(check_stack_axis(2, DAYS, (3, 7, 24)))
    assert "`tf.stack(…, axis=2)` gives shape (3, 24, 7), not shape (3, 7, 24)" in en
    assert "`tf.stack(…, axis=2)`會得到形狀(3, 24, 7)，而不是形狀(3, 7, 24)" in zh


def test_stack_axis_counts_the_new_axis():
    en, zh = in_both(check_stack_axis(3, DAYS, (3, 7, 24)))
    assert "there is no axis 3: the stacked tensor has 3 axes, one more" in en
    assert "stack之後的張量有3個軸，比每個被stack的張量多一個" in zh
    assert check_stack_axis(-3, DAYS, (7, 3, 24))


@pytest.mark.parametrize("axis", [None, 0, 2, 9, "x", [0], object()])
def test_the_checkers_never_raise_on_an_answer(axis):
    for result in (check_unstack_axis(axis, READINGS, (3, 24)),
                   check_stack_axis(axis, DAYS, (3, 7, 24))):
        assert not result.passed
        speaks_both(result.message)


@pytest.mark.parametrize("call, error, match", [
    (lambda: check_unstack_axis(0, READINGS, (5, 5)), ValueError, "exactly one axis"),
    (lambda: check_unstack_axis(0, tf.zeros((2, 2)), (2,)), ValueError, r"axes \[0, 1\]"),
    (lambda: check_unstack_axis(0, READINGS, None), TypeError, "tuple of integers"),
    (lambda: check_stack_axis(0, [], (1,)), ValueError, "at least one tensor"),
    (lambda: check_unstack_axis(0, tf.constant(1), ()), ValueError, "at least one axis"),
])
def test_a_bad_exercise_setup_raises_for_the_page(call, error, match):
    with pytest.raises(error, match=match):
        call()

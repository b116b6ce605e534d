"""The hints of rnnbook.labs.hints on real errors, provoked as a student provokes them
(Labs 01-03): each names the mistake in both languages without writing the answer, and the
original error fits on one line, without TensorFlow's noise."""

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
import pytest
import tensorflow as tf
from test_labs_language import speaks_both

from rnnbook.labs.hints import HINTS, _clean, hint_for, one_line_error
from rnnbook.show.language import set_language

NUMBERS = tf.constant([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])   # Lab 01's, int32
X = Y = Z = tf.zeros((2, 2))
INTS, FLOATS = tf.constant([1, 2]), tf.constant([1.0, 2.0])


def step(x_t, s_prev):
    return x_t


#: name -> (the student's mistake, English phrase, Chinese phrase, original error's start)
MISTAKES = {
    "unstack-num": (lambda: tf.unstack(NUMBERS, 1),
                    "the second positional argument of `tf.unstack` is `num`",
                    "`tf.unstack`的第二個位置引數是`num`",
                    "InvalidArgumentError: Input shape axis 0 must equal 1, got shape [3,4]"),
    "unstack-axis": (lambda: tf.unstack(NUMBERS, axis=3),
                     "there is no axis 3 here: the 2 axes are numbered 0 to 1, or -2 to -1",
                     "這裡沒有軸3：2個軸的編號是0到1，從後面數回來則是-2到-1",
                     "ValueError: Argument `axis` = 3 not in range [-2, 2)"),
    "stack-axis": (lambda: tf.stack([X, Y], axis=3), "one axis more than each tensor it stacks",
                   "比每個被stack的張量多一個軸", "ValueError: Argument `axis` = 3"),
    "stack-dtypes": (lambda: tf.stack([INTS, FLOATS]),
                     "`tf.stack` needs tensors of one dtype: the first is int32 but the one at "
                     "index 1 is float32", "第一個是int32，索引1的那個卻是float32",
                     "InvalidArgumentError: cannot compute Pack as input #1"),
    "stack-shapes": (lambda: tf.stack([INTS, tf.constant([1, 2, 3])]),
                     "`tf.stack` needs tensors of one shape", "`tf.stack`的張量必須形狀相同",
                     "InvalidArgumentError: Shapes of all inputs must match"),
    "stack-unlisted": (lambda: tf.stack(X, Y, Z), "`tf.stack` takes one list of tensors",
                       "`tf.stack`接受的是一個由張量組成的串列", "ValueError: The truth value"),
    "stack-four": (lambda: tf.stack(X, Y, Z, X), "takes at most 3 positional arguments, and it "
                   "was given 4. `tf.stack` takes one list", "最多只接受3個位置引數，這裡卻給了4個",
                   "TypeError: Too many arguments were given. Expected 3 but got 4."),
    "unstack-many": (lambda: tf.unstack(X, 1, 0, "u", 5), "Compare the call with the "
                     "function's documentation", "請對照函式的說明文件", "TypeError: Too many"),
    "keyword": (lambda: tf.unstack(X, axes=1), "this function has no argument named `axes`",
                "這個函式沒有名為`axes`的引數", "TypeError: Got an unexpected keyword argument"),
    "mixed-dtypes": (lambda: tf.zeros((2,)) + INTS, "TensorFlow does not mix dtypes in one "
                     "operation (AddV2): one operand is float32, the other int32",
                     "一個運算元是float32，另一個是int32",
                     "InvalidArgumentError: cannot compute AddV2"),
    "float64": (lambda: FLOATS + tf.constant([1.0, 2.0], tf.float64), "the other float64",
                "另一個是float64", "InvalidArgumentError: cannot compute AddV2"),
    "matmul": (lambda: tf.matmul(tf.zeros((2, 3)), tf.zeros((4, 4))),
               "here [2,3] times [4,4]", "這裡是[2,3]乘以[4,4]",
               "InvalidArgumentError: Matrix size-incompatible: In[0]: [2,3], In[1]: [4,4]"),
    "too-many": (lambda: step(X, Y, Z), "`step` was called with 3 positional arguments but "
                 "takes 2", "呼叫`step`時給了3個位置引數，但它只接受2個",
                 "TypeError: step() takes 2 positional arguments but 3 were given"),
    "too-few": (lambda: step(X), "`step` needs more arguments: 's_prev' missing",
                "`step`需要更多引數：缺少's_prev'", "TypeError: step() missing 1 required"),
    "list-shape": (lambda: tf.unstack(X).shape, "a Python list has no `.shape`",
                   "Python的串列沒有`.shape`", "AttributeError: 'list' object"),
    "none-shape": (lambda: None.shape, "this value is None", "這個值是None",
                   "AttributeError: 'NoneType' object"),
    "undefined": (lambda: eval("sentence"), "`sentence` is not defined yet: run the page's "
                  "cells above", "`sentence`還沒有定義", "NameError: name 'sentence'"),
    "ragged": (lambda: tf.constant([[1, 2], [3]]), "the rows of this nested list have different "
               "lengths", "各列長度不一樣", "ValueError: Can't convert non-rectangular"),
    "index": (lambda: tf.unstack(X)[5], "Python counts from 0", "Python從0開始數",
              "IndexError: list index out of range"),
    "truth": (lambda: bool(X == Y), "a tensor of several values is neither True nor False",
              "由好幾個值組成的張量本身不是True也不是False", "ValueError: The truth value"),
}


@pytest.fixture(autouse=True)
def no_language():
    yield
    set_language(None)


def provoke(mistake):
    with pytest.raises(Exception) as caught:
        mistake()
    return caught.value


@pytest.mark.parametrize("name", MISTAKES)
def test_each_usual_mistake_gets_a_hint_in_both_languages(name):
    mistake, english, chinese, original = MISTAKES[name]
    error = provoke(mistake)
    hint = speaks_both(hint_for(error))
    assert english in hint.en, hint.en
    assert chinese in hint.zh_TW, hint.zh_TW
    set_language("zh-TW")
    assert str(hint) == hint.zh_TW
    assert one_line_error(error).startswith(original), one_line_error(error)


@pytest.mark.parametrize("name", MISTAKES)
def test_the_original_error_is_one_clean_line(name):
    line = one_line_error(provoke(MISTAKES[name][0]))
    assert "\n" not in line and len(line) <= 300
    assert "function_node" not in line and "[Op:" not in line and "{{" not in line


def test_hints_point_at_the_mistake_without_the_answer():
    num = hint_for(provoke(MISTAKES["unstack-num"][0]))
    assert "`axis=…`" in num.en and "axis=0" not in num.en and "axis=1" not in num.en
    unlisted = hint_for(provoke(MISTAKES["stack-unlisted"][0]))
    assert "[…]" in unlisted.en and "[x, y, z]" not in unlisted.en.lower()


@pytest.mark.parametrize("error", [RuntimeError("boom"), ValueError("a value is wrong"),
                                   TypeError("unsupported operand"), KeyError("k"),
                                   ZeroDivisionError("division by zero"), Exception()])
def test_unknown_errors_get_no_hint(error):
    assert hint_for(error) is None


def test_a_message_alone_is_not_enough_the_error_class_must_match():
    assert hint_for(RuntimeError("name 'x' is not defined")) is None
    assert hint_for(NameError("name 'x' is not defined")) is not None


def test_every_hint_of_the_table_is_provoked_here():
    provoked = {id(_first_hint(provoke(MISTAKES[name][0]))) for name in MISTAKES}
    assert provoked == {id(hint) for hint in HINTS}


def _first_hint(error):
    """The entry of the table that speaks for ``error``."""
    names = {cls.__name__ for cls in type(error).__mro__}
    return next(hint for hint in HINTS if names & set(hint.errors)
                and hint.pattern.search(_clean(str(error))))


def test_a_long_error_is_cut():
    line = one_line_error(ValueError("x" * 1000))
    assert len(line) == 300 and line.endswith("…")

"""Tests of rnnbook.labs: the lab checkers accept every correct form, name each
typical mistake, never raise on a wrong answer, and reject a bad exercise setup."""

import dataclasses

import rnnbook  # noqa: F401  (first: quiets TensorFlow's start-up logs)
import numpy as np
import pytest
import tensorflow as tf
from test_labs_language import english_messages  # noqa: F401  (autouse: messages in English)

from rnnbook.labs import CheckResult, check_rnn_step, check_stack, check_unstack

DATA = tf.reshape(tf.range(12), (4, 3))          # the Lab 1 source, int32
A = tf.reshape(tf.range(12), (4, 3))             # the Lab 2 sources, int32
B = A + 100

#: Answers that are not even arrays; every checker must turn them into a verdict.
NOT_ARRAYS = [None, "abc", b"abc", [[1, 2], [3]], 7, 2.5, {}, {"a": 1}, object(), print,
              [None, None], ["a", "b", "c", "d"], tf.constant("abc"),
              tf.ragged.constant([[1, 2], [3]])]


def unstack(source, axis):
    return tf.unstack(source, axis=axis)   # tf.unstack's second positional argument is num


def failing(result):
    """The English message of a failing result (asserting it is one)."""
    assert isinstance(result, CheckResult)
    assert not result.passed, f"expected a failing verdict, got: {result}"
    assert "Traceback" not in str(result.message)
    return result.message.en


# ------------------------------------------------------------------ CheckResult


def test_check_result_is_truthy_only_when_passed():
    assert CheckResult(True, "fine")
    assert not CheckResult(False, "wrong")


def test_check_result_text_starts_with_the_verdict():
    assert str(CheckResult(True, "fine")) == "✅ Correct: fine"
    assert repr(CheckResult(False, "wrong")) == "❌ Not yet: wrong"


def test_check_result_html_escapes_and_marks_code():
    html = CheckResult(False, "use `tf.stack` on <a & b>")._repr_html_()
    assert "❌ Not yet" in html
    assert "<code>tf.stack</code>" in html
    assert "&lt;a &amp; b&gt;" in html


def test_check_result_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CheckResult(True, "fine").passed = False


# ------------------------------------------------------------------ check_unstack: correct


@pytest.mark.parametrize("answer", [
    unstack(DATA, 0),
    tuple(unstack(DATA, 0)),
    [t.numpy() for t in unstack(DATA, 0)],
    list(DATA.numpy()),
    DATA.numpy().tolist(),                       # nested Python lists of ints
    [tf.Variable(t) for t in unstack(DATA, 0)],
], ids=["tensors", "tuple", "numpy", "numpy-rows", "python-lists", "variables"])
def test_unstack_accepts_every_correct_form(answer):
    result = check_unstack(answer, DATA, axis=0)
    assert result.passed, result.message
    assert str(result).startswith("✅ Correct")
    assert "4 tensors of shape (3,)" in result.message.en


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_unstack_accepts_tf_unstack_on_every_axis_of_a_3d_source(axis):
    source = tf.reshape(tf.range(24, dtype=tf.float32), (2, 3, 4))
    assert check_unstack(unstack(source, axis), source, axis=axis)


@pytest.mark.parametrize("source", [DATA.numpy(), DATA.numpy().tolist(),
                                    DATA.numpy().astype(np.int64)])
def test_unstack_accepts_numpy_and_list_sources(source):
    assert check_unstack(unstack(tf.constant(source), 0), source, axis=0)


def test_unstack_of_a_1d_source_gives_scalars():
    source = tf.constant([1.0, 2.0, 3.0])
    assert check_unstack(unstack(source, 0), source)
    assert check_unstack([1.0, 2.0, 3.0], source)


def test_unstack_of_an_empty_axis_is_an_empty_list():
    source = tf.zeros((0, 3))
    assert check_unstack([], source, axis=0)
    assert "2 tensors" in failing(check_unstack([], tf.zeros((2, 3)), axis=0))


# ------------------------------------------------------------------ check_unstack: mistakes


def test_unstack_on_the_wrong_axis_is_named():
    message = failing(check_unstack(unstack(DATA, 1), DATA, axis=0))
    assert "this is the unstack on axis 1; the exercise asks for axis 0" in message
    assert "you returned a list of 3 tensors of shape (4,); expected 4 tensors of shape (3,)" \
        in message


def test_unstack_on_the_wrong_axis_of_a_square_source_is_named():
    square = tf.reshape(tf.range(9), (3, 3))        # both axes give 3 tensors of shape (3,)
    message = failing(check_unstack(unstack(square, 0), square, axis=1))
    assert "unstack on axis 0; the exercise asks for axis 1" in message


def test_unstack_wrong_count_and_shape_says_both():
    message = failing(check_unstack(unstack(DATA + 1, 1), DATA, axis=0))
    assert "you returned a list of 3 tensors of shape (4,); expected 4 tensors of shape (3,)" \
        in message
    assert "axis 1" not in message          # the values are not the axis-1 unstack


@pytest.mark.parametrize("answer", [DATA, DATA.numpy()], ids=["tensor", "numpy"])
def test_unstack_one_stacked_tensor_is_not_a_list(answer):
    message = failing(check_unstack(answer, DATA, axis=0))
    assert "you returned one tensor of shape (4, 3)" in message
    assert "returns a list of 4 tensors" in message


def test_unstack_split_keeps_the_axis():
    message = failing(check_unstack(tf.split(DATA, 4, axis=0), DATA, axis=0))
    assert "shape (1, 3)" in message
    assert "tf.split" in message


def test_unstack_wrong_values_name_the_element():
    answer = [t.numpy() for t in unstack(DATA, 0)]
    answer[2] = answer[2].copy()
    answer[2][1] = 99
    message = failing(check_unstack(answer, DATA, axis=0))
    assert "element 2 has the right shape (3,)" in message
    assert "index (1,): got 99, expected 7" in message


def test_unstack_reversed_order_is_named():
    message = failing(check_unstack(unstack(DATA, 0)[::-1], DATA, axis=0))
    assert "reverse order" in message


def test_unstack_wrong_dtype_names_both():
    answer = [tf.cast(t, tf.float32) for t in unstack(DATA, 0)]
    message = failing(check_unstack(answer, DATA, axis=0))
    assert "float32" in message and "int32" in message


def test_unstack_python_floats_for_an_int_source_are_the_wrong_kind():
    message = failing(check_unstack([[float(v) for v in row] for row in DATA.numpy()], DATA))
    assert "float64" in message and "int32" in message


def test_unstack_list_of_one_tensor():
    message = failing(check_unstack([DATA], DATA, axis=0))
    assert "a list of 1 tensor of shape (4, 3); expected 4 tensors of shape (3,)" in message


@pytest.mark.parametrize("answer, phrase", [
    (None, "your answer is still None: replace `None` with your code"),
    ("abc", "you returned a string"),
    (7, "you returned an int"),
    ({}, "you returned a dict"),
    ([], "you returned an empty list"),
    ([[1, 2], [3]], "ragged"),
    ([None, None, None, None], "element 0 of your list is None"),
    (["a", "b", "c", "d"], "element 0 of your list is a string"),
    ([tf.constant([0, 1, 2]), object(), 1, 2], "element 1 of your list is an object"),
    ([[0, 1, 2], [3, [4], 5], [6, 7, 8], [9, 10, 11]], "element 1 of your list is a ragged"),
    ([tf.constant(["a", "b", "c"])] * 4, "not numbers"),
])
def test_unstack_wrong_types_get_a_clear_message(answer, phrase):
    message = failing(check_unstack(answer, DATA, axis=0))
    assert phrase in message


@pytest.mark.parametrize("answer", NOT_ARRAYS, ids=lambda value: type(value).__name__)
def test_unstack_never_raises_on_a_wrong_answer(answer):
    failing(check_unstack(answer, DATA, axis=0))


# ------------------------------------------------------------------ check_unstack: setup


@pytest.mark.parametrize("source, axis, error, match", [
    (DATA, 2, ValueError,
     r"exercise setup: axis must be an integer in -2..1 \(a source of shape \(4, 3\)\), got 2"),
    (DATA, -3, ValueError, "got -3"),
    (DATA, "0", TypeError, "axis must be an integer"),
    (DATA, 1.0, TypeError, "axis must be an integer"),
    (None, 0, TypeError, "source is None"),
    ("abc", 0, TypeError, "source is a string"),
    ([[1, 2], [3]], 0, ValueError, "source is a ragged list"),
    (tf.constant(5), 0, ValueError, "at least one axis"),
])
def test_unstack_bad_setup_raises(source, axis, error, match):
    with pytest.raises(error, match=match):
        check_unstack(unstack(DATA, 0), source, axis=axis)


# ------------------------------------------------------------------ check_stack: correct


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_stack_accepts_tf_stack_on_every_axis(axis):
    result = check_stack(tf.stack([A, B], axis=axis), [A, B], axis=axis)
    assert result.passed, result.message
    assert str(result).startswith("✅ Correct")


@pytest.mark.parametrize("answer", [
    tf.stack([A, B]).numpy(),
    np.stack([A.numpy(), B.numpy()]),
    tf.stack([A, B]).numpy().tolist(),
    tf.Variable(tf.stack([A, B])),
], ids=["numpy", "np.stack", "python-lists", "variable"])
def test_stack_accepts_every_correct_form(answer):
    assert check_stack(answer, [A, B], axis=0)


@pytest.mark.parametrize("sources", [(A, B), [A.numpy(), B.numpy()], tf.stack([A, B]),
                                     [A.numpy().tolist(), B.numpy().tolist()]],
                         ids=["tuple", "numpy", "one-tensor", "python-lists"])
def test_stack_accepts_sources_in_every_form(sources):
    assert check_stack(tf.stack([A, B], axis=1), sources, axis=1)


# ------------------------------------------------------------------ check_stack: mistakes


def test_stack_on_the_other_axis_is_named():
    message = failing(check_stack(tf.stack([A, B], axis=0), [A, B], axis=1))
    assert "this is the stack on axis 0; the exercise asks for axis 1" in message
    message = failing(check_stack(tf.stack([A, B], axis=1), [A, B], axis=0))
    assert "this is the stack on axis 1; the exercise asks for axis 0" in message


def test_stack_on_the_other_axis_of_equal_sizes_is_named():
    square = [tf.reshape(tf.range(4), (2, 2)), tf.reshape(tf.range(4, 8), (2, 2))]
    message = failing(check_stack(tf.stack(square, axis=0), square, axis=1))
    assert "stack on axis 0" in message            # same shape (2, 2, 2), other values


def test_stack_concat_is_named_with_both_shapes():
    message = failing(check_stack(tf.concat([A, B], axis=0), [A, B], axis=0))
    assert "tf.concat" in message
    assert "(8, 3)" in message and "(2, 4, 3)" in message


def test_stack_transposed_is_named():
    answer = tf.transpose(tf.stack([A, B]), [0, 2, 1])
    message = failing(check_stack(answer, [A, B], axis=0))
    assert "transposed" in message and "(0, 2, 1)" in message
    assert "(2, 3, 4) instead of (2, 4, 3)" in message


def test_stack_list_of_tensors_is_not_one_tensor():
    message = failing(check_stack([A, B], [A, B], axis=0))
    assert "you returned a list of 2 tensors; `tf.stack` returns one tensor" in message


def test_stack_a_single_source_is_named():
    message = failing(check_stack(A, [A, B], axis=0))
    assert "sources[0] alone" in message


def test_stack_other_shape_says_both():
    message = failing(check_stack(tf.zeros((5, 5), tf.int32), [A, B], axis=0))
    assert "your tensor has shape (5, 5); expected shape (2, 4, 3)" in message


def test_stack_wrong_dtype_names_both():
    message = failing(check_stack(tf.cast(tf.stack([A, B]), tf.float32), [A, B], axis=0))
    assert "dtype float32" in message and "int32" in message


def test_stack_wrong_values_give_the_first_index():
    answer = tf.stack([A, B]).numpy()
    answer[1, 2, 0] = -1
    message = failing(check_stack(answer, [A, B], axis=0))
    assert "the shape (2, 4, 3) is right" in message
    assert "index (1, 2, 0): got -1, expected 106" in message


@pytest.mark.parametrize("answer, phrase", [
    (None, "your answer is still None: replace `None` with your code"),
    ("abc", "your answer is a string"),
    ([[1, 2], [3]], "ragged"),
    (3, "you returned a single number (3)"),
    ({}, "your answer is a dict"),
    ([[None]], "not numbers"),
])
def test_stack_wrong_types_get_a_clear_message(answer, phrase):
    message = failing(check_stack(answer, [A, B], axis=0))
    assert phrase in message
    assert "one tensor of shape (2, 4, 3)" in message


@pytest.mark.parametrize("answer", NOT_ARRAYS, ids=lambda value: type(value).__name__)
def test_stack_never_raises_on_a_wrong_answer(answer):
    failing(check_stack(answer, [A, B], axis=0))


# ------------------------------------------------------------------ check_stack: setup


@pytest.mark.parametrize("sources, axis, error, match", [
    ([A, B], 3, ValueError, r"axis must be an integer in -3..2"),
    ([A, B], None, TypeError, "axis must be an integer"),
    ([], 0, ValueError, "at least one tensor"),
    (None, 0, TypeError, "sources must be a list of tensors"),
    ("ab", 0, TypeError, "sources must be a list of tensors"),
    ([A, tf.zeros((2, 3), tf.int32)], 0, ValueError, "same shape"),
    ([A, tf.cast(B, tf.float32)], 0, TypeError, "same dtype"),
    ([A, None], 0, TypeError, r"sources\[1\] is None"),
    ([[[1, 2], [3]]], 0, ValueError, "ragged"),
    (tf.constant(1), 0, ValueError, "scalar"),
])
def test_stack_bad_setup_raises(sources, axis, error, match):
    with pytest.raises(error, match=match):
        check_stack(tf.stack([A, B]), sources, axis=axis)


# ------------------------------------------------------------------ check_rnn_step
# Lab 03's checker runs the step inside tf.function on the training shapes: x_t (64, 28),
# s_prev (64, 128), U (28, 128), W (128, 128), b (128,); its messages are Text.


def rnn_step(x_t, s_prev, U, W, b):
    return tf.tanh(tf.matmul(x_t, U) + tf.matmul(s_prev, W) + b)


def keras_ops_step(x_t, s_prev, U, W, b):
    import keras

    return keras.ops.tanh(keras.ops.matmul(x_t, U) + keras.ops.matmul(s_prev, W) + b)


def step_failing(result):
    """The English message of a failing rnn_step verdict (asserting it is one)."""
    assert isinstance(result, CheckResult)
    assert not result.passed, f"expected a failing verdict, got: {result.message.en}"
    assert "Traceback" not in result.message.en and "Traceback" not in result.message.zh_TW
    return result.message.en


@pytest.mark.parametrize("step", [rnn_step, keras_ops_step,
                                  lambda x, s, U, W, b: tf.tanh(x @ U + s @ W + b)],
                         ids=["tf", "keras.ops", "lambda"])
def test_rnn_step_accepts_correct_steps(step):
    result = check_rnn_step(step)
    assert result.passed, result.message.en
    assert "(64, 128)" in result.message.en and "tf.function" in result.message.en


@pytest.mark.parametrize("sizes", [dict(input_size=4, state_size=4), dict(batch=5, seed=3),
                                   dict(input_size=1, state_size=1, batch=1)])
def test_rnn_step_accepts_other_sizes(sizes):
    assert check_rnn_step(rnn_step, **sizes)


@pytest.mark.parametrize("step, phrase", [
    (lambda x, s, U, W, b: tf.matmul(x, U) + tf.matmul(s, W) + b, "the tanh is missing"),
    (lambda x, s, U, W, b: tf.tanh(tf.matmul(x, U) + b), "the recurrent term is missing"),
    (lambda x, s, U, W, b: tf.tanh(tf.matmul(s, W) + b), "the input term is missing"),
    (lambda x, s, U, W, b: tf.tanh(tf.matmul(x, U) + tf.matmul(s, W)), "the bias is missing"),
    (lambda x, s, U, W, b: tf.sigmoid(tf.matmul(x, U) + tf.matmul(s, W) + b), "sigmoid"),
    (lambda x, s, U, W, b: tf.nn.relu(tf.matmul(x, U) + tf.matmul(s, W) + b), "relu"),
    (lambda x, s, U, W, b: tf.zeros_like(s), "all zeros"),
    (lambda x, s, U, W, b: tf.transpose(rnn_step(x, s, U, W, b)), "transpose"),
    (lambda x, s, U, W, b: rnn_step(x, s, U, W, b) + 0.1, "values differ"),
], ids=["no-tanh", "no-recurrence", "no-input", "no-bias", "sigmoid", "relu", "zeros",
        "transposed", "off"])
def test_rnn_step_typical_mistakes_are_named(step, phrase):
    assert phrase in step_failing(check_rnn_step(step))


def test_rnn_step_swapped_u_and_w_gets_a_shape_hint_without_the_answer():
    def swapped(x_t, s_prev, U, W, b):
        return tf.tanh(tf.matmul(x_t, W) + tf.matmul(s_prev, U) + b)

    message = step_failing(check_rnn_step(swapped))
    assert "raised InvalidArgumentError" in message
    assert "Matrix size-incompatible" in message
    assert "function_node" not in message and "[Op:" not in message    # TF noise removed
    assert "x_t is (64, 28), s_prev (64, 128), U (28, 128), W (128, 128)" in message
    assert "tf.matmul(x_t, U)" not in message and "tanh" not in message  # no answer given


def test_rnn_step_swapped_u_and_w_of_equal_shape_is_named():
    def swapped(x_t, s_prev, U, W, b):
        return tf.tanh(tf.matmul(x_t, W) + tf.matmul(s_prev, U) + b)

    message = step_failing(check_rnn_step(swapped, input_size=4, state_size=4))
    assert "U and W are swapped" in message


def test_rnn_step_column_vector_form_gets_the_row_vector_hint():
    def column(x_t, s_prev, U, W, b):
        return tf.tanh(tf.matmul(U, x_t) + tf.matmul(W, s_prev) + b)

    message = step_failing(check_rnn_step(column))
    assert "column-vector form" in message


def numpy_step(x_t, s_prev, U, W, b):
    x_t, s_prev, U, W, b = (np.asarray(v, np.float32) for v in (x_t, s_prev, U, W, b))
    return tf.constant(np.tanh(x_t @ U + s_prev @ W + b))


def dot_numpy_step(x_t, s_prev, U, W, b):
    return tf.tanh(tf.constant(x_t.numpy()) @ U + s_prev @ W + b)


def python_int_step(x_t, s_prev, U, W, b):
    batch = int(tf.shape(x_t)[0])
    return tf.reshape(rnn_step(x_t, s_prev, U, W, b), (batch, -1))


def static_batch_step(x_t, s_prev, U, W, b):
    return rnn_step(x_t, s_prev, U, W, b) + tf.zeros((x_t.shape[0], W.shape[1]))


@pytest.mark.parametrize("step", [numpy_step, dot_numpy_step, python_int_step,
                                  static_batch_step],
                         ids=["numpy", ".numpy()", "int()", "static-batch"])
def test_rnn_step_that_works_only_eagerly_is_caught(step):
    inputs = [tf.random.normal(shape) for shape in [(64, 28), (64, 128), (28, 128),
                                                      (128, 128), (128,)]]
    np.testing.assert_allclose(step(*inputs), rnn_step(*inputs), rtol=1e-5, atol=1e-5)
    message = step_failing(check_rnn_step(step))
    assert "works on ordinary tensors but not inside `tf.function`" in message
    assert "`.numpy()`" in message


@pytest.mark.parametrize("step, phrases", [
    (5, ["you passed an int, not a function", "check_rnn_step(rnn_step)"]),
    (rnn_step(*[tf.ones(s) for s in [(2, 3), (2, 4), (3, 4), (4, 4), (4,)]]),
     ["not a function"]),
    (lambda x, s, U, W, b: 1 / 0, ["raised ZeroDivisionError: division by zero"]),
    (lambda x, s, U, W: x, ["raised TypeError", "positional argument"]),
    (lambda x, s, U, W, b: None, ["you returned None", "`return`", "shape (64, 128)"]),
    (lambda x, s, U, W, b: tf.zeros((3,)), ["returned shape (3,)", "shape (64, 128)"]),
    (lambda x, s, U, W, b: [rnn_step(x, s, U, W, b)], ["a list of 1 value"]),
    (lambda x, s, U, W, b: tf.zeros((64, 128), tf.int32), ["int32", "float32"]),
    (lambda x, s, U, W, b: tf.cast(rnn_step(x, s, U, W, b), tf.float64), ["float64"]),
], ids=["int", "tensor", "raises", "arguments", "None", "shape", "list", "int32", "float64"])
def test_rnn_step_wrong_functions_get_a_clear_message(step, phrases):
    message = step_failing(check_rnn_step(step))
    for phrase in phrases:
        assert phrase in message


def test_rnn_step_untouched_stubs_are_not_correct():
    def stub(x_t, s_prev, U, W, b):
        return None  # your code here

    def not_written(x_t, s_prev, U, W, b):
        raise NotImplementedError

    assert "you returned None" in step_failing(check_rnn_step(stub))
    assert "not written yet" in step_failing(check_rnn_step(not_written))


def test_rnn_step_speaks_the_page_language():
    from rnnbook.show.language import set_language

    swapped = check_rnn_step(lambda x, s, U, W, b: tf.tanh(x @ W + s @ U + b))
    try:
        set_language("zh-TW")
        assert "形狀" in str(swapped.message) and "權重" in str(swapped.message)
        assert "張量" in str(check_rnn_step(lambda x, s, U, W, b: None).message)
        assert "批次" in str(check_rnn_step(lambda x, s, U, W, b: tf.zeros((3,))).message)
        assert "形狀為(64, 128)" in str(check_rnn_step(rnn_step).message)
        set_language("en")
        assert "x_t is (64, 28)" in str(swapped.message)
    finally:
        set_language(None)


def test_rnn_step_is_deterministic_for_a_seed():
    def off(x_t, s_prev, U, W, b):
        return rnn_step(x_t, s_prev, U, W, b) + 0.1

    assert check_rnn_step(off, seed=1) == check_rnn_step(off, seed=1)
    assert check_rnn_step(off, seed=1) != check_rnn_step(off, seed=2)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(input_size=0), ValueError, "input_size must be a positive integer"),
    (dict(state_size=2.5), TypeError, "state_size must be a positive integer"),
    (dict(batch="2"), TypeError, "batch must be a positive integer"),
    (dict(seed=-1), ValueError, "exercise setup: seed must be an integer >= 0, got -1"),
    (dict(seed=None), TypeError, "seed must be an integer"),
])
def test_rnn_step_bad_setup_raises(kwargs, error, match):
    with pytest.raises(error, match=match):
        check_rnn_step(rnn_step, **kwargs)

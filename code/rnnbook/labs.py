"""Checkers behind the exercises of the chapter's three labs (Corelab, Demo 18-3).

    Lab 1  tf.unstack a data set along axis 0     check_unstack(answer, source, axis=0)
    Lab 2  tf.stack data sets along axis 0 and 1  check_stack(answer, sources, axis=0)
    Lab 3  one step of the 18-2 RNN cell          check_rnn_step(rnn_step)

A checker never raises because of the student's answer: it returns a
:class:`CheckResult` that says what is right or wrong (shape, dtype, values)
and names the likely mistake. It raises ValueError or TypeError only when the
exercise itself is set up wrongly by the page (a bad axis or source).

Answers are compared as NumPy arrays. Values that carry a dtype (tf.Tensor,
NumPy array) must match the source's dtype exactly; plain Python numbers only
need the same kind (integer, float, bool), since Python has no int32.
"""

from __future__ import annotations

import html
import itertools
import numbers
import re
from dataclasses import dataclass

import numpy as np

from rnnbook._checks import integer_in, non_negative_int, positive_int

_NUMBER_KINDS = "biufc"     # NumPy dtype kinds that hold numbers
_TOLERANCE = "1e-5"         # how close a float answer must be (relative and absolute)
_RTOL = _ATOL = float(_TOLERANCE)
_MAX_PERMUTED_AXES = 5      # look for transposes up to this many axes (5! = 120 tries)
#: Parts of a TensorFlow error message that mean nothing to a student: the
#: "{{function_node ...}}" prefix and the "[Op:MatMul] name: ..." suffix.
_TF_NOISE = re.compile(r"\{\{.*?\}\}\s*|\s*\[Op:\w+\].*$", re.MULTILINE)


@dataclass(frozen=True, repr=False)
class CheckResult:
    """A verdict on one answer: truthy when correct, shown as one paragraph.

    As the last expression of a notebook cell it displays as HTML; ``print``
    and the console show the same text starting with "✅ Correct" or "❌ Not yet".
    """

    passed: bool
    message: str

    @property
    def verdict(self) -> str:
        return "✅ Correct" if self.passed else "❌ Not yet"

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return f"{self.verdict}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        body = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(self.message))
        return f'<p class="rnnbook-check"><strong>{self.verdict}</strong>: {body}</p>'


class _Mistake(Exception):
    """What is wrong with an answer; ``error`` is the exception to raise for a bad setup."""

    def __init__(self, message: str, error: type[Exception] = TypeError) -> None:
        super().__init__(message)
        self.error = error


# ---------------------------------------------------------------- Lab 1: tf.unstack


def check_unstack(answer, source, axis: int = 0) -> CheckResult:
    """Check ``answer`` against ``tf.unstack(source, axis=axis)`` (Lab 1, Demo 18-3).

    Accepts a list or tuple of tf.Tensors, NumPy arrays or nested Python lists.
    """
    typed = _has_dtype(source)
    source = _setup_array("source", source)
    if source.ndim == 0:
        raise _setup_error(ValueError, "source must have at least one axis to unstack, "
                                       "got a scalar")
    asked, axis = axis, _setup_axis(axis, source.ndim, f"a source of shape {source.shape}")
    expected = _unstack(source, axis)
    try:
        pieces = _as_pieces(answer, f"`tf.unstack` returns a list of {_tensors(expected)}")
        _diagnose_unstack(pieces, source, axis, asked)
        for i, (piece, original) in enumerate(zip(pieces, answer)):
            _check_dtype(piece, source.dtype, typed and _has_dtype(original),
                         f"element {i}", "`tf.unstack` keeps the source's dtype")
    except _Mistake as mistake:
        return CheckResult(False, str(mistake))
    return CheckResult(True, f"`tf.unstack(source, axis={asked})` gives a list of "
                             f"{_tensors(expected)}, and your answer matches it.")


def _unstack(source: np.ndarray, axis: int) -> list[np.ndarray]:
    """What tf.unstack returns, as NumPy arrays: the slices along ``axis``, in order."""
    return list(np.moveaxis(source, axis, 0))


def _as_pieces(answer, wanted: str) -> list[np.ndarray]:
    """The student's list of tensors as NumPy arrays of one shape, or a _Mistake."""
    if answer is None:
        raise _Mistake(f"you returned None; {wanted}. Did you forget to assign the result?")
    if isinstance(answer, (str, bytes)):
        raise _Mistake(f"you returned a string ({answer!r:.40}); {wanted}")
    if _has_dtype(answer):
        raise _Mistake(f"you returned one tensor of shape {_shape(answer)}; {wanted}")
    if not isinstance(answer, (list, tuple)):
        raise _Mistake(f"you returned {_a(type(answer).__name__)}; {wanted}")
    pieces = [_to_array(piece, f"element {i} of your list") for i, piece in enumerate(answer)]
    shapes = list(dict.fromkeys(piece.shape for piece in pieces))
    if len(shapes) > 1:
        listed = ", ".join(str(shape) for shape in shapes[:4])
        raise _Mistake(f"your list is ragged: its elements have different shapes ({listed}); "
                       f"{wanted}")
    return pieces


def _diagnose_unstack(pieces: list[np.ndarray], source: np.ndarray, axis: int,
                      asked: int) -> None:
    """Return if ``pieces`` equal the unstack of ``source``; else raise the likely mistake."""
    expected = _unstack(source, axis)
    if _same_list(pieces, expected):
        return
    if not pieces:
        raise _Mistake(f"you returned an empty list; expected {_tensors(expected)}")
    returned = f"you returned a list of {_tensors(pieces)}; expected {_tensors(expected)}"
    for other in range(source.ndim):
        if other != axis and _same_list(pieces, _unstack(source, other)):
            raise _Mistake(f"this is the unstack on axis {other}; the exercise asks for axis "
                           f"{asked} ({returned})")
    if _same_list(pieces, [np.expand_dims(piece, axis) for piece in expected]):
        raise _Mistake(f"{returned}. This looks like `tf.split`, which keeps the split axis "
                       f"with size 1; `tf.unstack` removes that axis")
    if len(pieces) != len(expected) or pieces[0].shape != expected[0].shape:
        raise _Mistake(returned)
    if _same_list(pieces, expected[::-1]):
        raise _Mistake("your pieces are right but in reverse order: `tf.unstack` keeps the "
                       "order along the axis, element 0 first")
    i = next(i for i, (got, want) in enumerate(zip(pieces, expected)) if not _same(got, want))
    raise _Mistake(f"element {i} has the right shape {pieces[i].shape} but different values, "
                   f"{_first_difference(pieces[i], expected[i])}")


# ---------------------------------------------------------------- Lab 2: tf.stack


def check_stack(answer, sources, axis: int = 0) -> CheckResult:
    """Check ``answer`` against ``tf.stack(sources, axis=axis)`` (Lab 2, Demo 18-3).

    Accepts one tf.Tensor, NumPy array or nested Python list.
    """
    arrays, typed = _setup_sources(sources)
    context = (f"stacking tensors of shape {arrays[0].shape} "
               f"(the result has {arrays[0].ndim + 1} axes)")
    asked, axis = axis, _setup_axis(axis, arrays[0].ndim + 1, context)
    expected = np.stack(arrays, axis)
    try:
        got = _as_one(answer, f"`tf.stack` returns one tensor of shape {expected.shape}")
        _diagnose_stack(got, arrays, axis, asked)
        _check_dtype(got, expected.dtype, typed and _has_dtype(answer), "your tensor",
                     "`tf.stack` keeps the dtype of its inputs")
    except _Mistake as mistake:
        return CheckResult(False, str(mistake))
    return CheckResult(True, f"your tensor has shape {expected.shape} and matches "
                             f"`tf.stack(sources, axis={asked})`.")


def _setup_sources(sources) -> tuple[list[np.ndarray], bool]:
    """The exercise's tensors to stack, and whether they all carry a dtype; or raise."""
    if _has_dtype(sources):
        array = _setup_array("sources", sources)
        if array.ndim == 0:
            raise _setup_error(ValueError, "sources must be a list of tensors (or one tensor "
                                           "with at least one axis), got a scalar")
        return list(array), True
    if not isinstance(sources, (list, tuple)):
        raise _setup_error(TypeError, f"sources must be a list of tensors to stack, got "
                                      f"{type(sources).__name__}")
    if not sources:
        raise _setup_error(ValueError, "sources must hold at least one tensor, got []")
    arrays = [_setup_array(f"sources[{i}]", source) for i, source in enumerate(sources)]
    shapes = list(dict.fromkeys(array.shape for array in arrays))
    if len(shapes) > 1:
        raise _setup_error(ValueError, f"sources must all have the same shape to be stacked, "
                                       f"got {shapes}")
    typed = all(_has_dtype(source) for source in sources)
    dtypes = list(dict.fromkeys(str(array.dtype) for array in arrays))
    if typed and len(dtypes) > 1:
        raise _setup_error(TypeError, f"sources must all have the same dtype to be stacked, "
                                      f"got {dtypes}")
    return arrays, typed


def _diagnose_stack(got: np.ndarray, arrays: list[np.ndarray], axis: int, asked: int) -> None:
    """Return if ``got`` equals the stack of ``arrays``; else raise the likely mistake."""
    expected = np.stack(arrays, axis)
    if _same(got, expected):
        return
    shapes = f"shape {got.shape} instead of {expected.shape}"
    for other in range(expected.ndim):
        if other != axis and _same(got, np.stack(arrays, other)):
            raise _Mistake(f"this is the stack on axis {other}; the exercise asks for axis "
                           f"{asked} ({shapes})")
    for other in range(arrays[0].ndim):
        if _same(got, np.concatenate(arrays, other)):
            raise _Mistake(f"this is `tf.concat` along axis {other}, {shapes}: concat joins the "
                           f"tensors along an axis they already have; `tf.stack` adds a new "
                           f"axis, giving shape {expected.shape}")
    for i, array in enumerate(arrays):
        if _same(got, array):
            raise _Mistake(f"this is sources[{i}] alone ({shapes}); `tf.stack` combines all "
                           f"{len(arrays)} tensors into one")
    order = _permutation(got, expected)
    if order is not None:
        raise _Mistake(f"your tensor is the expected one transposed: its axes are in the "
                       f"order {order} ({shapes})")
    if got.shape != expected.shape:
        raise _Mistake(f"your tensor has shape {got.shape}; expected shape {expected.shape}")
    raise _Mistake(f"the shape {got.shape} is right but the values differ, "
                   f"{_first_difference(got, expected)}")


def _permutation(got: np.ndarray, expected: np.ndarray) -> tuple[int, ...] | None:
    """Axis order that turns ``expected`` into ``got`` (a transpose), or None."""
    if expected.ndim > _MAX_PERMUTED_AXES or sorted(got.shape) != sorted(expected.shape):
        return None
    for order in itertools.permutations(range(expected.ndim)):
        if order != tuple(range(expected.ndim)) and _same(got, np.transpose(expected, order)):
            return order
    return None


# ---------------------------------------------------------------- Lab 3: one RNN step


def check_rnn_step(step, input_size: int = 3, state_size: int = 4, batch: int = 2,
                   seed: int = 0) -> CheckResult:
    """Check ``step(x_t, s_prev, U, W, b)`` against s_t = tanh(x_t U + s_prev W + b) (Lab 3).

    This is the 18-2 equation s_t = f(U x_t + W s_{t-1} + b) with f = tanh in
    Keras' row-vector form: x_t (batch, input), U (input, state),
    W (state, state), b (state,), s_t (batch, state). ``step`` is called on
    seeded random tf.float32 tensors and may return a tf.Tensor or NumPy array.
    """
    sizes = (positive_int("batch", batch), positive_int("input_size", input_size),
             positive_int("state_size", state_size))
    seed = _setup_checked(non_negative_int, "seed", seed)
    if not callable(step):
        return CheckResult(False, f"you passed {_a(type(step).__name__)}, not a function: pass "
                                  f"the function itself, `check_rnn_step(rnn_step)`, without "
                                  f"calling it")
    inputs = _step_inputs(*sizes, seed)
    expected_shape = (sizes[0], sizes[2])
    try:
        output = _call(step, inputs)
        got = _as_one(output, f"`rnn_step` should return one tensor of shape {expected_shape}",
                      "your function's result")
        _diagnose_step(got, [np.asarray(value, np.float64) for value in inputs])
    except _Mistake as mistake:
        return CheckResult(False, str(mistake))
    return CheckResult(True, f"your `rnn_step` computes s_t = tanh(x_t U + s_prev W + b), shape "
                             f"{expected_shape}, on random inputs (within {_TOLERANCE}).")


def _step_inputs(batch: int, input_size: int, state_size: int, seed: int) -> list:
    """Seeded random x_t, s_prev, U, W, b as tf.float32 tensors."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    arrays = [rng.normal(0, 1, (batch, input_size)),                             # x_t
              rng.uniform(-1, 1, (batch, state_size)),                           # s_prev
              rng.normal(0, 1 / np.sqrt(input_size), (input_size, state_size)),  # U
              rng.normal(0, 1 / np.sqrt(state_size), (state_size, state_size)),  # W
              rng.normal(0, 0.5, (state_size,))]                                 # b
    return [tf.constant(array, dtype=tf.float32) for array in arrays]


def _call(step, inputs: list):
    """``step(x_t, s_prev, U, W, b)``; an exception becomes a _Mistake (no traceback)."""
    try:
        return step(*inputs)
    except Exception as error:  # whatever the student's code raises is reported, not raised
        text = _TF_NOISE.sub("", str(error)).strip().splitlines()
        message = f"your function raised {type(error).__name__}: {text[0] if text else ''}"
        if re.search(r"incompatible|shapes|dimension|size", message, re.IGNORECASE):
            x_t, s_prev, U, W, _ = (tuple(value.shape) for value in inputs)
            message += (f". With x_t {x_t}, s_prev {s_prev}, U {U} and W {W}, write "
                        f"`tf.matmul(x_t, U) + tf.matmul(s_prev, W) + b`: rows are examples, "
                        f"so the vector comes first (the book's U x_t is the column-vector "
                        f"form), and U goes with x_t, W with s_prev")
        raise _Mistake(message) from None


def _diagnose_step(got: np.ndarray, inputs: list[np.ndarray]) -> None:
    """Return if ``got`` is tanh(x U + s W + b); else raise the likely mistake."""
    x, s, U, W, b = inputs
    expected = np.tanh(x @ U + s @ W + b)
    if got.dtype.kind != "f":
        raise _Mistake(f"your function returned {got.dtype} values; s_t holds floats")
    if got.shape == expected.shape and _close(got, expected):
        return
    if got.shape == expected.T.shape and _close(got.T, expected):
        raise _Mistake(f"your output is the transpose of s_t: shape {got.shape} instead of "
                       f"{expected.shape} (batch, state)")
    if got.shape != expected.shape:
        raise _Mistake(f"your function returned shape {got.shape}; s_t should have shape "
                       f"{expected.shape}, one row of state per example in the batch")
    for mistake, variant in _step_mistakes(x, s, U, W, b):
        if _close(got, variant):
            raise _Mistake(mistake)
    worst = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    raise _Mistake(f"the shape {got.shape} is right but the values differ, most at "
                   f"{tuple(int(i) for i in worst)}: got {_fmt(got[worst])}, expected "
                   f"{_fmt(expected[worst])}")


def _step_mistakes(x, s, U, W, b) -> list[tuple[str, np.ndarray]]:
    """Typical wrong steps and what each computes."""
    pre = x @ U + s @ W + b
    mistakes = [
        ("the tanh is missing: your output is the pre-activation x_t U + s_prev W + b; "
         "apply `tf.tanh` to it", pre),
        ("the recurrent term is missing: your output is tanh(x_t U + b); s_t must also depend "
         "on the previous state through `tf.matmul(s_prev, W)`", np.tanh(x @ U + b)),
        ("the input term is missing: your output is tanh(s_prev W + b); add "
         "`tf.matmul(x_t, U)`", np.tanh(s @ W + b)),
        ("the bias is missing: your output is tanh(x_t U + s_prev W); add b",
         np.tanh(x @ U + s @ W)),
        ("you used the sigmoid instead of tanh: the 18-2 cell uses `tf.tanh`",
         1 / (1 + np.exp(-pre))),
        ("you used relu instead of tanh: the 18-2 cell uses `tf.tanh`", np.maximum(pre, 0)),
    ]
    if U.shape == W.shape:
        mistakes.append(("U and W are swapped: U multiplies the input x_t, W the previous "
                         "state s_prev", np.tanh(x @ W + s @ U + b)))
    return mistakes


# ---------------------------------------------------------------- shared helpers


def _has_dtype(value) -> bool:
    """True for tf.Tensor, tf.Variable, NumPy arrays and scalars: values with their own dtype."""
    return hasattr(value, "dtype") and hasattr(value, "shape")


def _to_array(value, what: str) -> np.ndarray:
    """``value`` as a NumPy array of numbers, or a _Mistake saying why it is not one."""
    if value is None:
        raise _Mistake(f"{what} is None")
    if isinstance(value, (str, bytes)):
        raise _Mistake(f"{what} is a string ({value!r:.40}), not numbers")
    if not (_has_dtype(value) or isinstance(value, (list, tuple, numbers.Number))):
        raise _Mistake(f"{what} is {_a(type(value).__name__)}, not an array of numbers")
    try:
        array = np.asarray(value)
    except Exception:  # NumPy 2 raises ValueError on ragged lists; tensors may raise others
        if isinstance(value, (list, tuple)):
            raise _Mistake(f"{what} is a ragged list: its rows have different lengths",
                           ValueError) from None
        raise _Mistake(f"{what} could not be read as an array of numbers") from None
    if array.dtype.kind not in _NUMBER_KINDS:
        raise _Mistake(f"{what} holds {array.dtype} values, not numbers")
    return array


def _setup_array(name: str, value) -> np.ndarray:
    """An array the page passed to set up an exercise; bad ones raise for the page's author."""
    try:
        return _to_array(value, name)
    except _Mistake as problem:
        raise _setup_error(problem.error, f"{problem}; expected a tf.Tensor, NumPy array or "
                                          f"nested list of numbers") from None


def _setup_error(error: type[Exception], message: str) -> Exception:
    return error(f"exercise setup: {message}")


def _setup_checked(check, name: str, value, *limits):
    """A shared check (rnnbook._checks) whose message says it is the exercise's set-up."""
    try:
        return check(name, value, *limits)
    except (TypeError, ValueError) as error:
        raise _setup_error(type(error), str(error)) from None


def _setup_axis(axis, ndim: int, context: str) -> int:
    """``axis`` normalised to 0..ndim-1, or raise saying which axes exist."""
    return _setup_checked(integer_in, "axis", axis, -ndim, ndim - 1, context) % ndim


def _as_one(answer, wanted: str, subject: str = "your answer") -> np.ndarray:
    """The student's single tensor as a NumPy array, or a _Mistake."""
    if answer is None:
        raise _Mistake(f"you returned None; {wanted}. Did you forget `return`?")
    if isinstance(answer, (list, tuple)) and any(_has_dtype(item) for item in answer):
        raise _Mistake(f"you returned a list of {_plural(len(answer), 'tensor')}; {wanted}")
    if isinstance(answer, numbers.Number) and not _has_dtype(answer):
        raise _Mistake(f"you returned a single number ({answer!r}); {wanted}")
    try:
        return _to_array(answer, subject)
    except _Mistake as mistake:
        raise _Mistake(f"{mistake}; {wanted}") from None


def _check_dtype(got: np.ndarray, want: np.dtype, exact: bool, what: str, rule: str) -> None:
    """Exact dtype when both sides carry one, else the same kind (integer, float, bool)."""
    same = got.dtype == want if exact else _kind(got.dtype) == _kind(want)
    if not same:
        raise _Mistake(f"the values are right but {what} has dtype {got.dtype}; {rule}, "
                       f"{want}. Did you cast it?")


def _kind(dtype: np.dtype) -> str:
    return {"b": "bool", "i": "integer", "u": "integer", "f": "float"}.get(dtype.kind, "complex")


def _same(got: np.ndarray, want: np.ndarray) -> bool:
    return got.shape == want.shape and _close(got, want)


def _same_list(got: list[np.ndarray], want: list[np.ndarray]) -> bool:
    return len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want))


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    return bool(np.allclose(_numbers(got), _numbers(want), rtol=_RTOL, atol=_ATOL,
                            equal_nan=True))


def _numbers(array: np.ndarray) -> np.ndarray:
    """Booleans as 0/1 so that every answer can be subtracted from the expected one."""
    return array.astype(np.int8) if array.dtype.kind == "b" else array


def _first_difference(got: np.ndarray, want: np.ndarray) -> str:
    """'first at index (i, j): got a, expected b' for two arrays of one shape."""
    index = tuple(int(i) for i in np.argwhere(~np.isclose(
        _numbers(got), _numbers(want), rtol=_RTOL, atol=_ATOL, equal_nan=True))[0])
    where = f"first at index {index}: " if index else ""
    return f"{where}got {_fmt(got[index])}, expected {_fmt(want[index])}"


def _fmt(value) -> str:
    value = np.asarray(value).item()
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _tensors(pieces: list[np.ndarray]) -> str:
    """'4 tensors of shape (3,)' for a list of equally shaped arrays."""
    shape = pieces[0].shape if pieces else ()
    return f"{_plural(len(pieces), 'tensor')} of shape {shape}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def _shape(value) -> tuple:
    try:
        return tuple(int(d) for d in value.shape)
    except (TypeError, ValueError):     # unknown dimensions of a symbolic tensor
        return tuple(value.shape)

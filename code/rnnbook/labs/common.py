"""What every lab checker shares: the verdict, the student's mistakes, array helpers (Labs 01-03).

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
import numbers
import re
from dataclasses import dataclass

import numpy as np

from rnnbook._checks import integer_in

_NUMBER_KINDS = "biufc"     # NumPy dtype kinds that hold numbers
_TOLERANCE = "1e-5"         # how close a float answer must be (relative and absolute)
_RTOL = _ATOL = float(_TOLERANCE)
_MAX_PERMUTED_AXES = 5      # look for transposes up to this many axes (5! = 120 tries)


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

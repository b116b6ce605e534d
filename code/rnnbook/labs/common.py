"""What every lab checker shares: the verdict, the student's mistakes, array helpers (Labs 01-03).

A checker never raises because of the student's answer: it returns a
:class:`CheckResult` that says what is right or wrong (shape, dtype, values)
and names the likely mistake, in the student's language (a
:class:`~rnnbook.show.language.Text`). It raises ValueError or TypeError, in
English, only when the exercise itself is set up wrongly by the page (a bad
axis or source).

Answers are compared as NumPy arrays. Values that carry a dtype (tf.Tensor,
NumPy array) must match the source's dtype exactly; plain Python numbers only
need the same kind (integer, float, bool), since Python has no int32.
"""


from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from rnnbook.arguments import integer_in
from rnnbook.show.language import Text, as_text, say, to_html

_NUMBER_KINDS = "biufc"     # NumPy dtype kinds that hold numbers
TOLERANCE = "1e-5"         # how close a float answer must be (relative and absolute)
_RTOL = _ATOL = float(TOLERANCE)
MAX_PERMUTED_AXES = 5      # look for transposes up to this many axes (5! = 120 tries)

CORRECT = Text("✅ Correct", "✅ 正確")
NOT_YET = Text("❌ Not yet", "❌ 還不對")
#: Who the messages speak of: the student's answer, its elements, its tensor.
YOUR_ANSWER = Text("your answer", "你的答案")
YOUR_TENSOR = Text("your tensor", "你的張量")


@dataclass(frozen=True, repr=False)
class CheckResult:
    """A verdict on one answer: truthy when correct, shown as one paragraph.

    ``message`` is a Text (a plain str, shown as it is in every language, is
    accepted too). As the last expression of a notebook cell it displays as
    HTML; ``print`` and the console show the same text in the current
    language, starting with "✅ Correct" or "❌ Not yet" ("✅ 正確", "❌ 還不對").
    """

    passed: bool
    message: Text | str

    def __post_init__(self) -> None:
        as_text(self.message)       # a TypeError now rather than when it is shown

    @property
    def verdict(self) -> Text:
        return CORRECT if self.passed else NOT_YET

    def text(self) -> Text:
        """The verdict and the message as one Text."""
        return say("{verdict}: {message}", "{verdict}：{message}", verdict=self.verdict,
                   message=as_text(self.message))

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return str(self.text())

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rest = say(": {message}", "：{message}", message=as_text(self.message))
        return (f'<p class="rnnbook-check"><strong>{to_html(self.verdict)}</strong>'
                f"{to_html(rest)}</p>")


class Mistake(Exception):
    """What is wrong with an answer; ``error`` is the exception to raise for a bad setup."""

    def __init__(self, message: Text | str, error: type[Exception] = TypeError) -> None:
        self.message = as_text(message)
        super().__init__(self.message)
        self.error = error

    def __str__(self) -> str:
        return str(self.message)


# ---------------------------------------------------------------- shared helpers


def has_dtype(value) -> bool:
    """True for tf.Tensor, tf.Variable, NumPy arrays and scalars: values with their own dtype."""
    return hasattr(value, "dtype") and hasattr(value, "shape")


def to_array(value, what: Text | str) -> np.ndarray:
    """``value`` as a NumPy array of numbers, or a Mistake saying why it is not one."""
    if value is None:
        raise Mistake(say("{what} is None", "{what}是None", what=what))
    if isinstance(value, (str, bytes)):
        raise Mistake(say("{what} is a string (`{value}`), not numbers",
                           "{what}是字串（`{value}`），不是數字", what=what, value=shortened(value)))
    if not (has_dtype(value) or isinstance(value, (list, tuple, numbers.Number))):
        raise Mistake(say("{what} is {a_type}, not an array of numbers",
                           "{what}是`{type}`，不是由數字組成的陣列", what=what,
                           a_type=with_article(type(value).__name__), type=type(value).__name__))
    try:
        array = np.asarray(value)
    except Exception:  # NumPy 2 raises ValueError on ragged lists; tensors may raise others
        if isinstance(value, (list, tuple)):
            raise Mistake(say("{what} is a ragged list: its rows have different lengths",
                               "{what}是不規則的串列：各列的長度不一樣", what=what),
                           ValueError) from None
        raise Mistake(say("{what} could not be read as an array of numbers",
                           "{what}無法讀成由數字組成的陣列", what=what)) from None
    if array.dtype.kind not in _NUMBER_KINDS:
        raise Mistake(say("{what} holds {dtype} values, not numbers",
                           "{what}裝的是{dtype}的值，不是數字", what=what, dtype=array.dtype))
    return array


def shortened(value) -> str:
    """A value's repr, cut to 40 characters (a long string in a message)."""
    return f"{value!r:.40}"


def setup_array(name: str, value) -> np.ndarray:
    """An array the page passed to set up an exercise; bad ones raise for the page's author."""
    try:
        return to_array(value, name)
    except Mistake as problem:
        raise setup_error(problem.error, f"{problem.message.en}; expected a tf.Tensor, NumPy "
                                          f"array or nested list of numbers") from None


def setup_error(error: type[Exception], message: str) -> Exception:
    return error(f"exercise setup: {message}")


def setup_checked(check, name: str, value, *limits):
    """A shared check (rnnbook.arguments) whose message says it is the exercise's set-up."""
    try:
        return check(name, value, *limits)
    except (TypeError, ValueError) as error:
        raise setup_error(type(error), str(error)) from None


def setup_axis(axis, ndim: int, context: str) -> int:
    """``axis`` normalised to 0..ndim-1, or raise saying which axes exist."""
    return setup_checked(integer_in, "axis", axis, -ndim, ndim - 1, context) % ndim


def require_answer(answer, wanted: Text | str) -> None:
    """A Mistake if the exercise's variable still holds the ``None`` the page gave it."""
    if answer is None:
        raise Mistake(say("your answer is still None: replace `None` with your code and run "
                           "the cell; {wanted}",
                           "你的答案還是None：請把`None`換成你的程式碼，再執行這個程式碼儲存格；"
                           "{wanted}", wanted=wanted))


def as_one(answer, wanted: Text | str, subject: Text | str = YOUR_ANSWER) -> np.ndarray:
    """The student's single tensor as a NumPy array, or a Mistake."""
    if answer is None:
        raise Mistake(say("you returned None; {wanted}. Did you forget `return`?",
                           "你傳回的是None；{wanted}。是不是忘了寫`return`？", wanted=wanted))
    if isinstance(answer, (list, tuple)) and any(has_dtype(item) for item in answer):
        raise Mistake(say("you returned a list of {tensors}; {wanted}",
                           "你傳回的是由{tensors}組成的串列；{wanted}",
                           tensors=_count(len(answer)), wanted=wanted))
    if isinstance(answer, numbers.Number) and not has_dtype(answer):
        raise Mistake(say("you returned a single number ({number}); {wanted}",
                           "你傳回的是單一個數字（{number}）；{wanted}", number=repr(answer),
                           wanted=wanted))
    try:
        return to_array(answer, subject)
    except Mistake as mistake:
        raise Mistake(say("{mistake}; {wanted}", "{mistake}；{wanted}",
                           mistake=mistake.message, wanted=wanted)) from None


def check_dtype(got: np.ndarray, want: np.dtype, exact: bool, what: Text | str,
                 rule: Text | str) -> None:
    """Exact dtype when both sides carry one, else the same kind (integer, float, bool)."""
    same = got.dtype == want if exact else _kind(got.dtype) == _kind(want)
    if not same:
        raise Mistake(say("the values are right but {what} has dtype {got}; {rule}, {want}. "
                           "Did you cast it?",
                           "數值是對的，但{what}的資料型別是{got}；{rule}（{want}）。"
                           "你是不是轉換了資料型別？", what=what, got=got.dtype, rule=rule,
                           want=want))


def _kind(dtype: np.dtype) -> str:
    return {"b": "bool", "i": "integer", "u": "integer", "f": "float"}.get(dtype.kind, "complex")


def same_values(got: np.ndarray, want: np.ndarray) -> bool:
    return got.shape == want.shape and close_enough(got, want)


def same_arrays(got: list[np.ndarray], want: list[np.ndarray]) -> bool:
    return len(got) == len(want) and all(same_values(g, w) for g, w in zip(got, want))


def close_enough(got: np.ndarray, want: np.ndarray) -> bool:
    return bool(np.allclose(_numbers(got), _numbers(want), rtol=_RTOL, atol=_ATOL,
                            equal_nan=True))


def _numbers(array: np.ndarray) -> np.ndarray:
    """Booleans as 0/1 so that every answer can be subtracted from the expected one."""
    return array.astype(np.int8) if array.dtype.kind == "b" else array


def first_matching(got, variants, same=same_values) -> Text | None:
    """The message of the first (message, wrong answer) in ``variants`` that ``got`` equals."""
    return next((message for message, variant in variants if same(got, variant)), None)


def first_difference(got: np.ndarray, want: np.ndarray) -> Text:
    """'first at index (i, j): got a, expected b' for two arrays of one shape."""
    index = tuple(int(i) for i in np.argwhere(~np.isclose(
        _numbers(got), _numbers(want), rtol=_RTOL, atol=_ATOL, equal_nan=True))[0])
    values = dict(got=format_number(got[index]), want=format_number(want[index]))
    if not index:
        return say("got {got}, expected {want}", "得到{got}，應該是{want}", **values)
    return say("first at index {index}: got {got}, expected {want}",
               "第一個不同處在索引{index}：得到{got}，應該是{want}", index=index, **values)


def format_number(value) -> str:
    value = np.asarray(value).item()
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def describe_tensors(pieces: list[np.ndarray]) -> Text:
    """'4 tensors of shape (3,)' for a list of equally shaped arrays."""
    shape = pieces[0].shape if pieces else ()
    return count_of_shape(len(pieces), shape)


def count_of_shape(count: int, shape: tuple) -> Text:
    """'4 tensors of shape (3,)', '4個形狀為(3,)的張量'."""
    return say("{tensors} of shape {shape}", "{count}個形狀為{shape}的張量",
               tensors=_plural(count, "tensor"), count=count, shape=shape)


def _count(count: int) -> Text:
    """'2 tensors', '2個張量'."""
    return say("{tensors}", "{count}個張量", tensors=_plural(count, "tensor"), count=count)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def with_article(noun: str) -> str:
    return f"an {noun}" if noun[:1].lower() in "aeiou" else f"a {noun}"


def shape_of(value) -> tuple:
    try:
        return tuple(int(d) for d in value.shape)
    except (TypeError, ValueError):     # unknown dimensions of a symbolic tensor
        return tuple(value.shape)

"""Lab 02's checker: ``tf.stack`` along an axis (Corelab, Demo 18-3)."""

from __future__ import annotations

import itertools
import numpy as np

from rnnbook.labs.common import (YOUR_TENSOR, CheckResult, MAX_PERMUTED_AXES, Mistake, as_one,
                                check_dtype, first_difference, has_dtype, require_answer,
                                same_values, setup_array, setup_axis, setup_error)
from rnnbook.show.language import Text, say

_KEEPS_DTYPE = Text("`tf.stack` keeps the dtype of its inputs",
                    "`tf.stack`會保留輸入張量的資料型別")


def check_stack(answer, sources, axis: int = 0) -> CheckResult:
    """Check ``answer`` against ``tf.stack(sources, axis=axis)`` (Lab 2, Demo 18-3).

    Accepts one tf.Tensor, NumPy array or nested Python list.
    """
    arrays, typed = setup_sources(sources)
    context = (f"stacking tensors of shape {arrays[0].shape} "
               f"(the result has {arrays[0].ndim + 1} axes)")
    asked, axis = axis, setup_axis(axis, arrays[0].ndim + 1, context)
    expected = np.stack(arrays, axis)
    try:
        got = _as_stacked(answer, expected.shape)
        diagnose_stack(got, arrays, axis, asked)
        check_dtype(got, expected.dtype, typed and has_dtype(answer), YOUR_TENSOR, _KEEPS_DTYPE)
    except Mistake as mistake:
        return CheckResult(False, mistake.message)
    return CheckResult(True, say("your tensor has shape {shape} and matches "
                                 "`tf.stack(sources, axis={axis})`.",
                                 "你的張量形狀是{shape}，"
                                 "和`tf.stack(sources, axis={axis})`的結果一致。",
                                 shape=expected.shape, axis=asked))


def _as_stacked(answer, shape: tuple) -> np.ndarray:
    """The student's stacked tensor as an array, or a Mistake (it is None, a list, ...)."""
    wanted = say("`tf.stack` returns one tensor of shape {shape}",
                 "`tf.stack`會傳回一個形狀為{shape}的張量", shape=shape)
    require_answer(answer, wanted)
    return as_one(answer, wanted)


def setup_sources(sources) -> tuple[list[np.ndarray], bool]:
    """The exercise's tensors to stack, and whether they all carry a dtype; or raise."""
    if has_dtype(sources):
        array = setup_array("sources", sources)
        if array.ndim == 0:
            raise setup_error(ValueError, "sources must be a list of tensors (or one tensor "
                                           "with at least one axis), got a scalar")
        return list(array), True
    if not isinstance(sources, (list, tuple)):
        raise setup_error(TypeError, f"sources must be a list of tensors to stack, got "
                                      f"{type(sources).__name__}")
    if not sources:
        raise setup_error(ValueError, "sources must hold at least one tensor, got []")
    arrays = [setup_array(f"sources[{i}]", source) for i, source in enumerate(sources)]
    shapes = list(dict.fromkeys(array.shape for array in arrays))
    if len(shapes) > 1:
        raise setup_error(ValueError, f"sources must all have the same shape to be stacked, "
                                       f"got {shapes}")
    typed = all(has_dtype(source) for source in sources)
    dtypes = list(dict.fromkeys(str(array.dtype) for array in arrays))
    if typed and len(dtypes) > 1:
        raise setup_error(TypeError, f"sources must all have the same dtype to be stacked, "
                                      f"got {dtypes}")
    return arrays, typed


def diagnose_stack(got: np.ndarray, arrays: list[np.ndarray], axis: int, asked: int) -> None:
    """Return if ``got`` equals the stack of ``arrays``; else raise the likely mistake."""
    expected = np.stack(arrays, axis)
    if same_values(got, expected):
        return
    shapes = say("shape {got} instead of {want}", "形狀是{got}而不是{want}", got=got.shape,
                 want=expected.shape)
    for other in range(expected.ndim):
        if other != axis and same_values(got, np.stack(arrays, other)):
            raise Mistake(say("this is the stack on axis {other}; the exercise asks for axis "
                               "{asked} ({shapes})",
                               "這是對軸{other}取stack的結果；題目要的是軸{asked}（{shapes}）",
                               other=other, asked=asked, shapes=shapes))
    for other in range(arrays[0].ndim):
        if same_values(got, np.concatenate(arrays, other)):
            raise Mistake(say("this is `tf.concat` along axis {other}, {shapes}: concat joins the "
                               "tensors along an axis they already have; `tf.stack` adds a new "
                               "axis, giving shape {want}",
                               "這是沿著軸{other}的`tf.concat`，{shapes}："
                               "concat是沿著張量原本就有的軸把它們接起來；"
                               "`tf.stack`則會新增一個軸，得到形狀{want}",
                               other=other, shapes=shapes, want=expected.shape))
    for i, array in enumerate(arrays):
        if same_values(got, array):
            raise Mistake(say("this is sources[{i}] alone ({shapes}); `tf.stack` combines all "
                               "{count} tensors into one",
                               "這只是sources[{i}]本身（{shapes}）；`tf.stack`會把全部{count}個張量"
                               "合成一個", i=i, shapes=shapes, count=len(arrays)))
    order = _permutation(got, expected)
    if order is not None:
        raise Mistake(say("your tensor is the expected one transposed: its axes are in the "
                           "order {order} ({shapes})",
                           "你的張量是正確答案轉置後的結果：它的軸順序是{order}（{shapes}）",
                           order=order, shapes=shapes))
    if got.shape != expected.shape:
        raise Mistake(say("your tensor has shape {got}; expected shape {want}",
                           "你的張量形狀是{got}；應該是{want}", got=got.shape,
                           want=expected.shape))
    raise Mistake(say("the shape {shape} is right but the values differ, {where}",
                       "形狀{shape}是對的，但數值不同，{where}", shape=got.shape,
                       where=first_difference(got, expected)))


def _permutation(got: np.ndarray, expected: np.ndarray) -> tuple[int, ...] | None:
    """Axis order that turns ``expected`` into ``got`` (a transpose), or None."""
    if expected.ndim > MAX_PERMUTED_AXES or sorted(got.shape) != sorted(expected.shape):
        return None
    for order in itertools.permutations(range(expected.ndim)):
        if order != tuple(range(expected.ndim)) and same_values(got, np.transpose(expected, order)):
            return order
    return None



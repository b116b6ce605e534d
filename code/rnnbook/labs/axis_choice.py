"""Labs 01 and 02's "which axis?" exercises: the axis that gives a stated shape.

    check_unstack_axis(axis, source, piece_shape)   Lab 01: tf.unstack's pieces
    check_stack_axis(axis, sources, shape)          Lab 02: tf.stack's result

The student answers with a number alone; the checker says what that axis
would give instead, so a wrong guess still teaches what the axis does.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable

import numpy as np

from rnnbook.labs.common import (
    CheckResult,
    Mistake,
    count_of_shape,
    setup_error,
    shortened,
    with_article,
)
from rnnbook.labs.stack import setup_sources
from rnnbook.labs.unstack import setup_source
from rnnbook.show.language import Text, say


def check_unstack_axis(axis, source, piece_shape) -> CheckResult:
    """Is ``axis`` the one ``tf.unstack(source, axis=…)`` takes for pieces of ``piece_shape``?"""
    source = setup_source(source)
    wanted = _setup_shape(piece_shape)

    def gives(k: int) -> Text:
        return say("`tf.unstack(…, axis={axis})` gives {pieces}",
                   "`tf.unstack(…, axis={axis})`會得到{pieces}", axis=k,
                   pieces=count_of_shape(source.shape[k], _without(source.shape, k % source.ndim)))

    return _check_axis_choice(
        axis, [_without(source.shape, k) for k in range(source.ndim)], wanted, gives,
        say("tensors of shape {shape}", "形狀為{shape}的張量", shape=wanted),
        say("the tensor has {n} axes", "這個張量有{n}個軸", n=source.ndim))


def check_stack_axis(axis, sources, shape) -> CheckResult:
    """Is ``axis`` the one ``tf.stack(sources, axis=…)`` takes for a result of ``shape``?"""
    arrays, _ = setup_sources(sources)
    wanted = _setup_shape(shape)
    results = [_with(arrays[0].shape, k, len(arrays)) for k in range(arrays[0].ndim + 1)]

    def gives(k: int) -> Text:
        return say("`tf.stack(…, axis={axis})` gives shape {shape}",
                   "`tf.stack(…, axis={axis})`會得到形狀{shape}", axis=k, shape=results[k])

    return _check_axis_choice(
        axis, results, wanted, gives, say("shape {shape}", "形狀{shape}", shape=wanted),
        say("the stacked tensor has {n} axes, one more than each tensor you stack",
            "stack之後的張量有{n}個軸，比每個被stack的張量多一個", n=len(results)))


def _without(shape: tuple, axis: int) -> tuple:
    return shape[:axis] + shape[axis + 1:]


def _with(shape: tuple, axis: int, size: int) -> tuple:
    return shape[:axis] + (size,) + shape[axis:]


def _setup_shape(shape) -> tuple:
    """The shape the page asks for, as a tuple of ints; or raise for the page's author."""
    try:
        return tuple(int(size) for size in shape)
    except (TypeError, ValueError):
        raise setup_error(TypeError, f"the wanted shape must be a tuple of integers, got "
                                      f"{shape!r}") from None


def _check_axis_choice(axis, results: list[tuple], wanted: tuple, gives: Callable[[int], Text],
                       wanted_text: Text, axes: Text) -> CheckResult:
    """The verdict on ``axis``, given the shape each axis gives (``results``) and the one wanted."""
    right = [k for k, result in enumerate(results) if result == wanted]
    if len(right) != 1:
        raise setup_error(ValueError, f"exactly one axis must give shape {wanted}; axes "
                                       f"{right or 'none'} of {len(results)} do")
    try:
        k = _axis_number(axis, len(results), axes)
        if k % len(results) != right[0]:
            raise Mistake(say("{gives}, not {wanted}", "{gives}，而不是{wanted}",
                               gives=gives(k), wanted=wanted_text))
    except Mistake as mistake:
        return CheckResult(False, mistake.message)
    return CheckResult(True, say("{gives}.{from_end}", "{gives}。{from_end}", gives=gives(k),
                                 from_end=_from_end(k, len(results))))


def _from_end(axis: int, ndim: int) -> Text:
    if axis >= 0:
        return Text("", "")
    return say(" (Axis {axis} is axis {k}, counted from the end.)",
               "（軸{axis}就是從後面數回來的軸{k}。）", axis=axis, k=axis % ndim)


def _axis_number(axis, ndim: int, axes: Text) -> int:
    """``axis`` as an int in -ndim..ndim-1, or a Mistake saying why it is not an axis."""
    if axis is None:
        raise Mistake(Text("your answer is still None: replace `None` with the number of an axis "
                            "and run the cell",
                            "你的答案還是None：請把`None`換成某個軸的編號，再執行這個程式碼儲存格"))
    if isinstance(axis, str):
        raise Mistake(say("your axis is the string `{value}`: write the number without quotes",
                           "你的軸是字串`{value}`：請直接寫數字，不要加引號", value=shortened(axis)))
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        axis = _integer_scalar(axis)
    if not -ndim <= axis < ndim:
        raise Mistake(say("there is no axis {axis}: {axes}, numbered 0 to {last} (or -{ndim} "
                           "to -1, counted from the end)",
                           "沒有軸{axis}：{axes}，編號是0到{last}（從後面數回來是-{ndim}到-1）",
                           axis=axis, axes=axes, last=ndim - 1, ndim=ndim))
    return int(axis)


def _integer_scalar(axis) -> int:
    """A 0-d integer tensor or array as an int; anything else is a Mistake."""
    if hasattr(axis, "dtype") and np.ndim(axis) == 0 and np.asarray(axis).dtype.kind in "iu":
        return int(np.asarray(axis))
    raise Mistake(say("your axis is {a_type} (`{value}`); an axis is named by one integer, "
                       "such as 0",
                       "你的軸是`{type}`（`{value}`）；軸的編號是一個整數，例如0",
                       a_type=with_article(type(axis).__name__), type=type(axis).__name__,
                       value=shortened(axis)))

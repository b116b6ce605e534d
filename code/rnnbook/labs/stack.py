"""Lab 02's checker: ``tf.stack`` along an axis (Corelab, Demo 18-3)."""

from __future__ import annotations

import itertools
import numpy as np

from rnnbook.labs.common import (CheckResult, _MAX_PERMUTED_AXES, _Mistake, _as_one, _check_dtype,
                                _first_difference, _has_dtype, _same, _setup_array, _setup_axis,
                                _setup_error)


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



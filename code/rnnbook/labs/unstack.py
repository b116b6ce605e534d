"""Lab 01's checker: ``tf.unstack`` along an axis (Corelab, Demo 18-3)."""

from __future__ import annotations

import numpy as np

from rnnbook.labs.common import (CheckResult, _Mistake, _a, _check_dtype, _first_difference,
                                _has_dtype, _same, _same_list, _setup_array, _setup_axis,
                                _setup_error, _shape, _tensors, _to_array)


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



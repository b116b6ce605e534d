"""Lab 01's checker: ``tf.unstack`` along an axis (Corelab, Demo 18-3)."""

from __future__ import annotations

import numpy as np

from rnnbook.labs.common import (CheckResult, Mistake, has_dtype, same_arrays, setup_array,
                                setup_axis, setup_error, describe_tensors)
from rnnbook.labs.pieces import as_pieces, check_piece_dtypes, diagnose_list, what_was_returned
from rnnbook.show.language import Text, say

_KEEPS_DTYPE = Text("`tf.unstack` keeps the source's dtype",
                    "`tf.unstack`會保留來源張量的資料型別")


def check_unstack(answer, source, axis: int = 0) -> CheckResult:
    """Check ``answer`` against ``tf.unstack(source, axis=axis)`` (Lab 1, Demo 18-3).

    Accepts a list or tuple of tf.Tensors, NumPy arrays or nested Python lists.
    """
    typed = has_dtype(source)
    source = setup_source(source)
    asked, axis = axis, setup_axis(axis, source.ndim, f"a source of shape {source.shape}")
    expected = unstack_array(source, axis)
    try:
        pieces = as_pieces(answer, say("`tf.unstack` returns a list of {tensors}",
                                        "`tf.unstack`會傳回由{tensors}組成的串列",
                                        tensors=describe_tensors(expected)))
        _diagnose_unstack(pieces, source, axis, asked)
        check_piece_dtypes(pieces, answer, source.dtype, typed, _KEEPS_DTYPE)
    except Mistake as mistake:
        return CheckResult(False, mistake.message)
    return CheckResult(True, say("`tf.unstack(source, axis={axis})` gives a list of {tensors}, "
                                 "and your answer matches it.",
                                 "`tf.unstack(source, axis={axis})`會得到由{tensors}組成的串列，"
                                 "你的答案和它一致。", axis=asked, tensors=describe_tensors(expected)))


def setup_source(source) -> np.ndarray:
    """The exercise's tensor to unstack, with at least one axis; or raise for the page."""
    source = setup_array("source", source)
    if source.ndim == 0:
        raise setup_error(ValueError, "source must have at least one axis to unstack, "
                                       "got a scalar")
    return source


def unstack_array(source: np.ndarray, axis: int) -> list[np.ndarray]:
    """What tf.unstack returns, as NumPy arrays: the slices along ``axis``, in order."""
    return list(np.moveaxis(source, axis, 0))


def _diagnose_unstack(pieces: list[np.ndarray], source: np.ndarray, axis: int,
                      asked: int) -> None:
    """Return if ``pieces`` equal the unstack of ``source``; else raise the likely mistake."""
    expected = unstack_array(source, axis)
    if same_arrays(pieces, expected) or not pieces:
        diagnose_list(pieces, expected)
        return
    returned = what_was_returned(pieces, expected)
    for other in range(source.ndim):
        if other != axis and same_arrays(pieces, unstack_array(source, other)):
            raise Mistake(say("this is the unstack on axis {other}; the exercise asks for axis "
                               "{asked} ({returned})",
                               "這是對軸{other}取unstack的結果；題目要的是軸{asked}（{returned}）",
                               other=other, asked=asked, returned=returned))
    if same_arrays(pieces, [np.expand_dims(piece, axis) for piece in expected]):
        raise Mistake(say("{returned}. This looks like `tf.split`, which keeps the split axis "
                           "with size 1; `tf.unstack` removes that axis",
                           "{returned}。這看起來像`tf.split`的結果：它會保留被切開的軸，大小變成1；"
                           "`tf.unstack`則會把那個軸拿掉", returned=returned))
    diagnose_list(pieces, expected)

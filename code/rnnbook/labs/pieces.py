"""A student's list of tensors: read it, and say how it differs from the expected list (Lab 01).

``tf.unstack`` (check_unstack) and the running sums of a toy RNN
(check_running_sum) both answer with a Python list of equally shaped tensors.
"""

from __future__ import annotations

import numpy as np

from rnnbook.labs.common import (_Mistake, _a, _check_dtype, _first_difference, _has_dtype,
                                _require_answer, _same, _same_list, _shape, _short, _tensors,
                                _to_array)
from rnnbook.language import Text, say


def _as_pieces(answer, wanted: Text) -> list[np.ndarray]:
    """The student's list of tensors as NumPy arrays of one shape, or a _Mistake."""
    _require_answer(answer, wanted)
    if isinstance(answer, (str, bytes)):
        raise _Mistake(say("you returned a string (`{value}`); {wanted}",
                           "你傳回的是字串（`{value}`）；{wanted}", value=_short(answer),
                           wanted=wanted))
    if _has_dtype(answer):
        raise _Mistake(say("you returned one tensor of shape {shape}; {wanted}",
                           "你傳回的是一個形狀為{shape}的張量；{wanted}", shape=_shape(answer),
                           wanted=wanted))
    if not isinstance(answer, (list, tuple)):
        raise _Mistake(say("you returned {a_type}; {wanted}", "你傳回的是`{type}`；{wanted}",
                           a_type=_a(type(answer).__name__), type=type(answer).__name__,
                           wanted=wanted))
    pieces = [_to_array(piece, say("element {i} of your list", "你的串列的元素{i}", i=i))
              for i, piece in enumerate(answer)]
    shapes = list(dict.fromkeys(piece.shape for piece in pieces))
    if len(shapes) > 1:
        listed = ", ".join(str(shape) for shape in shapes[:4])
        raise _Mistake(say("your list is ragged: its elements have different shapes ({listed}); "
                           "{wanted}", "你的串列長短不一：元素的形狀各不相同（{listed}）；{wanted}",
                           listed=listed, wanted=wanted))
    return pieces


def _returned(pieces: list[np.ndarray], expected: list[np.ndarray]) -> Text:
    """'you returned a list of 3 tensors of shape (4,); expected 4 tensors of shape (3,)'."""
    return say("you returned a list of {got}; expected {want}",
               "你傳回的是由{got}組成的串列；應該是{want}", got=_tensors(pieces),
               want=_tensors(expected))


def _diagnose_list(pieces: list[np.ndarray], expected: list[np.ndarray]) -> None:
    """Return if ``pieces`` equal ``expected``; else raise what differs (count, order, values)."""
    if _same_list(pieces, expected):
        return
    if not pieces:
        raise _Mistake(say("you returned an empty list; expected {want}",
                           "你傳回的是空串列；應該是{want}", want=_tensors(expected)))
    if len(pieces) != len(expected) or pieces[0].shape != expected[0].shape:
        raise _Mistake(_returned(pieces, expected))
    if _same_list(pieces, expected[::-1]):
        raise _Mistake(Text("your pieces are right but in reverse order: the list keeps the "
                            "order along the axis, element 0 first",
                            "每一片都對，但順序反了：串列會保留沿著軸的順序，元素0在最前面"))
    i = next(i for i, (got, want) in enumerate(zip(pieces, expected)) if not _same(got, want))
    raise _Mistake(say("element {i} has the right shape {shape} but different values, {where}",
                       "元素{i}的形狀{shape}是對的，但數值不同，{where}", i=i,
                       shape=pieces[i].shape, where=_first_difference(pieces[i], expected[i])))


def _check_piece_dtypes(pieces, answer, dtype: np.dtype, typed: bool, rule: Text) -> None:
    """Each element's dtype: exactly ``dtype`` when both it and the source carry one."""
    for i, (piece, original) in enumerate(zip(pieces, answer)):
        _check_dtype(piece, dtype, typed and _has_dtype(original),
                     say("element {i}", "元素{i}", i=i), rule)

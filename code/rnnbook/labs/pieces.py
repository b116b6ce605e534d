"""A student's list of tensors: read it, and say how it differs from the expected list (Lab 01).

``tf.unstack`` (check_unstack) and the running sums of a toy RNN
(check_running_sum) both answer with a Python list of equally shaped tensors.
"""

from __future__ import annotations

import numpy as np

from rnnbook.labs.common import (
    Mistake,
    check_dtype,
    describe_tensors,
    first_difference,
    has_dtype,
    require_answer,
    same_arrays,
    same_values,
    shape_of,
    shortened,
    to_array,
    with_article,
)
from rnnbook.show.language import Text, say


def as_pieces(answer, wanted: Text) -> list[np.ndarray]:
    """The student's list of tensors as NumPy arrays of one shape, or a Mistake."""
    require_answer(answer, wanted)
    if isinstance(answer, (str, bytes)):
        raise Mistake(say("you returned a string (`{value}`); {wanted}",
                           "你傳回的是字串（`{value}`）；{wanted}", value=shortened(answer),
                           wanted=wanted))
    if has_dtype(answer):
        raise Mistake(say("you returned one tensor of shape {shape}; {wanted}",
                           "你傳回的是一個形狀為{shape}的張量；{wanted}", shape=shape_of(answer),
                           wanted=wanted))
    if not isinstance(answer, (list, tuple)):
        raise Mistake(say("you returned {a_type}; {wanted}", "你傳回的是`{type}`；{wanted}",
                           a_type=with_article(type(answer).__name__), type=type(answer).__name__,
                           wanted=wanted))
    pieces = [to_array(piece, say("element {i} of your list", "你的串列的元素{i}", i=i))
              for i, piece in enumerate(answer)]
    shapes = list(dict.fromkeys(piece.shape for piece in pieces))
    if len(shapes) > 1:
        listed = ", ".join(str(shape) for shape in shapes[:4])
        raise Mistake(say("your list is ragged: its elements have different shapes ({listed}); "
                           "{wanted}", "你的串列長短不一：元素的形狀各不相同（{listed}）；{wanted}",
                           listed=listed, wanted=wanted))
    return pieces


def what_was_returned(pieces: list[np.ndarray], expected: list[np.ndarray]) -> Text:
    """'you returned a list of 3 tensors of shape (4,); expected 4 tensors of shape (3,)'."""
    return say("you returned a list of {got}; expected {want}",
               "你傳回的是由{got}組成的串列；應該是{want}", got=describe_tensors(pieces),
               want=describe_tensors(expected))


def diagnose_list(pieces: list[np.ndarray], expected: list[np.ndarray]) -> None:
    """Return if ``pieces`` equal ``expected``; else raise what differs (count, order, values)."""
    if same_arrays(pieces, expected):
        return
    if not pieces:
        raise Mistake(say("you returned an empty list; expected {want}",
                           "你傳回的是空串列；應該是{want}", want=describe_tensors(expected)))
    if len(pieces) != len(expected) or pieces[0].shape != expected[0].shape:
        raise Mistake(what_was_returned(pieces, expected))
    if same_arrays(pieces, expected[::-1]):
        raise Mistake(Text("your pieces are right but in reverse order: the list keeps the "
                            "order along the axis, element 0 first",
                            "每一片都對，但順序反了：串列會保留沿著軸的順序，元素0在最前面"))
    i = next(i for i, (got, want) in enumerate(zip(pieces, expected)) if not same_values(got, want))
    raise Mistake(say("element {i} has the right shape {shape} but different values, {where}",
                       "元素{i}的形狀{shape}是對的，但數值不同，{where}", i=i,
                       shape=pieces[i].shape, where=first_difference(pieces[i], expected[i])))


def check_piece_dtypes(pieces, answer, dtype: np.dtype, typed: bool, rule: Text) -> None:
    """Each element's dtype: exactly ``dtype`` when both it and the source carry one."""
    for i, (piece, original) in enumerate(zip(pieces, answer)):
        check_dtype(piece, dtype, typed and has_dtype(original),
                     say("element {i}", "元素{i}", i=i), rule)

"""Lab 01's last exercise: the running sums a toy RNN keeps, one state per time step.

The toy RNN's state is the sum of what it has read: s_0 = 0, s_t = s_(t-1) + x_t
(an RNN whose U and W are identity matrices, without bias or tanh). The
student unstacks a batch of sequences (batch, time steps, features) on its
time axis and collects s_1, ..., s_T in a Python list.
"""

from __future__ import annotations

import numpy as np

from rnnbook.labs.common import (CheckResult, Mistake, first_matching, has_dtype, same_values,
                                same_arrays, setup_array, setup_error, describe_tensors)
from rnnbook.labs.pieces import as_pieces, check_piece_dtypes, diagnose_list
from rnnbook.labs.unstack import unstack_array
from rnnbook.show.language import Text, say

TIME_AXIS = 1       # sequences are (batch, time steps, features)


def check_running_sum(states, sequences) -> CheckResult:
    """Check that ``states`` is the list s_1, ..., s_T of running sums over time (Lab 01).

    ``sequences`` is (batch, time steps, features); each state is (batch, features).
    """
    typed = has_dtype(sequences)
    sequences = _setup_sequences(sequences)
    expected = unstack_array(np.cumsum(sequences, TIME_AXIS), TIME_AXIS)
    wanted = say("the states are a list of {tensors}, one per time step",
                 "狀態應該是由{tensors}組成的串列，每個時間步一個", tensors=describe_tensors(expected))
    try:
        _diagnose_one_tensor(states, sequences)
        pieces = as_pieces(states, wanted)
        _diagnose_running_sum(pieces, sequences, expected)
        check_piece_dtypes(pieces, states, sequences.dtype, typed,
                            Text("sums of the inputs keep their dtype",
                                 "輸入的和會保留輸入的資料型別"))
    except Mistake as mistake:
        return CheckResult(False, mistake.message)
    return CheckResult(True, say(
        "your {count} states are the running sums s_t = s_(t-1) + x_t, each of shape {shape}.",
        "你的{count}個狀態正是累加和s_t = s_(t-1) + x_t，每個的形狀都是{shape}。",
        count=len(expected), shape=expected[0].shape))


def _setup_sequences(sequences) -> np.ndarray:
    """The exercise's batch of sequences, (batch, time steps, features); or raise for the page."""
    sequences = setup_array("sequences", sequences)
    if sequences.ndim != 3:
        raise setup_error(ValueError, f"sequences must have shape (batch, time steps, "
                                       f"features), got shape {sequences.shape}")
    return sequences


def _diagnose_one_tensor(states, sequences: np.ndarray) -> None:
    """A Mistake for one tensor holding every sum (tf.cumsum) or only the last one."""
    if not has_dtype(states):
        return
    got = np.asarray(states)
    sums = np.cumsum(sequences, TIME_AXIS)
    if same_values(got, sums):
        raise Mistake(say("the values are right, but in one tensor of shape {shape}: the "
                           "exercise asks for the list of states, one tensor per time step",
                           "數值是對的，但都放在一個形狀為{shape}的張量裡：題目要的是狀態的串列，"
                           "每個時間步一個張量", shape=got.shape))
    if same_values(got, sums[:, -1]):
        raise Mistake(say("this is only the last state s_T, shape {shape}; keep every state "
                           "s_1, …, s_T in a list",
                           "這只是最後一個狀態s_T（形狀{shape}）；請把每一個狀態s_1, …, s_T"
                           "都放進串列", shape=got.shape))


def _diagnose_running_sum(pieces: list[np.ndarray], sequences: np.ndarray,
                          expected: list[np.ndarray]) -> None:
    """Return if ``pieces`` are the running sums; else raise the likely mistake."""
    if same_arrays(pieces, expected):
        return
    inputs = unstack_array(sequences, TIME_AXIS)
    zero = np.zeros_like(expected[0])
    mistakes = [
        (Text("these are the inputs x_1, …, x_T themselves: each state adds x_t to the "
              "previous state", "這些是輸入x_1, …, x_T本身：每個狀態都要把x_t加到前一個狀態上"),
         inputs),
        (Text("your states are one step late: the first one is s_0 = 0. Add x_t to the state "
              "first, then put the new state in the list",
              "你的狀態晚了一步：第一個是s_0 = 0。請先把x_t加進狀態，再把新的狀態放進串列"),
         [zero] + expected[:-1]),
        (Text("your list starts with s_0 = 0, the starting point; the states are s_1, …, s_T, "
              "one per time step",
              "你的串列從s_0 = 0開始，那只是起點；狀態是s_1, …, s_T，每個時間步一個"),
         [zero] + expected),
    ]
    mistakes += [(say("you summed along axis {axis}; the time steps are axis {time} of "
                      "(batch, time steps, features)",
                      "你沿著軸{axis}做了累加；時間步是(batch, time steps, features)的軸{time}",
                      axis=axis, time=TIME_AXIS),
                  unstack_array(np.cumsum(sequences, axis), axis))
                 for axis in range(sequences.ndim) if axis != TIME_AXIS]
    mistake = first_matching(pieces, mistakes, same_arrays)
    if mistake is not None:
        raise Mistake(mistake)
    diagnose_list(pieces, expected)

"""Lab 02's last exercise: every state of an RNN, unstacked, stepped and stacked by hand.

The student runs the 18-2 cell s_t = tanh(x_t U + s_(t-1) W + b), s_0 = 0, over
the time steps of a batch of sequences (batch, time steps, features) and
stacks s_1, ..., s_T into one tensor (batch, time steps, state size): what
Keras' ``SimpleRNN(return_sequences=True)`` returns. The checker computes the
states itself, in NumPy, from the same U, W and b.
"""

from __future__ import annotations

import numpy as np

from rnnbook.labs.common import (YOUR_TENSOR, CheckResult, Mistake, as_one, check_dtype,
                                first_matching, has_dtype, require_answer, same_values, same_arrays,
                                setup_array, setup_error)
from rnnbook.labs.stack import diagnose_stack
from rnnbook.labs.unstack import unstack_array
from rnnbook.show.language import Text, say

TIME_AXIS = 1       # sequences and states are (batch, time steps, ...)


def check_rnn_states(states, sequences, U, W, b) -> CheckResult:
    """Check ``states`` against every state s_1..s_T of the 18-2 cell on ``sequences`` (Lab 02).

    ``sequences`` is (batch, time, features), U (features, state), W (state, state)
    and b (state,), as Keras' SimpleRNN keeps them (``get_weights()``).
    """
    typed = has_dtype(sequences)
    x, weights = _setup_inputs(sequences, U, W, b)
    expected = _states(x, *weights)
    wanted = say("the states are one tensor of shape {shape}, (batch, time steps, state size)",
                 "狀態應該是一個形狀為{shape}的張量，也就是(batch, time steps, state size)",
                 shape=expected.shape)
    try:
        require_answer(states, wanted)
        _diagnose_list_of_states(states, expected)
        got = as_one(states, wanted)
        _diagnose_states(got, x, weights, expected)
        check_dtype(got, np.asarray(sequences).dtype, typed and has_dtype(states),
                     YOUR_TENSOR, Text("the states keep the dtype of the inputs",
                                       "狀態會保留輸入的資料型別"))
    except Mistake as mistake:
        return CheckResult(False, mistake.message)
    return CheckResult(True, say(
        "your states are the RNN's: shape {shape}, (batch, time steps, state size), each "
        "s_t = tanh(x_t U + s_(t-1) W + b).",
        "你的狀態和RNN的一致：形狀是{shape}，也就是(batch, time steps, state size)，"
        "每一個都是s_t = tanh(x_t U + s_(t-1) W + b)。", shape=expected.shape))


def _setup_inputs(sequences, U, W, b) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """The exercise's sequences and weights as float64 arrays of matching shapes; or raise."""
    x, U, W, b = (setup_array(name, value).astype(np.float64) for name, value in
                  (("sequences", sequences), ("U", U), ("W", W), ("b", b)))
    state = b.shape[0] if b.ndim == 1 else None
    if (x.ndim != 3 or U.shape != (x.shape[2], state) or W.shape != (state, state)
            or b.ndim != 1):
        raise setup_error(ValueError, f"expected sequences (batch, time, features), U "
                                       f"(features, state), W (state, state) and b (state,), "
                                       f"got {x.shape}, {U.shape}, {W.shape} and {b.shape}")
    return x, (U, W, b)


def _states(x: np.ndarray, U, W, b, carry: bool = True) -> np.ndarray:
    """Every state s_1..s_T, (batch, time, state); ``carry=False``: each from s_0 = 0."""
    s0 = np.zeros((x.shape[0], b.shape[0]))
    s, states = s0, []
    for x_t in unstack_array(x, TIME_AXIS):
        s = np.tanh(x_t @ U + (s if carry else s0) @ W + b)
        states.append(s)
    return np.stack(states, TIME_AXIS)


def _diagnose_list_of_states(states, expected: np.ndarray) -> None:
    """A Mistake for the right states still in a Python list: they are to be stacked."""
    if not isinstance(states, (list, tuple)) or not all(has_dtype(s) for s in states):
        return
    pieces = [np.asarray(state) for state in states]
    if same_arrays(pieces, unstack_array(expected, TIME_AXIS)):
        raise Mistake(say("you have the list of the {count} states, with the right values; "
                           "`tf.stack` them into one tensor, time being the second axis as in "
                           "`sequences`",
                           "你已經有{count}個狀態的串列，數值也都對；請用`tf.stack`把它們合成一個"
                           "張量，讓時間排在第二個軸，和`sequences`一樣", count=len(pieces)))


def _diagnose_states(got: np.ndarray, x: np.ndarray, weights, expected: np.ndarray) -> None:
    """Return if ``got`` equals ``expected``; else raise the likely mistake."""
    if same_values(got, expected):
        return
    shape = say("shape {got} instead of {want}", "形狀是{got}而不是{want}", got=got.shape,
                want=expected.shape)
    mistakes = [
        (say("this is only the last state s_T ({shape}), what SimpleRNN returns without "
             "`return_sequences=True`; keep every state s_1, …, s_T",
             "這只是最後一個狀態s_T（{shape}），也就是SimpleRNN在沒有`return_sequences=True`時"
             "傳回的東西；請保留每一個狀態s_1, …, s_T", shape=shape), expected[:, -1]),
        (say("time is your first axis ({shape}): stack the states so that time is the second "
             "axis, (batch, time steps, state size), as in `sequences`",
             "你的第一個軸是時間（{shape}）：stack時請讓時間排在第二個軸，"
             "也就是(batch, time steps, state size)，和`sequences`一樣", shape=shape),
         np.swapaxes(expected, 0, 1)),
        (Text("every state was computed from s_0 = 0: the state does not carry over from one "
              "step to the next. Give each new state to the next step",
              "每個狀態都是從s_0 = 0算出來的：狀態沒有從這一步傳到下一步。"
              "請把每個新的狀態交給下一步"), _states(x, *weights, carry=False)),
        (Text("your states are in reverse time order: s_1 comes first",
              "你的狀態順序和時間相反：s_1應該排在最前面"), expected[:, ::-1]),
    ]
    mistake = first_matching(got, mistakes)
    if mistake is not None:
        raise Mistake(mistake)
    diagnose_stack(got, unstack_array(expected, TIME_AXIS), TIME_AXIS, TIME_AXIS)

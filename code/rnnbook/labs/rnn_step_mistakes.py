"""Lab 03's diagnoses: what a wrong RNN step or loop computed, and how to say it.

:mod:`rnnbook.labs.rnn_step` runs the student's step and loop; the values they
return come here. ``diagnose_step`` and ``diagnose_loop`` return when the values
are 18-2's cell, s_t = tanh(x_t U + s_prev W + b), and otherwise raise the likely
mistake (a missing term, the wrong activation, a transpose, the states in the
wrong order...) as a :class:`rnnbook.labs.common.Mistake` in both languages.
"""

from __future__ import annotations

import numpy as np

from rnnbook.labs.common import Mistake, close_enough, format_number
from rnnbook.show.language import Text


def diagnose_step(got: np.ndarray, inputs: list[np.ndarray]) -> None:
    """Return if ``got`` is tanh(x U + s W + b); else raise the likely mistake."""
    x, s, U, W, b = inputs
    expected = np.tanh(x @ U + s @ W + b)
    if got.shape == expected.shape and close_enough(got, expected):
        return
    if got.shape == expected.T.shape and close_enough(got.T, expected):
        raise Mistake(Text(
            f"your output is the transpose of s_t: shape {got.shape} instead of "
            f"{expected.shape} (batch, state)",
            f"你的輸出是s_t的轉置：形狀是{got.shape}，而不是{expected.shape}（批次、狀態）"))
    if got.shape != expected.shape:
        raise Mistake(_wrong_shape(got, expected, Text("s_t", "s_t"), Text(
            "one row of state per example in the batch", "批次中的每個樣本各有一列狀態")))
    for mistake, variant in _step_mistakes(x, s, U, W, b):
        if close_enough(got, variant):
            raise Mistake(mistake)
    raise Mistake(_values_differ(got, expected))


def _step_mistakes(x, s, U, W, b) -> list[tuple[Text, np.ndarray]]:
    """Typical wrong steps and what each computes."""
    pre = x @ U + s @ W + b
    mistakes = [
        (Text("the tanh is missing: your output is the pre-activation x_t U + s_prev W + b",
              "少了tanh：你的輸出是還沒經過活化函數的x_t U + s_prev W + b"), pre),
        (Text("the recurrent term is missing: your output is tanh(x_t U + b); s_t must also "
              "depend on the previous state s_prev",
              "少了遞迴項：你的輸出是tanh(x_t U + b)；s_t還必須取決於前一個狀態s_prev"),
         np.tanh(x @ U + b)),
        (Text("the input term is missing: your output is tanh(s_prev W + b); s_t must also "
              "depend on this step's input x_t",
              "少了輸入項：你的輸出是tanh(s_prev W + b)；s_t還必須取決於這一步的輸入x_t"),
         np.tanh(s @ W + b)),
        (Text("the bias is missing: your output is tanh(x_t U + s_prev W); add b",
              "少了偏差項：你的輸出是tanh(x_t U + s_prev W)；請加上b"), np.tanh(x @ U + s @ W)),
        (Text("you used the sigmoid instead of tanh: the 18-2 cell uses tanh",
              "你用的是sigmoid而不是tanh：18-2節的cell使用的是tanh"), 1 / (1 + np.exp(-pre))),
        (Text("you used relu instead of tanh: the 18-2 cell uses tanh",
              "你用的是relu而不是tanh：18-2節的cell使用的是tanh"), np.maximum(pre, 0)),
        (Text("your output is all zeros: s_t is computed from x_t, s_prev and the weights",
              "你的輸出全都是0：s_t要由x_t、s_prev與權重算出來"), np.zeros_like(pre)),
    ]
    if U.shape == W.shape:
        mistakes.append((Text("U and W are swapped: U multiplies the input x_t, W the previous "
                              "state s_prev",
                              "U和W對調了：U應該與輸入x_t相乘，W則與前一個狀態s_prev相乘"),
                         np.tanh(x @ W + s @ U + b)))
    return mistakes


def diagnose_loop(got: np.ndarray, inputs: list[np.ndarray]) -> None:
    """Return if ``got`` holds every state s_1 ... s_T, (B, T, units); else the likely mistake."""
    x, s0, U, W, b = inputs
    expected = _states(x, s0, U, W, b)                                  # (B, T, units)
    if got.shape == expected.shape and close_enough(got, expected):
        return
    for mistake, variant in _loop_mistakes(x, s0, U, W, b, expected):
        if got.shape == variant.shape and close_enough(got, variant):
            raise Mistake(mistake)
    if got.shape != expected.shape:
        raise Mistake(_wrong_shape(got, expected, Text("the states", "狀態"), Text(
            "(batch, time steps, state size)", "也就是（批次、時間步、狀態大小）")))
    raise Mistake(_values_differ(got, expected))


def _states(x, s0, U, W, b, recur: bool = True) -> np.ndarray:
    """s_1 ... s_T of the reference cell, (B, T, units); ``recur=False``: each from s0."""
    s, states = s0, []
    for t in range(x.shape[1]):
        s = np.tanh(x[:, t] @ U + (s if recur else s0) @ W + b)       # (B, units)
        states.append(s)
    return np.stack(states, axis=1)


def _loop_mistakes(x, s0, U, W, b, expected) -> list[tuple[Text, np.ndarray]]:
    """Typical wrong loops and what each returns."""
    time_steps = x.shape[1]
    mistakes = [
        (Text(f"you returned only the last state, shape {expected[:, -1].shape}; return "
              f"every state s_1 ... s_T, shape {expected.shape}: the layer picks the last "
              f"one itself",
              f"你只傳回了最後一個狀態，形狀為{expected[:, -1].shape}；請傳回所有的狀態"
              f"s_1 … s_T，形狀為{expected.shape}：層會自己取出最後一個"), expected[:, -1]),
        (Text(f"your states are stacked along axis 0, shape {expected.swapaxes(0, 1).shape}; "
              f"the batch stays the first axis and the time steps go along axis 1: "
              f"{expected.shape}",
              f"你的狀態是沿著軸0疊起來的，形狀為{expected.swapaxes(0, 1).shape}；批次應該"
              f"維持在第一個軸，時間步放在軸1：{expected.shape}"), expected.swapaxes(0, 1)),
        (Text(f"you included s0: the states are s_1 ... s_T, {time_steps} of them",
              f"你把s0也放進去了：狀態應該是s_1 … s_T，共{time_steps}個"),
         np.concatenate([s0[:, None], expected], axis=1)),
        (Text("your states are right but in reverse order: s_1 comes first",
              "你的狀態是對的，但順序相反：s_1應該排在最前面"), expected[:, ::-1]),
        (Text("every state was computed from s0: pass each new state on as the next step's "
              "s_prev",
              "每個狀態都是從s0算出來的：請把每一步的新狀態傳給下一步，作為它的s_prev"),
         _states(x, s0, U, W, b, recur=False)),
    ]
    if x.shape[1] == x.shape[2]:      # unstacking the features axis then runs, wrongly
        mistakes.append((Text(
            "you unstacked the features axis (axis 2): each x_t must be one time step, "
            "and inputs is (batch, time steps, features)",
            "你沿著特徵的軸（軸2）做了unstack：每個x_t都應該是一個時間步，"
            "而inputs的形狀是（批次、時間步、特徵）"), _states(x.swapaxes(1, 2), s0, U, W, b)))
    return mistakes


def _wrong_shape(got: np.ndarray, expected: np.ndarray, what: Text, layout: Text) -> Text:
    return Text(f"your function returned shape {got.shape}; {what.en} should have shape "
                f"{expected.shape}, {layout.en}",
                f"你的函式傳回的形狀是{got.shape}；{what.zh_TW}的形狀應該是{expected.shape}，"
                f"{layout.zh_TW}")


def _values_differ(got: np.ndarray, expected: np.ndarray) -> Text:
    worst = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    where = tuple(int(i) for i in worst)
    return Text(
        f"the shape {got.shape} is right but the values differ, most at {where}: got "
        f"{format_number(got[worst])}, expected {format_number(expected[worst])}",
        f"形狀{got.shape}是對的，但數值不同，差最多的位置在{where}：得到{format_number(got[worst])}，"
        f"應該是{format_number(expected[worst])}")

"""Lab 03's "count the weights" exercise: how many numbers the hand-written cell learns.

    check_parameter_count(answer, features=28, units=128)

The cell of 18-2 keeps U (features, units), W (units, units) and b (units,),
the same at every time step. The student predicts their number before the
page asks Keras; a wrong count is matched against the usual slips (no bias,
no recurrent weights, W counted as (features, features), one copy per time
step) so the message names the slip without giving the formula.
"""

from __future__ import annotations

import numbers

from rnnbook.arguments import positive_int
from rnnbook.labs.common import CheckResult
from rnnbook.show.language import say


def parameter_count(features: int, units: int) -> int:
    """len(U) + len(W) + len(b) of the hand-written cell (18-2, Lab 03)."""
    return features * units + units * units + units


def check_parameter_count(answer, features: int = 28, units: int = 128,
                          time_steps: int = 28) -> CheckResult:
    """Is ``answer`` the number of weights of a cell with ``units`` reading ``features``?"""
    features, units = positive_int("features", features), positive_int("units", units)
    time_steps = positive_int("time_steps", time_steps)
    expected = parameter_count(features, units)
    if answer is None:
        return CheckResult(False, say(
            "your answer is still None: replace `None` with a number and run the cell",
            "你的答案還是None：請把`None`換成一個數字，再執行這個程式碼儲存格"))
    if isinstance(answer, numbers.Real) and not isinstance(answer, (bool, numbers.Integral)) \
            and float(answer).is_integer():
        answer = int(answer)                          # 20096.0 from a division counts
    if isinstance(answer, bool) or not isinstance(answer, numbers.Integral):
        return CheckResult(False, say(
            "give a whole number of weights, got {kind} {value!r}",
            "權重的數量應該是一個整數，你給的是{kind} {value!r}",
            kind=type(answer).__name__, value=answer))
    if answer == expected:
        return CheckResult(True, say(
            "U, W and b hold {count:,} numbers, and the same ones serve all {steps} time steps",
            "U、W和b一共有{count:,}個數，而且所有{steps}個時間步都共用同一組",
            count=expected, steps=time_steps))
    return CheckResult(False, _slip(int(answer), features, units, time_steps))


def _slip(answer: int, features: int, units: int, time_steps: int):
    """The message for a wrong count: the slip it matches, or the weights to count."""
    expected = parameter_count(features, units)
    slips = {
        features * units + units * units: say(
            "you counted U and W but not the bias b: it has one number per unit",
            "你算了U和W，但漏了偏差b：每個單元都有一個偏差"),
        features * units + units: say(
            "you left out W, the weights from the previous state to the new one: "
            "without them the cell has no memory",
            "你漏了W，也就是從前一個狀態到新狀態的權重：少了它，cell就沒有記憶"),
        features * units + features * features + units: say(
            "W maps the state to the state: its shape is (units, units), not (features, features)",
            "W把狀態對應到狀態：它的形狀是(單元數, 單元數)，不是(特徵數, 特徵數)"),
        expected * time_steps: say(
            "that is one copy per time step; the RNN shares U, W and b across all {steps} steps",
            "這是每個時間步各算一份；RNN的{steps}個時間步共用同一組U、W和b", steps=time_steps),
    }
    return slips.get(answer, say(
        "not {answer:,}; count the numbers in U ({features}, {units}), W ({units}, {units}) "
        "and b ({units},)",
        "不是{answer:,}；請數一數U ({features}, {units})、W ({units}, {units})和"
        "b ({units},)裡共有多少個數", answer=answer, features=features, units=units))

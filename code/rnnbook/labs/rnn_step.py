"""Lab 03's checkers: the 18-2 RNN cell's step and the loop around it (Corelab, Demo 18-3).

    check_rnn_step(rnn_step)   s_t = tanh(x_t U + s_prev W + b), one time step
    check_rnn_loop(rnn_loop)   unstack -> step -> stack: every state of a sequence
    trainable(rnn_step, rnn_loop)   whether Lab 03's training can run them at all

Each answer runs the way ``model.fit`` runs it in training: inside
``tf.function`` (without autograph, as Keras traces its train step), on
float32 tensors of the training shapes with the batch size unknown (None)
while the graph is built. An answer that passes the check therefore trains;
one that works only on ordinary (eager) tensors is told why it does not.
Messages are :class:`rnnbook.language.Text`, shown in the page's language.
"""

from __future__ import annotations

import re

import numpy as np

from rnnbook._checks import non_negative_int, positive_int
from rnnbook.labs.common import (CheckResult, _Mistake, _TOLERANCE, _a, _close, _fmt,
                                 _setup_checked)
from rnnbook.labs.hints import one_line_error
from rnnbook.language import Text

#: Lab 03's training shapes: LAB_BUDGET's batch size and state size
#: (rnnbook.training), an MNIST digit's rows (time steps) and pixels (features).
BATCH, TIME_STEPS, FEATURES, UNITS = 64, 28, 28, 128

_STEP_USAGE = "check_rnn_step(rnn_step)"
_LOOP_USAGE = "check_rnn_loop(rnn_loop)"


# ---------------------------------------------------------------- the public checks


def check_rnn_step(step, input_size: int = FEATURES, state_size: int = UNITS,
                   batch: int = BATCH, seed: int = 0) -> CheckResult:
    """Check ``step(x_t, s_prev, U, W, b)`` against s_t = tanh(x_t U + s_prev W + b) (Lab 03).

    This is the 18-2 equation s_t = f(U x_t + W s_{t-1} + b) with f = tanh in
    Keras' row-vector form: x_t (batch, input), U (input, state),
    W (state, state), b (state,), s_t (batch, state). ``step`` runs inside
    ``tf.function`` on seeded random tf.float32 tensors of these shapes.
    """
    sizes = _sizes(batch, input_size, state_size)
    inputs = _step_inputs(sizes, _seed(seed))
    try:
        _callable(step, _STEP_USAGE)
        got = _run_step(step, inputs)
        _diagnose_step(got, _float64(inputs))
    except _Mistake as mistake:
        return CheckResult(False, _message(mistake))
    shape = (sizes[0], sizes[2])                                        # (B, units)
    return CheckResult(True, Text(
        f"your `rnn_step` computes s_t = tanh(x_t U + s_prev W + b), shape {shape}, inside "
        f"`tf.function` as training runs it (within {_TOLERANCE}).",
        f"你的`rnn_step`算出了s_t = tanh(x_t U + s_prev W + b)，形狀為{shape}，而且和訓練時"
        f"一樣在`tf.function`裡執行（誤差在{_TOLERANCE}以內）。"))


def check_rnn_loop(loop, time_steps: int = TIME_STEPS, input_size: int = FEATURES,
                   state_size: int = UNITS, batch: int = BATCH, seed: int = 0) -> CheckResult:
    """Check ``loop(inputs, s0, U, W, b, step)``: every state s_1 ... s_T, (B, T, units) (Lab 03).

    The loop is given the reference step (``rnnbook.cell.rnn_step``), so its
    check does not depend on the student's step; it must call ``step`` (the
    layer trains with the student's) and stack the states along the time axis.
    """
    time_steps = positive_int("time_steps", time_steps)
    sizes = _sizes(batch, input_size, state_size)
    inputs = _loop_inputs(sizes, time_steps, _seed(seed))
    try:
        _callable(loop, _LOOP_USAGE)
        got = _run_loop(loop, inputs, _reference_step())
        _diagnose_loop(got, _float64(inputs))
    except _Mistake as mistake:
        return CheckResult(False, _message(mistake))
    shape = (sizes[0], time_steps, sizes[2])                            # (B, T, units)
    return CheckResult(True, Text(
        f"your `rnn_loop` calls `step` at each of the {time_steps} time steps and returns "
        f"every state, shape {shape}, inside `tf.function` as training runs it "
        f"(within {_TOLERANCE}).",
        f"你的`rnn_loop`在{time_steps}個時間步都呼叫了`step`，並傳回所有的狀態，形狀為"
        f"{shape}，而且和訓練時一樣在`tf.function`裡執行（誤差在{_TOLERANCE}以內）。"))


def trainable(step, loop, batch: int = BATCH, state_size: int = UNITS) -> CheckResult:
    """Whether Lab 03's training can run ``loop`` with ``step`` (its training cell asks).

    Passed when the step, and the loop calling it, run inside ``tf.function``
    and give float32 states of the right shapes; their values are not judged
    (a wrong cell may train, and show how badly). Failed, the message says
    which of the two to complete first.
    """
    sizes = _sizes(batch, FEATURES, state_size)
    try:
        _callable(step, _STEP_USAGE)
        _run_step(step, _step_inputs(sizes, 0))
    except _Mistake as mistake:
        return CheckResult(False, _complete_first("rnn_step", _message(mistake)))
    try:
        _callable(loop, _LOOP_USAGE)
        _run_loop(loop, _loop_inputs(sizes, TIME_STEPS, 0), step)
    except _Mistake as mistake:
        return CheckResult(False, _complete_first("rnn_loop", _message(mistake)))
    return CheckResult(True, Text("`rnn_step` and `rnn_loop` run as training runs them.",
                                  "`rnn_step`與`rnn_loop`能夠像訓練時那樣執行。"))


def _complete_first(name: str, why: Text) -> Text:
    return (Text(f"complete `{name}` first, then run its cell again and this one: ",
                 f"請先完成`{name}`，重新執行它的儲存格，再執行這一格：") + why)


# ---------------------------------------------------------------- set-up


def _sizes(batch: int, input_size: int, state_size: int) -> tuple[int, int, int]:
    return (positive_int("batch", batch), positive_int("input_size", input_size),
            positive_int("state_size", state_size))


def _seed(seed) -> int:
    return _setup_checked(non_negative_int, "seed", seed)


def _weights(rng, input_size: int, state_size: int) -> list[np.ndarray]:
    """Random U (F, units), W (units, units), b (units,) of the scale training starts from."""
    return [rng.normal(0, 1 / np.sqrt(input_size), (input_size, state_size)),   # U
            rng.normal(0, 1 / np.sqrt(state_size), (state_size, state_size)),   # W
            rng.normal(0, 0.5, (state_size,))]                                  # b


def _step_inputs(sizes: tuple[int, int, int], seed: int) -> list:
    """Seeded random x_t (B, F), s_prev (B, units), U, W, b as tf.float32 tensors."""
    batch, input_size, state_size = sizes
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(0, 1, (batch, input_size)),                            # x_t
              rng.uniform(-1, 1, (batch, state_size)),                          # s_prev
              *_weights(rng, input_size, state_size)]
    return _float32(arrays)


def _loop_inputs(sizes: tuple[int, int, int], time_steps: int, seed: int) -> list:
    """Seeded random inputs (B, T, F), s0 (B, units), U, W, b as tf.float32 tensors.

    s0 is not zero (the layer's is) so that a loop that drops it is caught.
    """
    batch, input_size, state_size = sizes
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(0, 1, (batch, time_steps, input_size)),                # inputs
              rng.uniform(-1, 1, (batch, state_size)),                          # s0
              *_weights(rng, input_size, state_size)]
    return _float32(arrays)


def _float32(arrays: list[np.ndarray]) -> list:
    import tensorflow as tf

    return [tf.constant(array, dtype=tf.float32) for array in arrays]


def _float64(tensors: list) -> list[np.ndarray]:
    return [np.asarray(tensor, np.float64) for tensor in tensors]


def _reference_step():
    from rnnbook.cell import rnn_step

    return rnn_step


def _callable(function, usage: str) -> None:
    if not callable(function):
        kind = type(function).__name__
        raise _Mistake(Text(
            f"you passed {_a(kind)}, not a function: pass the function itself, `{usage}`, "
            f"without calling it",
            f"你傳入的是`{kind}`，不是函式：請傳入函式本身（`{usage}`），不要呼叫它"))


def _message(mistake: _Mistake) -> Text:
    return mistake.args[0]


# ---------------------------------------------------------------- running an answer


def _run_step(step, inputs: list) -> np.ndarray:
    """``step(x_t, s_prev, U, W, b)`` run as training runs it: s_t as a float32 array."""
    x_t, s_prev, U, W, _ = (tuple(tensor.shape) for tensor in inputs)
    hint = Text(
        f"x_t is {x_t}, s_prev {s_prev}, U {U}, W {W}: a matrix product `tf.matmul(a, m)` "
        f"needs a's last size to equal m's first. Rows are examples here (the book's U x_t "
        f"is the column-vector form): which weight can x_t meet, which s_prev, and in "
        f"which order?",
        f"x_t的形狀是{x_t}，s_prev是{s_prev}，U是{U}，W是{W}：矩陣乘法"
        f"`tf.matmul(a, m)`需要a的最後一個維度等於m的第一個維度。這裡每一列是一個樣本"
        f"（書中的U x_t是行向量的寫法）：x_t能和哪一個權重相乘？s_prev呢？順序又是如何？")
    wanted = Text(f"`rnn_step` returns s_t, one tensor of shape {s_prev}",
                  f"`rnn_step`應該傳回s_t，也就是一個形狀為{s_prev}的張量")
    return _float32_array(_run(step, inputs, hint, wanted))


def _run_loop(loop, inputs: list, step) -> np.ndarray:
    """``loop(inputs, s0, U, W, b, step)`` run as training runs it: the states as an array.

    Raises a _Mistake when the loop fails, returns no tensor, or never calls
    ``step`` (then the layer would not train the student's step).
    """
    x, s0, *_ = (tuple(tensor.shape) for tensor in inputs)
    hint = Text(
        f"inputs is {x}, (batch, time steps, features), and s0 {s0}; "
        f"`step(x_t, s_prev, U, W, b)` takes x_t of shape {(x[0], x[2])} and s_prev "
        f"of shape {s0}",
        f"inputs的形狀是{x}（批次、時間步、特徵），s0是{s0}；"
        f"`step(x_t, s_prev, U, W, b)`需要形狀為{(x[0], x[2])}的x_t與形狀為{s0}的s_prev")
    wanted = Text(f"`rnn_loop` returns every state, one tensor of shape {(x[0], x[1], s0[1])}",
                  f"`rnn_loop`應該傳回所有的狀態，也就是一個形狀為{(x[0], x[1], s0[1])}的張量")
    calls = []

    def counted_step(*arguments):
        calls.append(len(arguments))
        return step(*arguments)

    states = _run(lambda *tensors: loop(*tensors, counted_step), inputs, hint, wanted)
    if not calls:
        raise _Mistake(Text(
            "your loop never calls `step`: compute each state with "
            "`step(x_t, s_prev, U, W, b)`, the function the layer passes in (it trains with "
            "your `rnn_step`)",
            "你的迴圈沒有呼叫`step`：每個狀態都要用`step(x_t, s_prev, U, W, b)`計算，"
            "也就是層傳進來的函式（訓練時用的就是你的`rnn_step`）"))
    return _float32_array(states)


def _run(function, inputs: list, hint: Text, wanted: Text):
    """``function(*inputs)`` inside ``tf.function``: the one tensor it returns.

    The first two inputs have the batch as their first axis, unknown (None)
    while the graph is traced, as in training. An error becomes a _Mistake:
    when the function works eagerly but not in the graph, it says what a graph
    forbids; a shape error gets ``hint``. Anything but one tensor returned is
    a _Mistake saying what was returned instead of ``wanted``.
    """
    import tensorflow as tf

    signature = [tf.TensorSpec((None, *tensor.shape[1:]) if i < 2 else tensor.shape,
                               tensor.dtype) for i, tensor in enumerate(inputs)]
    returned = []

    def traced(*tensors):
        returned.append(function(*tensors))
        return returned[-1] if tf.is_tensor(returned[-1]) else None

    try:   # a concrete function: tracing many answers is no "frequent retracing" warning
        graph = tf.function(traced, autograph=False).get_concrete_function(*signature)
        output = graph(*inputs)
    except Exception as graph_error:  # whatever the student's code raises is reported
        try:
            function(*inputs)
        except Exception as error:    # fails eagerly too: the eager message is the clearer
            raise _Mistake(_raised(error, hint)) from None
        raise _Mistake(_graph_only(graph_error)) from None
    if output is None:
        raise _Mistake(_not_one_tensor(returned[-1]) + Text("; ", "；") + wanted
                       + _forgot_return(returned[-1]))
    return output


def _not_one_tensor(value) -> Text:
    """What the student returned instead of a tensor."""
    if value is None:
        return Text("you returned None", "你的函式傳回了None")
    if isinstance(value, (list, tuple)):
        count = len(value)
        return Text(f"you returned a list of {count} value{'' if count == 1 else 's'}",
                    f"你傳回的是含有{count}個值的串列（list）")
    if isinstance(value, (str, bytes)):
        return Text(f"you returned a string ({value!r:.40})", f"你傳回的是字串（{value!r:.40}）")
    if isinstance(value, (int, float)):
        return Text(f"you returned a single number ({value!r})",
                    f"你傳回的是單一個數字（{value!r}）")
    kind = type(value).__name__
    return Text(f"you returned {_a(kind)}, not a TensorFlow tensor",
                f"你傳回的是`{kind}`，不是TensorFlow的張量")


def _forgot_return(value) -> Text:
    if value is None:
        return Text(". Did you forget `return`?", "。是不是忘了寫`return`？")
    return Text("", "")


def _raised(error: Exception, hint: Text) -> Text:
    """What an exception of the student's code says, with ``hint`` for a shape error."""
    if isinstance(error, NotImplementedError):
        name = type(error).__name__
        return Text(f"your function is not written yet: it raises {name}",
                    f"你的函式還沒有寫好：它會引發{name}")
    said = one_line_error(error)
    said_text = Text(f"your function raised {said}", f"你的函式引發了{said}")
    message = said.partition(": ")[2]            # the error's own words, without its name
    if re.search(r"incompatible|shapes|dimension|size|num", message, re.IGNORECASE):
        return said_text + Text(". ", "。") + hint
    return said_text


def _graph_only(error: Exception) -> Text:
    """Why an answer that runs on eager tensors fails inside ``tf.function``."""
    said = one_line_error(error)
    return Text(
        f"your function works on ordinary tensors but not inside `tf.function`, where "
        f"training runs it: {said}. While the graph is built, tensors have no values "
        f"yet and the batch size is unknown (None): use TensorFlow operations only, not "
        f"`.numpy()`, NumPy functions, or Python's `int()`, `float()` and `if` on tensors",
        f"你的函式在一般的張量上可以執行，但在訓練時所用的`tf.function`裡會失敗：{said}。"
        f"建立計算圖時，張量還沒有數值，批次大小也還不知道（None）：請只使用TensorFlow的運算，"
        f"不要對張量使用`.numpy()`、NumPy函式，或Python的`int()`、`float()`與`if`")


def _float32_array(output) -> np.ndarray:
    """A tensor of states as an array, or a _Mistake if it does not hold float32 values."""
    if output.dtype.name != "float32":
        raise _Mistake(Text(
            f"your function returned {output.dtype.name} values; the states must be "
            f"float32, like x_t and the weights",
            f"你的函式傳回的是{output.dtype.name}的值；狀態必須和x_t與權重一樣是float32"))
    return output.numpy()


# ---------------------------------------------------------------- diagnosing the values


def _diagnose_step(got: np.ndarray, inputs: list[np.ndarray]) -> None:
    """Return if ``got`` is tanh(x U + s W + b); else raise the likely mistake."""
    x, s, U, W, b = inputs
    expected = np.tanh(x @ U + s @ W + b)
    if got.shape == expected.shape and _close(got, expected):
        return
    if got.shape == expected.T.shape and _close(got.T, expected):
        raise _Mistake(Text(
            f"your output is the transpose of s_t: shape {got.shape} instead of "
            f"{expected.shape} (batch, state)",
            f"你的輸出是s_t的轉置：形狀是{got.shape}，而不是{expected.shape}（批次、狀態）"))
    if got.shape != expected.shape:
        raise _Mistake(_wrong_shape(got, expected, Text("s_t", "s_t"), Text(
            "one row of state per example in the batch", "批次中的每個樣本各有一列狀態")))
    for mistake, variant in _step_mistakes(x, s, U, W, b):
        if _close(got, variant):
            raise _Mistake(mistake)
    raise _Mistake(_values_differ(got, expected))


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


def _diagnose_loop(got: np.ndarray, inputs: list[np.ndarray]) -> None:
    """Return if ``got`` holds every state s_1 ... s_T, (B, T, units); else the likely mistake."""
    x, s0, U, W, b = inputs
    expected = _states(x, s0, U, W, b)                                  # (B, T, units)
    if got.shape == expected.shape and _close(got, expected):
        return
    for mistake, variant in _loop_mistakes(x, s0, U, W, b, expected):
        if got.shape == variant.shape and _close(got, variant):
            raise _Mistake(mistake)
    if got.shape != expected.shape:
        raise _Mistake(_wrong_shape(got, expected, Text("the states", "狀態"), Text(
            "(batch, time steps, state size)", "也就是（批次、時間步、狀態大小）")))
    raise _Mistake(_values_differ(got, expected))


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
        f"{_fmt(got[worst])}, expected {_fmt(expected[worst])}",
        f"形狀{got.shape}是對的，但數值不同，差最多的位置在{where}：得到{_fmt(got[worst])}，"
        f"應該是{_fmt(expected[worst])}")

"""Lab 03's checkers: the 18-2 RNN cell's step and the loop around it (Corelab, Demo 18-3).

    check_rnn_step(rnn_step)   s_t = tanh(x_t U + s_prev W + b), one time step
    check_rnn_loop(rnn_loop)   unstack -> step -> stack: every state of a sequence
    trainable(rnn_step, rnn_loop)   whether Lab 03's training can run them at all

Each answer runs the way ``model.fit`` runs it in training: inside
``tf.function`` (without autograph, as Keras traces its train step), on
float32 tensors of the training shapes with the batch size unknown (None)
while the graph is built. An answer that passes the check therefore trains;
one that works only on ordinary (eager) tensors is told why it does not.
Messages are :class:`rnnbook.show.language.Text`, shown in the page's language.
"""

from __future__ import annotations

import re

import numpy as np

from rnnbook.arguments import non_negative_int, positive_int
from rnnbook.labs.common import (
    TOLERANCE,
    CheckResult,
    Mistake,
    close_enough,
    format_number,
    setup_checked,
    with_article,
)
from rnnbook.labs.hints import one_line_error
from rnnbook.labs.rnn_step_mistakes import diagnose_loop, diagnose_step
from rnnbook.show.language import Text

#: Lab 03's training shapes: LAB_BUDGET's batch size and state size
#: (rnnbook.experiments.mnist_training), an MNIST digit's rows (time steps) and pixels (features).
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
        diagnose_step(got, _float64(inputs))
    except Mistake as mistake:
        return CheckResult(False, _message(mistake))
    shape = (sizes[0], sizes[2])                                        # (B, units)
    return CheckResult(True, Text(
        f"your `rnn_step` computes s_t = tanh(x_t U + s_prev W + b), shape {shape}, inside "
        f"`tf.function` as training runs it (within {TOLERANCE}).",
        f"你的`rnn_step`算出了s_t = tanh(x_t U + s_prev W + b)，形狀為{shape}，而且和訓練時"
        f"一樣在`tf.function`裡執行（誤差在{TOLERANCE}以內）。"))


def check_rnn_loop(loop, time_steps: int = TIME_STEPS, input_size: int = FEATURES,
                   state_size: int = UNITS, batch: int = BATCH, seed: int = 0) -> CheckResult:
    """Check ``loop(inputs, s0, U, W, b, step)``: every state s_1 ... s_T, (B, T, units) (Lab 03).

    The loop is given the reference step (``rnnbook.rnn.cell.rnn_step``), so its
    check does not depend on the student's step; it must call ``step`` (the
    layer trains with the student's) and stack the states along the time axis.
    """
    time_steps = positive_int("time_steps", time_steps)
    sizes = _sizes(batch, input_size, state_size)
    inputs = _loop_inputs(sizes, time_steps, _seed(seed))
    try:
        _callable(loop, _LOOP_USAGE)
        got = _run_loop(loop, inputs, _reference_step())
        diagnose_loop(got, _float64(inputs))
    except Mistake as mistake:
        return CheckResult(False, _message(mistake))
    shape = (sizes[0], time_steps, sizes[2])                            # (B, T, units)
    return CheckResult(True, Text(
        f"your `rnn_loop` calls `step` at each of the {time_steps} time steps and returns "
        f"every state, shape {shape}, inside `tf.function` as training runs it "
        f"(within {TOLERANCE}).",
        f"你的`rnn_loop`在{time_steps}個時間步都呼叫了`step`，並傳回所有的狀態，形狀為"
        f"{shape}，而且和訓練時一樣在`tf.function`裡執行（誤差在{TOLERANCE}以內）。"))


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
    except Mistake as mistake:
        return CheckResult(False, _complete_first("rnn_step", _message(mistake)))
    try:
        _callable(loop, _LOOP_USAGE)
        _run_loop(loop, _loop_inputs(sizes, TIME_STEPS, 0), step)
    except Mistake as mistake:
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
    return setup_checked(non_negative_int, "seed", seed)


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
    from rnnbook.rnn.cell import rnn_step

    return rnn_step


def _callable(function, usage: str) -> None:
    if not callable(function):
        kind = type(function).__name__
        raise Mistake(Text(
            f"you passed {with_article(kind)}, not a function: pass the function itself, `{usage}`, "
            f"without calling it",
            f"你傳入的是`{kind}`，不是函式：請傳入函式本身（`{usage}`），不要呼叫它"))


def _message(mistake: Mistake) -> Text:
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

    Raises a Mistake when the loop fails, returns no tensor, or never calls
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
        raise Mistake(Text(
            "your loop never calls `step`: compute each state with "
            "`step(x_t, s_prev, U, W, b)`, the function the layer passes in (it trains with "
            "your `rnn_step`)",
            "你的迴圈沒有呼叫`step`：每個狀態都要用`step(x_t, s_prev, U, W, b)`計算，"
            "也就是層傳進來的函式（訓練時用的就是你的`rnn_step`）"))
    return _float32_array(states)


def _run(function, inputs: list, hint: Text, wanted: Text):
    """``function(*inputs)`` inside ``tf.function``: the one tensor it returns.

    The first two inputs have the batch as their first axis, unknown (None)
    while the graph is traced, as in training. An error becomes a Mistake:
    when the function works eagerly but not in the graph, it says what a graph
    forbids; a shape error gets ``hint``. Anything but one tensor returned is
    a Mistake saying what was returned instead of ``wanted``.
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
            raise Mistake(_raised(error, hint)) from None
        raise Mistake(_graph_only(graph_error)) from None
    if output is None:
        raise Mistake(_not_one_tensor(returned[-1]) + Text("; ", "；") + wanted
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
    return Text(f"you returned {with_article(kind)}, not a TensorFlow tensor",
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
    """A tensor of states as an array, or a Mistake if it does not hold float32 values."""
    if output.dtype.name != "float32":
        raise Mistake(Text(
            f"your function returned {output.dtype.name} values; the states must be "
            f"float32, like x_t and the weights",
            f"你的函式傳回的是{output.dtype.name}的值；狀態必須和x_t與權重一樣是float32"))
    return output.numpy()

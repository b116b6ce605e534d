"""Lab 03's checker: one step of the 18-2 RNN cell (Corelab, Demo 18-3)."""

from __future__ import annotations

import re
import numpy as np

from rnnbook._checks import non_negative_int, positive_int
from rnnbook.labs.common import (CheckResult, _Mistake, _TOLERANCE, _a, _as_one,
                                _close, _fmt, _setup_checked)

#: Parts of a TensorFlow error message that mean nothing to a student: the
#: "{{function_node ...}}" prefix and the "[Op:MatMul] name: ..." suffix.
_TF_NOISE = re.compile(r"\{\{.*?\}\}\s*|\s*\[Op:\w+\].*$", re.MULTILINE)


def check_rnn_step(step, input_size: int = 3, state_size: int = 4, batch: int = 2,
                   seed: int = 0) -> CheckResult:
    """Check ``step(x_t, s_prev, U, W, b)`` against s_t = tanh(x_t U + s_prev W + b) (Lab 3).

    This is the 18-2 equation s_t = f(U x_t + W s_{t-1} + b) with f = tanh in
    Keras' row-vector form: x_t (batch, input), U (input, state),
    W (state, state), b (state,), s_t (batch, state). ``step`` is called on
    seeded random tf.float32 tensors and may return a tf.Tensor or NumPy array.
    """
    sizes = (positive_int("batch", batch), positive_int("input_size", input_size),
             positive_int("state_size", state_size))
    seed = _setup_checked(non_negative_int, "seed", seed)
    if not callable(step):
        return CheckResult(False, f"you passed {_a(type(step).__name__)}, not a function: pass "
                                  f"the function itself, `check_rnn_step(rnn_step)`, without "
                                  f"calling it")
    inputs = _step_inputs(*sizes, seed)
    expected_shape = (sizes[0], sizes[2])
    try:
        output = _call(step, inputs)
        got = _as_one(output, f"`rnn_step` should return one tensor of shape {expected_shape}",
                      "your function's result")
        _diagnose_step(got, [np.asarray(value, np.float64) for value in inputs])
    except _Mistake as mistake:
        return CheckResult(False, str(mistake))
    return CheckResult(True, f"your `rnn_step` computes s_t = tanh(x_t U + s_prev W + b), shape "
                             f"{expected_shape}, on random inputs (within {_TOLERANCE}).")


def _step_inputs(batch: int, input_size: int, state_size: int, seed: int) -> list:
    """Seeded random x_t, s_prev, U, W, b as tf.float32 tensors."""
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    arrays = [rng.normal(0, 1, (batch, input_size)),                             # x_t
              rng.uniform(-1, 1, (batch, state_size)),                           # s_prev
              rng.normal(0, 1 / np.sqrt(input_size), (input_size, state_size)),  # U
              rng.normal(0, 1 / np.sqrt(state_size), (state_size, state_size)),  # W
              rng.normal(0, 0.5, (state_size,))]                                 # b
    return [tf.constant(array, dtype=tf.float32) for array in arrays]


def _call(step, inputs: list):
    """``step(x_t, s_prev, U, W, b)``; an exception becomes a _Mistake (no traceback)."""
    try:
        return step(*inputs)
    except Exception as error:  # whatever the student's code raises is reported, not raised
        text = _TF_NOISE.sub("", str(error)).strip().splitlines()
        message = f"your function raised {type(error).__name__}: {text[0] if text else ''}"
        if re.search(r"incompatible|shapes|dimension|size", message, re.IGNORECASE):
            x_t, s_prev, U, W, _ = (tuple(value.shape) for value in inputs)
            message += (f". With x_t {x_t}, s_prev {s_prev}, U {U} and W {W}, write "
                        f"`tf.matmul(x_t, U) + tf.matmul(s_prev, W) + b`: rows are examples, "
                        f"so the vector comes first (the book's U x_t is the column-vector "
                        f"form), and U goes with x_t, W with s_prev")
        raise _Mistake(message) from None


def _diagnose_step(got: np.ndarray, inputs: list[np.ndarray]) -> None:
    """Return if ``got`` is tanh(x U + s W + b); else raise the likely mistake."""
    x, s, U, W, b = inputs
    expected = np.tanh(x @ U + s @ W + b)
    if got.dtype.kind != "f":
        raise _Mistake(f"your function returned {got.dtype} values; s_t holds floats")
    if got.shape == expected.shape and _close(got, expected):
        return
    if got.shape == expected.T.shape and _close(got.T, expected):
        raise _Mistake(f"your output is the transpose of s_t: shape {got.shape} instead of "
                       f"{expected.shape} (batch, state)")
    if got.shape != expected.shape:
        raise _Mistake(f"your function returned shape {got.shape}; s_t should have shape "
                       f"{expected.shape}, one row of state per example in the batch")
    for mistake, variant in _step_mistakes(x, s, U, W, b):
        if _close(got, variant):
            raise _Mistake(mistake)
    worst = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    raise _Mistake(f"the shape {got.shape} is right but the values differ, most at "
                   f"{tuple(int(i) for i in worst)}: got {_fmt(got[worst])}, expected "
                   f"{_fmt(expected[worst])}")


def _step_mistakes(x, s, U, W, b) -> list[tuple[str, np.ndarray]]:
    """Typical wrong steps and what each computes."""
    pre = x @ U + s @ W + b
    mistakes = [
        ("the tanh is missing: your output is the pre-activation x_t U + s_prev W + b; "
         "apply `tf.tanh` to it", pre),
        ("the recurrent term is missing: your output is tanh(x_t U + b); s_t must also depend "
         "on the previous state through `tf.matmul(s_prev, W)`", np.tanh(x @ U + b)),
        ("the input term is missing: your output is tanh(s_prev W + b); add "
         "`tf.matmul(x_t, U)`", np.tanh(s @ W + b)),
        ("the bias is missing: your output is tanh(x_t U + s_prev W); add b",
         np.tanh(x @ U + s @ W)),
        ("you used the sigmoid instead of tanh: the 18-2 cell uses `tf.tanh`",
         1 / (1 + np.exp(-pre))),
        ("you used relu instead of tanh: the 18-2 cell uses `tf.tanh`", np.maximum(pre, 0)),
    ]
    if U.shape == W.shape:
        mistakes.append(("U and W are swapped: U multiplies the input x_t, W the previous "
                         "state s_prev", np.tanh(x @ W + s @ U + b)))
    return mistakes



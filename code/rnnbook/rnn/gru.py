"""Keras' GRU step in NumPy (18-3): the one reference the book's GRUs are checked against.

The GRU is the recurrent layer of the book's character models. Keras keeps a
GRU layer's weights (``layer.get_weights()``, ``reset_after=True``, Keras'
default) in three arrays, the columns of each in Keras' gate order
(:data:`GATE_ORDER`: update gate z, reset gate r, candidate)::

    kernel            (input, 3H)  [U_z | U_r | U] transposed: x_t @ kernel, the U x_t terms
    recurrent_kernel  (H, 3H)      [W_z | W_r | W] transposed: s @ recurrent_kernel, the W s terms
    bias              (2, 3H)      row 0 added to the U x_t terms, row 1 to the W s_{t-1} terms

One step, in 18-2's names (s_t = f(U x_t + W s_{t-1})), biases left out as in
18-2 (:data:`rnnbook.experiments.cell_comparison.GRU_EQUATIONS` typesets the same four lines)::

    z_t = sigmoid(U_z x_t + W_z s_{t-1})          update gate, in (0, 1)
    r_t = sigmoid(U_r x_t + W_r s_{t-1})          reset gate, in (0, 1)
    c_t = tanh(U x_t + r_t * (W s_{t-1}))         candidate: the reset gate scales W s_{t-1}
    s_t = z_t * s_{t-1} + (1 - z_t) * c_t         keep the old state, or take the new one

(``reset_after=True``: r_t multiplies W s_{t-1} with its bias, after the
product; the original GRU multiplies s_{t-1} before it.) :func:`gru_step`
computes one step, :func:`gru_states` a whole sequence. Tests hold Keras'
GRU layer, rnnbook.experiments.cell_comparison's comparison and the reader's browser
(``_static/charmodel/gru.js``) to these functions.
"""

from __future__ import annotations

import numpy as np

from rnnbook.arguments import float_array

#: The order of the gates' column blocks in Keras' kernels and biases.
GATE_ORDER = ("z", "r", "h")


def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-v))


def check_gru_weights(kernel, recurrent_kernel, bias, inputs: int | None = None
                      ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three weights of a Keras GRU layer as float64 arrays, or a ValueError saying why not.

    ``inputs``: the width of x_t, when known. A GRU of H units on I inputs
    has kernel (I, 3H), recurrent_kernel (H, 3H) and bias (2, 3H).
    """
    kernel = float_array("kernel", kernel, 2)
    recurrent = float_array("recurrent_kernel", recurrent_kernel, 2)
    bias = float_array("bias", bias, 2)
    H = recurrent.shape[0]
    n = kernel.shape[0] if inputs is None else inputs
    if kernel.shape != (n, 3 * H) or recurrent.shape != (H, 3 * H) or bias.shape != (2, 3 * H):
        raise ValueError(f"a GRU of {H} units on {n} inputs has kernel {(n, 3 * H)}, "
                         f"recurrent_kernel {(H, 3 * H)} and bias {(2, 3 * H)} (Keras' "
                         f"reset_after=True); got {kernel.shape}, {recurrent.shape}, "
                         f"{bias.shape}")
    return kernel, recurrent, bias


def _step(x: np.ndarray, s: np.ndarray, kernel: np.ndarray, recurrent: np.ndarray,
          bias: np.ndarray) -> np.ndarray:
    H = recurrent.shape[0]
    from_x = x @ kernel + bias[0]                          # (..., 3H): U_z x, U_r x, U x
    from_s = s @ recurrent + bias[1]                       # (..., 3H): W_z s, W_r s, W s
    z = _sigmoid(from_x[..., :H] + from_s[..., :H])
    r = _sigmoid(from_x[..., H:2 * H] + from_s[..., H:2 * H])
    candidate = np.tanh(from_x[..., 2 * H:] + r * from_s[..., 2 * H:])
    return z * s + (1 - z) * candidate                     # (..., H)


def gru_step(x, s, kernel, recurrent_kernel, bias) -> np.ndarray:
    """s_t from x_t and s_{t-1}: one step of a Keras GRU layer with these weights.

    ``x`` is (input,) or a batch (B, input); ``s`` is (H,) or (B, H); the
    weights are ``layer.get_weights()`` (see the module's docstring).
    Returns s_t, shaped like ``s``.
    """
    x = float_array("x", x, (1, 2))
    s = float_array("s", s, (1, 2))
    kernel, recurrent, bias = check_gru_weights(kernel, recurrent_kernel, bias, x.shape[-1])
    H = recurrent.shape[0]
    if s.shape[-1] != H or (x.ndim == 2 and s.shape != (x.shape[0], H)) \
            or (x.ndim == 1 and s.ndim != 1):
        wanted = (H,) if x.ndim == 1 else (x.shape[0], H)
        raise ValueError(f"s must have shape {wanted} for x of shape {x.shape} and a GRU "
                         f"of {H} units, got {s.shape}")
    return _step(x, s, kernel, recurrent, bias)


def gru_states(xs, kernel, recurrent_kernel, bias, s0=None) -> np.ndarray:
    """The states s_1 .. s_T of a Keras GRU layer for inputs ``xs`` (T, input).

    Starts from ``s0`` (H,), zero by default, as Keras does; the weights are
    ``layer.get_weights()``. Returns (T, H), row t - 1 being s_t.
    """
    xs = float_array("xs", xs, 2)
    kernel, recurrent, bias = check_gru_weights(kernel, recurrent_kernel, bias, xs.shape[1])
    H = recurrent.shape[0]
    s = np.zeros(H) if s0 is None else float_array("s0", s0, 1)
    if s.shape != (H,):
        raise ValueError(f"s0 must have shape {(H,)} for a GRU of {H} units, got {s.shape}")
    states = []
    for x in xs:
        s = _step(x, s, kernel, recurrent, bias)
        states.append(s)
    return np.array(states).reshape(len(xs), H)                              # (T, H)

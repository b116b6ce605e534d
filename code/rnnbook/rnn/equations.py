"""The equations of section 18-2, in NumPy, and their Keras counterpart.

    s_t = f(U x_t + W s_{t-1} + b)
    o_t = softmax(V s_t + c)

U, W and V are the *same* matrices at every time step: that sharing is what
makes an RNN (18-1), and it is why the parameter count does not grow with the
number of time steps (see :func:`parameter_count`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnbook.arguments import float_array, positive_int


@dataclass(frozen=True)
class RNNWeights:
    """The three shared weight matrices of 18-2 and their biases.

    Shapes follow the equations: U (state, input), W (state, state),
    V (output, state), b (state,), c (output,).
    """

    U: np.ndarray
    W: np.ndarray
    V: np.ndarray
    b: np.ndarray
    c: np.ndarray

    def __post_init__(self) -> None:
        U = float_array("U", self.U, 2)
        W = float_array("W", self.W, 2)
        V = float_array("V", self.V, 2)
        state_size = U.shape[0]
        if W.shape != (state_size, state_size):
            raise ValueError(
                f"W must be square (state, state) = ({state_size}, {state_size}) to match "
                f"U's {state_size} rows, got shape {W.shape}"
            )
        if V.shape[1] != state_size:
            raise ValueError(
                f"V must have {state_size} columns (one per state unit) to match U, "
                f"got shape {V.shape}"
            )
        b = float_array("b", self.b, 1)
        c = float_array("c", self.c, 1)
        if b.shape != (state_size,):
            raise ValueError(f"b must have shape ({state_size},), got {b.shape}")
        if c.shape != (V.shape[0],):
            raise ValueError(f"c must have shape ({V.shape[0]},), got {c.shape}")
        for name, array in zip("UWVbc", (U, W, V, b, c)):
            object.__setattr__(self, name, array)

    @property
    def input_size(self) -> int:
        return self.U.shape[1]

    @property
    def state_size(self) -> int:
        return self.U.shape[0]

    @property
    def output_size(self) -> int:
        return self.V.shape[0]


def random_weights(input_size: int, state_size: int, output_size: int,
                   seed: int = 0, scale: float = 0.5) -> RNNWeights:
    """Small random weights for demonstrations (18-1, 18-2); biases are zero."""
    input_size = positive_int("input_size", input_size)
    state_size = positive_int("state_size", state_size)
    output_size = positive_int("output_size", output_size)
    rng = np.random.default_rng(seed)
    return RNNWeights(
        U=rng.normal(0, scale / np.sqrt(input_size), (state_size, input_size)),
        W=rng.normal(0, scale / np.sqrt(state_size), (state_size, state_size)),
        V=rng.normal(0, scale / np.sqrt(state_size), (output_size, state_size)),
        b=np.zeros(state_size),
        c=np.zeros(output_size),
    )


def softmax(logits: np.ndarray) -> np.ndarray:
    """Softmax over the last axis, shifted by the maximum for numerical safety."""
    return unchecked_softmax(float_array("logits", logits, (1, 2, 3)))


def unchecked_softmax(logits: np.ndarray) -> np.ndarray:
    """:func:`softmax` of a float array as it is, without the check of its argument.

    An entry of -inf gets probability 0 (a choice ruled out: 18-3 samples
    that way). A row whose largest entry is +inf, or whose entries are all
    -inf, comes out NaN: the caller decides what that means.
    """
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class RNNTrace:
    """What one forward pass produced: every state and every output."""

    states: np.ndarray   # (B, T, state)  s_1 .. s_T
    outputs: np.ndarray  # (B, T, output) o_1 .. o_T


def rnn_forward(xs: np.ndarray, weights: RNNWeights, s0: np.ndarray | None = None,
                activation=np.tanh) -> RNNTrace:
    """Run the 18-2 equations over a sequence (or a batch of sequences).

    ``xs`` has shape (T, input) or (B, T, input); ``s0`` is the state before the
    first step (zeros by default), shape (state,) or (B, state).
    Returns states and outputs with a batch axis, (B, T, ...).
    """
    xs, state = _checked_inputs(xs, weights, s0, activation)  # (B, T, input), (B, state)
    states = []
    for t in range(xs.shape[1]):
        state = activation(xs[:, t] @ weights.U.T + state @ weights.W.T + weights.b)
        states.append(state)                                  # s_t
    states = np.stack(states, axis=1)                         # (B, T, state)
    outputs = softmax(states @ weights.V.T + weights.c)       # (B, T, output)
    return RNNTrace(states=states, outputs=outputs)


def _checked_inputs(xs, weights, s0, activation) -> tuple[np.ndarray, np.ndarray]:
    """Validate the arguments of :func:`rnn_forward`; return xs as (B, T, input) and s_0."""
    if not isinstance(weights, RNNWeights):
        raise TypeError(f"weights must be an RNNWeights, got {type(weights).__name__}")
    if not callable(activation):
        raise TypeError(f"activation must be a function such as np.tanh, got {activation!r}")
    xs = float_array("xs", xs, (2, 3))
    if xs.ndim == 2:
        xs = xs[np.newaxis]                                   # (1, T, input)
    batch, steps, input_size = xs.shape
    if steps == 0:
        raise ValueError("xs must have at least one time step, got T = 0")
    if input_size != weights.input_size:
        raise ValueError(
            f"xs has {input_size} features per time step but U expects {weights.input_size} "
            f"(U has shape {weights.U.shape})"
        )
    return xs, _initial_state(s0, batch, weights.state_size)


def _initial_state(s0, batch: int, state_size: int) -> np.ndarray:
    if s0 is None:
        return np.zeros((batch, state_size))
    s0 = float_array("s0", s0, (1, 2))
    s0 = np.broadcast_to(s0, (batch, s0.shape[-1])) if s0.ndim == 1 else s0
    if s0.shape != (batch, state_size):
        raise ValueError(f"s0 must have shape ({state_size},) or ({batch}, {state_size}), "
                         f"got {s0.shape}")
    return s0


def parameter_count(steps: int, input_size: int, state_size: int, output_size: int,
                    shared: bool = True) -> int:
    """Number of weights of a chain of ``steps`` branches (18-1).

    ``shared=True`` is the RNN: one U, W and V (and biases b, c) for every step.
    ``shared=False`` gives every position its own U_t, V_t, b_t, c_t and every
    link between neighbours its own W_t, so the count grows with ``steps``.
    """
    steps = positive_int("steps", steps)
    d = positive_int("input_size", input_size)
    h = positive_int("state_size", state_size)
    k = positive_int("output_size", output_size)
    per_position = h * d + h + k * h + k        # U_t, b_t, V_t, c_t
    per_link = h * h                            # W_t between steps t and t+1
    if shared:
        return per_position + per_link
    return steps * per_position + (steps - 1) * per_link


def keras_simple_rnn(weights: RNNWeights):
    """A ``keras.layers.SimpleRNN`` holding the same U, W, b (18-2 check).

    Keras stores the transposes: kernel = U.T (input, state), recurrent
    kernel = W.T (state, state). The layer returns every state, (B, T, state).
    """
    if not isinstance(weights, RNNWeights):
        raise TypeError(f"weights must be an RNNWeights, got {type(weights).__name__}")
    import keras

    layer = keras.layers.SimpleRNN(weights.state_size, return_sequences=True)
    layer.build((None, None, weights.input_size))
    layer.set_weights([weights.U.T, weights.W.T, weights.b])
    return layer


def without_memory(weights: RNNWeights) -> RNNWeights:
    """The same network with W = 0: a feed-forward net applied at each step (18-1).

    With no recurrent weights, s_t depends on x_t alone, so the network has no
    memory of the words before.
    """
    if not isinstance(weights, RNNWeights):
        raise TypeError(f"weights must be an RNNWeights, got {type(weights).__name__}")
    return RNNWeights(U=weights.U, W=np.zeros_like(weights.W), V=weights.V,
                      b=weights.b, c=weights.c)

"""Training through time (18-3): how the gradient travels back along the states.

Backpropagation through time sends the gradient of a loss at the last step T
back through every state. With 18-2's s_t = tanh(U x_t + W s_{t-1}), one step
back multiplies it by the transposed Jacobian of that step::

    dL/ds_{t-1} = W^T (dL/ds_t * (1 - s_t^2))          (* elementwise)

so after k steps it has been multiplied k times by W^T and tanh's slopes
1 - s^2 <= 1: it shrinks or grows geometrically, like a number raised to the
k-th power (Bengio et al. 1994; Pascanu et al. 2013). :func:`state_gradients`
measures it for a W that stretches every direction by the same factor rho
(rho times an orthogonal matrix, so its spectral radius and its norm are both
rho): below 1 the gradient vanishes; above 1 it grows, less than rho a step,
since tanh's slopes are below 1 where the states are large.

The book's training loops guard against the growing kind by **clipping** the
gradient's global norm (:data:`CLIP_NORM`, the character model's
``global_clipnorm``): a gradient longer than that is scaled down to it, its
direction kept (:func:`clip_by_global_norm`, :func:`clipping_demo`). And they
train on windows of :data:`WINDOW` characters, each read from a zero state:
the gradient is never carried further back than one window (backpropagation
through time, truncated at the window's start).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from rnnbook.arguments import finite_positive_float, float_array, non_negative_int, positive_int
from rnnbook.charrnn.config import PRESETS
from rnnbook.rnn.equations import RNNWeights, random_weights, rnn_forward

#: The global norm the character model's gradients are clipped to (Adam's global_clipnorm).
CLIP_NORM = PRESETS["shipped"].clip_norm
#: The characters of one training window: the gradient goes back at most this far.
WINDOW = PRESETS["shipped"].seq_len
#: The scales of W that 18-3 compares: shrinking, about 1, growing.
SPECTRAL_RADII = (0.5, 1.0, 2.0)


@dataclass(frozen=True)
class StateGradients:
    """||dL/ds_t|| for t = 1 .. T, L the loss at the last step, for one scale of W.

    ``norms`` is the geometric mean over a batch of random input sequences.
    ``slope`` is tanh's mean slope 1 - s_t^2 along the way.
    """

    spectral_radius: float
    norms: np.ndarray      # (T,)
    slope: float

    @property
    def steps(self) -> int:
        return len(self.norms)

    @property
    def factor(self) -> float:
        """What one step back multiplies the gradient by, on average (geometric mean)."""
        return float((self.norms[0] / self.norms[-1]) ** (1 / (self.steps - 1)))

    def over(self, steps: int) -> float:
        """What ``steps`` steps back multiply the gradient by, at :attr:`factor` a step
        (e.g. ``over(WINDOW - 1)``: from a window's last character to its first)."""
        return self.factor ** non_negative_int("steps", steps)

    @property
    def ratio(self) -> float:
        """||dL/ds_1|| / ||dL/ds_T||: the gradient at the first state, next to the last's."""
        return float(self.norms[0] / self.norms[-1])


def _experiment(spectral_radius: float, steps: int = 50, state_size: int = 32,
                input_size: int = 8, output_size: int = 8, batch: int = 16,
                input_scale: float = 0.1, seed: int = 0):
    """The network and the data of :func:`state_gradients`, its arguments checked.

    18-2's random weights, with W = ``spectral_radius`` times a random
    orthogonal matrix; ``batch`` sequences of N(0, 1) inputs, and a random
    class expected at the last step of each.
    """
    spectral_radius = finite_positive_float("spectral_radius", spectral_radius)
    steps = positive_int("steps", steps)
    if steps < 2:
        raise ValueError(f"steps must be at least 2 to follow the gradient back, got {steps}")
    state_size = positive_int("state_size", state_size)
    output_size = positive_int("output_size", output_size)
    seed = non_negative_int("seed", seed)
    weights = random_weights(positive_int("input_size", input_size), state_size, output_size,
                             seed=seed, scale=finite_positive_float("input_scale", input_scale))
    rng = np.random.default_rng([seed, 1])
    q, r = np.linalg.qr(rng.normal(size=(state_size, state_size)))
    W = spectral_radius * q * np.sign(np.diag(r))                 # uniformly random rotation
    weights = RNNWeights(U=weights.U, W=W, V=weights.V, b=weights.b, c=weights.c)
    xs = rng.normal(size=(positive_int("batch", batch), steps, input_size))   # (B, T, input)
    expected = rng.integers(0, output_size, size=batch)                        # (B,)
    return weights, xs, expected


def backprop_states(xs: np.ndarray, expected: np.ndarray, weights: RNNWeights) -> np.ndarray:
    """dL/ds_t for every t, L = -log o_T[expected] the loss at the last step: (B, T, state).

    ``xs``: (B, T, input); ``expected``: (B,) the class expected at step T.
    """
    xs = float_array("xs", xs, 3)
    expected = np.asarray(expected)
    if expected.shape != xs.shape[:1] or not np.issubdtype(expected.dtype, np.integer):
        raise ValueError(f"expected must hold one class index per sequence, shape "
                         f"({xs.shape[0]},), got shape {expected.shape}")
    trace = rnn_forward(xs, weights)
    states = trace.states                                            # (B, T, state)
    wanted = np.eye(weights.output_size)[expected]                   # (B, output)
    gradient = (trace.outputs[:, -1] - wanted) @ weights.V           # dL/ds_T (B, state)
    gradients = [gradient]
    for t in range(xs.shape[1] - 1, 0, -1):                          # T-1 .. 1 (0-based t)
        gradient = (gradient * (1 - states[:, t] ** 2)) @ weights.W  # dL/ds_{t-1}
        gradients.append(gradient)
    return np.stack(gradients[::-1], axis=1)


def state_gradients(spectral_radius: float, steps: int = 50, state_size: int = 32,
                    input_size: int = 8, output_size: int = 8, batch: int = 16,
                    input_scale: float = 0.1, seed: int = 0) -> StateGradients:
    """Measure ||dL/ds_t|| along a tanh RNN of ``steps`` steps whose W has norm ``spectral_radius``.

    Small inputs (``input_scale`` scales U) keep tanh near its linear part,
    where the geometric story is cleanest; the norms are the geometric mean
    over ``batch`` random sequences (inputs N(0, 1), a random class of
    ``output_size`` expected at the end).
    """
    weights, xs, expected = _experiment(spectral_radius, steps, state_size, input_size,
                                        output_size, batch, input_scale, seed)
    gradients = backprop_states(xs, expected, weights)                # (B, T, state)
    norms = np.exp(np.log(np.linalg.norm(gradients, axis=-1)).mean(axis=0))   # (T,)
    slope = float((1 - rnn_forward(xs, weights).states ** 2).mean())
    return StateGradients(float(spectral_radius), norms, slope)


def gradient_story(spectral_radii: Sequence[float] = SPECTRAL_RADII,
                   **options) -> list[StateGradients]:
    """:func:`state_gradients` for each scale of W (the chart of 18-3), same inputs."""
    return [state_gradients(radius, **options) for radius in _radii(spectral_radii)]


def _radii(spectral_radii) -> list:
    if isinstance(spectral_radii, (str, bytes)) or not isinstance(spectral_radii, Sequence) \
            or not spectral_radii:
        raise TypeError(f"spectral_radii must be a non-empty list of numbers such as "
                        f"(0.5, 1.0, 2.0), got {spectral_radii!r}")
    return list(spectral_radii)


# --- clipping ------------------------------------------------------------------------------

def global_norm(gradients: Sequence[np.ndarray]) -> float:
    """sqrt of the sum of squares of every entry of every gradient: one length for all."""
    return math.sqrt(sum(float(np.sum(np.square(g))) for g in gradients))


def clip_by_global_norm(gradients: Sequence[np.ndarray],
                        clip_norm: float = CLIP_NORM) -> tuple[list[np.ndarray], float]:
    """The gradients scaled so that their global norm is at most ``clip_norm``, and the norm
    before (as ``tf.clip_by_global_norm`` and Keras' ``global_clipnorm`` do).

    Every gradient is multiplied by the same ``clip_norm / norm`` when the norm
    is larger, so the direction of the step is kept; shorter ones are unchanged.
    """
    clip_norm = finite_positive_float("clip_norm", clip_norm)
    if isinstance(gradients, np.ndarray) or not len(gradients):
        raise TypeError("gradients must be a non-empty list of arrays (one per weight)")
    arrays = [float_array(f"gradients[{i}]", g, (0, 1, 2, 3, 4)) for i, g in enumerate(gradients)]
    norm = global_norm(arrays)
    scale = min(1.0, clip_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in arrays], norm


def weight_gradients(xs: np.ndarray, expected: np.ndarray,
                     weights: RNNWeights) -> dict[str, np.ndarray]:
    """dL/dU, dL/dW, dL/dV of the loss at the last step, averaged over the batch (as Keras).

    Each is a sum over the time steps, U and W being shared by all of them.
    """
    trace = rnn_forward(xs, weights)
    states = trace.states                                            # (B, T, state)
    before = np.concatenate([np.zeros_like(states[:, :1]), states[:, :-1]], axis=1)  # s_{t-1}
    through_tanh = backprop_states(xs, expected, weights) * (1 - states ** 2)        # (B, T, n)
    wanted = np.eye(weights.output_size)[expected]
    batch = len(trace.states)
    return {"U": np.einsum("btn,btd->nd", through_tanh, xs) / batch,
            "W": np.einsum("btn,btm->nm", through_tanh, before) / batch,
            "V": np.einsum("bk,bn->kn", trace.outputs[:, -1] - wanted, states[:, -1]) / batch}


@dataclass(frozen=True)
class Clipping:
    """A gradient's global norm before and after clipping, for one scale of W."""

    spectral_radius: float
    norm: float               # before
    clipped_norm: float       # after: min(norm, clip_norm)
    clip_norm: float

    @property
    def scale(self) -> float:
        """What clipping multiplied every gradient by (1: left alone)."""
        return self.clipped_norm / self.norm


def clipping_demo(spectral_radii: Sequence[float] = SPECTRAL_RADII,
                  clip_norm: float = CLIP_NORM, **options) -> list[Clipping]:
    """The global norm of the gradient of U, W and V, before and after clipping it to
    ``clip_norm``, for each scale of W (``options``: those of :func:`state_gradients`)."""
    clip_norm = finite_positive_float("clip_norm", clip_norm)
    results = []
    for radius in _radii(spectral_radii):
        weights, xs, expected = _experiment(radius, **options)
        gradients = list(weight_gradients(xs, expected, weights).values())
        clipped, norm = clip_by_global_norm(gradients, clip_norm)
        results.append(Clipping(float(radius), norm, global_norm(clipped), clip_norm))
    return results

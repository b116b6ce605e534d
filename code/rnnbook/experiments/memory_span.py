"""What a longer state buys (section 18-2): how far back an RNN can remember.

A random, untrained RNN is driven by a random scalar signal. For each delay k
we ask how well the current state s_t determines the input x_{t-k}: fit a
linear read-out from s_t to x_{t-k} (least squares) on one stretch of the run
and measure the squared correlation r^2 on another. The sum of r^2 over delays
is the network's memory capacity, which cannot exceed the state size
(Jaeger 2001); a longer s remembers more.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnbook.arguments import positive_int


@dataclass(frozen=True)
class MemoryCurve:
    """r^2 of recalling x_{t-k} from s_t, for k = 1 .. len(recall)."""

    state_size: int
    delays: np.ndarray   # (K,)
    recall: np.ndarray   # (K,) r^2 in [0, 1]

    @property
    def capacity(self) -> float:
        """Memory capacity: the sum of r^2 over the delays."""
        return float(self.recall.sum())


def memory_curve(state_size: int, max_delay: int = 40, steps: int = 4000,
                 spectral_radius: float = 0.95, seed: int = 0) -> MemoryCurve:
    """Measure how well a random RNN with ``state_size`` units recalls past inputs."""
    state_size = positive_int("state_size", state_size)
    max_delay = positive_int("max_delay", max_delay)
    steps = positive_int("steps", steps)
    if steps < 4 * max_delay + 2 * state_size:
        raise ValueError(f"steps must be at least 4 * max_delay + 2 * state_size "
                         f"= {4 * max_delay + 2 * state_size} to fit and test the read-out, "
                         f"got {steps}")
    if not 0 < spectral_radius < 1:
        raise ValueError(f"spectral_radius must be in (0, 1) so the state does not blow up, "
                         f"got {spectral_radius}")
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(state_size, state_size))
    W *= spectral_radius / max(abs(np.linalg.eigvals(W)))
    U = rng.uniform(-0.1, 0.1, size=state_size)       # small inputs keep tanh near-linear
    xs = rng.uniform(-1, 1, size=steps)
    states = np.empty((steps, state_size))
    s = np.zeros(state_size)
    for t in range(steps):
        s = np.tanh(U * xs[t] + W @ s)
        states[t] = s
    delays = np.arange(1, max_delay + 1)
    recall = np.array([_recall(states, xs, k, max_delay) for k in delays])
    return MemoryCurve(state_size=state_size, delays=delays, recall=recall)


def _recall(states: np.ndarray, xs: np.ndarray, delay: int, washout: int) -> float:
    """Squared correlation of a least-squares read-out s_t -> x_{t-delay} on held-out steps."""
    s = states[washout:]
    target = xs[washout - delay: len(xs) - delay]
    half = len(s) // 2
    readout, *_ = np.linalg.lstsq(s[:half], target[:half], rcond=None)
    predicted = s[half:] @ readout
    r = np.corrcoef(predicted, target[half:])[0, 1]
    return float(r * r)

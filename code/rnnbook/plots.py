"""Data plots of the chapter (as opposed to the diagrams): computed, then drawn.

Axis labels and legends are symbols, so the same plot serves both editions;
the page's caption says what they mean in its language.

Each function returns a Figure that pyplot no longer tracks (:func:`_new_figure`):
a notebook shows it once, where the page puts it, and nothing piles up in
memory when a page draws many plots.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from rnnbook._checks import positive_int
from rnnbook.memory import MemoryCurve
from rnnbook.rnn import parameter_count


def parameter_growth(max_steps: int, input_size: int, state_size: int,
                     output_size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steps 1..max_steps and the parameter counts without and with sharing (18-1)."""
    max_steps = positive_int("max_steps", max_steps)
    steps = np.arange(1, max_steps + 1)
    unshared = np.array([parameter_count(t, input_size, state_size, output_size, shared=False)
                         for t in steps])
    shared = np.array([parameter_count(t, input_size, state_size, output_size, shared=True)
                       for t in steps])
    return steps, unshared, shared


def parameter_growth_plot(steps: np.ndarray, unshared: np.ndarray, shared: np.ndarray) -> Figure:
    """Parameter count against time steps T: one line per design (18-1)."""
    figure, ax = _new_figure()
    ax.plot(steps, unshared, label=r"$U_t, W_t, V_t$ ($t = 1..T$)", color="#b91c1c")
    ax.plot(steps, shared, label=r"$U, W, V$", color="#1d4ed8")
    ax.set_xlabel(r"$T$")
    ax.set_ylabel(r"$|\theta|$")
    ax.yaxis.set_major_formatter(_in_millions)
    ax.grid(alpha=0.3)
    ax.legend()
    return figure


def memory_plot(curves: Sequence[MemoryCurve]) -> Figure:
    """Recall r^2 of x_{t-k} from s_t against the delay k, one line per state size (18-2)."""
    if not curves or not all(isinstance(c, MemoryCurve) for c in curves):
        raise TypeError("memory_plot expects a non-empty list of MemoryCurve (see memory_curve)")
    figure, ax = _new_figure()
    for curve in curves:
        ax.plot(curve.delays, curve.recall, marker=".",
                label=f"$|s| = {curve.state_size}$, $\\sum r^2 = {curve.capacity:.1f}$")
    ax.set_xlabel(r"$k$")
    ax.set_ylabel(r"$r^2(s_t \rightarrow x_{t-k})$")
    ax.set_ylim(-0.02, 1.02)
    ax.grid(alpha=0.3)
    ax.legend()
    return figure


@FuncFormatter
def _in_millions(value, _position):
    return f"{value / 1e6:,.0f}M" if value else "0"


def _new_figure(size: tuple[float, float] = (6, 3.4)):
    """A white figure and its axes, released from pyplot's list of open figures.

    Creating it through pyplot lets Jupyter's inline backend register its
    display hook, so the returned Figure renders when it is a cell's value.
    """
    figure, ax = plt.subplots(figsize=size, facecolor="white", layout="constrained")
    plt.close(figure)
    return figure, ax

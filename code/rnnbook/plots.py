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
from rnnbook.mnist import IMAGE_SHAPE, PIXELS, ROWS
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


# --- Lab 03: MNIST read row by row -------------------------------------------------


def digit_rows_plot(image: np.ndarray, highlight: Sequence[int] = (0, 1, 2, 27)) -> Figure:
    """An MNIST digit with some of its rows marked as the RNN inputs x_t (Lab 03)."""
    image = np.asarray(image)
    if image.shape != IMAGE_SHAPE:
        raise ValueError(f"image must be one {ROWS}x{PIXELS} MNIST digit, got shape {image.shape}")
    figure, ax = _new_figure((4.2, 3.6))
    ax.imshow(image, cmap="gray_r")
    for row in highlight:
        ax.add_patch(plt.Rectangle((-0.5, row - 0.5), PIXELS, 1, fill=False, edgecolor="#dc2626",
                                   linewidth=1.2))
        ax.annotate(f"$x_{{{row + 1}}}$", xy=(PIXELS - 0.5, row), xytext=(PIXELS + 3, row),
                    va="center",
                    annotation_clip=False, arrowprops=dict(arrowstyle="-", color="#dc2626"))
    ax.set_xticks([0, PIXELS - 1], ["1", str(PIXELS)])
    ax.set_yticks([0, ROWS - 1], ["1", str(ROWS)])
    return figure


def training_curves_plot(histories: dict[str, dict[str, list[float]]]) -> Figure:
    """Training and test accuracy per epoch, one colour per model (Lab 03)."""
    if not histories:
        raise ValueError("histories must name at least one model's Keras history")
    figure, ax = _new_figure()
    for (name, history), colour in zip(histories.items(), plt.rcParams["axes.prop_cycle"]):
        epochs = np.arange(1, len(history["accuracy"]) + 1)
        ax.plot(epochs, history["accuracy"], linestyle="--", color=colour["color"],
                label=f"{name} (train)")
        ax.plot(epochs, history["val_accuracy"], color=colour["color"], label=f"{name} (test)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
    ax.legend()
    return figure


def confusion_plot(counts: np.ndarray) -> Figure:
    """A confusion matrix as a heat map with the counts written in (Lab 03)."""
    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"counts must be a square matrix, got shape {counts.shape}")
    figure, ax = _new_figure((4.6, 4.2))
    ax.imshow(counts, cmap="Blues")
    for (i, j), value in np.ndenumerate(counts):
        if value:
            ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                    color="white" if value > counts.max() / 2 else "#111827")
    ticks = range(counts.shape[0])
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)
    ax.set_xlabel(r"$\hat{y}$")
    ax.set_ylabel(r"$y$")
    return figure


def misclassified_plot(images: np.ndarray, labels: np.ndarray, predicted: np.ndarray,
                       count: int = 10) -> Figure:
    """The first ``count`` digits whose prediction is wrong, titled "y → ŷ" (Lab 03)."""
    count = positive_int("count", count)
    wrong = np.flatnonzero(np.asarray(labels) != np.asarray(predicted))[:count]
    if wrong.size == 0:
        raise ValueError("there are no misclassified digits to show")
    figure, axes = plt.subplots(1, wrong.size, figsize=(1.2 * wrong.size, 1.6),
                                facecolor="white", layout="constrained", squeeze=False)
    plt.close(figure)
    for ax, index in zip(axes[0], wrong):
        ax.imshow(images[index], cmap="gray_r")
        ax.set_title(f"{labels[index]} → {predicted[index]}", fontsize=10)
        ax.axis("off")
    return figure


# --- 18-3: the character model ------------------------------------------------------


def loss_curve_plot(losses: Sequence[float]) -> Figure:
    """The summed loss L after each update (18-3), on a log scale."""
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0 or not np.all(losses > 0):
        raise ValueError("losses must be a non-empty list of positive numbers")
    figure, ax = _new_figure((6, 3))
    ax.plot(np.arange(1, losses.size + 1), losses, color="#1d4ed8")
    ax.set_yscale("log")
    ax.set_xlabel("update")
    ax.set_ylabel(r"$L = \sum_t L_t$")
    ax.grid(alpha=0.3)
    return figure


def distribution_heatmap(probabilities: np.ndarray, vocab: Sequence[str], text: str) -> Figure:
    """Predicted next-character probabilities at each step of ``text`` (18-3).

    Column t is the step that reads text[t]; row c the probability of character
    c next. The expected character text[t+1] of each step is outlined.
    """
    probabilities = np.asarray(probabilities)
    if probabilities.shape != (len(text) - 1, len(vocab)):
        raise ValueError(f"probabilities must have shape (len(text) - 1, len(vocab)) = "
                         f"{(len(text) - 1, len(vocab))}, got {probabilities.shape}")
    shown = [repr(c)[1:-1] if c != " " else "␣" for c in vocab]
    figure, ax = _new_figure((0.42 * len(text) + 1.5, 0.3 * len(vocab) + 1.2))
    ax.imshow(probabilities.T, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    for t, expected in enumerate(text[1:]):
        ax.add_patch(plt.Rectangle((t - 0.5, vocab.index(expected) - 0.5), 1, 1, fill=False,
                                   edgecolor="#dc2626", linewidth=1.5))
    ax.set_xticks(range(len(text) - 1), [shown[vocab.index(c)] for c in text[:-1]])
    ax.set_yticks(range(len(vocab)), shown)
    ax.set_xlabel(r"$x_t$")
    ax.set_ylabel(r"$o_t$")
    return figure


def activation_plot(text: str, activations: np.ndarray, units: Sequence[int]) -> Figure:
    """Hidden units "firing" along a passage (18-3): one row per unit, one cell per character.

    ``activations`` is (len(text), state size), e.g. tanh outputs in [-1, 1];
    each cell shows the character read at that step, coloured by the unit's value.
    """
    activations = np.asarray(activations)
    if activations.ndim != 2 or activations.shape[0] != len(text):
        raise ValueError(f"activations must have shape (len(text), units) = ({len(text)}, ...), "
                         f"got {activations.shape}")
    units = list(units)
    if not units or not all(0 <= u < activations.shape[1] for u in units):
        raise ValueError(f"units must be indices in 0..{activations.shape[1] - 1}, got {units}")
    values = activations[:, units].T                                     # (units, T)
    figure, ax = _new_figure((0.16 * len(text) + 1.0, 0.42 * len(units) + 0.6))
    ax.imshow(values, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    shown = {"\n": "↵", " ": "␣"}
    for row in range(len(units)):
        for t, char in enumerate(text):
            ax.text(t, row, shown.get(char, char), ha="center", va="center", fontsize=8,
                    color="#111827")
    ax.set_yticks(range(len(units)), [f"$h_{{{u}}}$" for u in units])
    ax.set_xticks([])
    return figure

"""Charts of what 18-3 measures about training through time, gates and memory.

Each function checks its data and returns a :class:`rnnbook.show.chart.Chart` drawn
in the page's language, sized as :mod:`rnnbook.show.plots` sizes its charts (at most
``WIDTH`` inches wide, 11 pt text: legible on a 375 px phone).

- :func:`gradient_norms_plot`: ||dL/ds_t|| along the states, one line per
  scale of W (:func:`rnnbook.experiments.gradients_through_time.gradient_story`);
- :func:`cell_comparison_plot`: held-out loss of a SimpleRNN and a GRU along the
  same training budget (:func:`rnnbook.experiments.cell_comparison.load_comparison`);
- :func:`trained_gradients_plot`: the same gradient norms in trained models
  (:func:`rnnbook.experiments.cell_comparison.state_gradient_norms`);
- :func:`baselines_plot`: bits per character of models with no memory, one
  character of memory, and the RNN (:func:`rnnbook.experiments.ngram_baselines.baseline_losses`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from rnnbook.show.chart import Chart
from rnnbook.experiments.gradients_through_time import StateGradients
from rnnbook.show.language import Text, say
from rnnbook.show.plots import BLUE, RED, WIDTH

#: A third colour, for a third line (green), and a neutral one for references (grey).
GREEN, GREY = "#047857", "#6b7280"
#: The names of the compared cells, in every language.
CELL_NAMES = {"simple": Text("SimpleRNN", "SimpleRNN"), "gru": Text("GRU", "GRU")}


def _figure(height: float = 3.0):
    """A white figure of the charts' width and its axes, laid out to fit."""
    figure = Figure(figsize=(WIDTH, height), facecolor="white", layout="constrained")
    return figure, figure.subplots()


def _log_axis(ax) -> None:
    """A log y axis labelled with plain powers of ten (1e-15, 0.01, 1, 100), no superscripts."""
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())


def gradient_norms_plot(results: Sequence[StateGradients]) -> Chart:
    """||dL/ds_t|| against t, L the loss at the last step, one line per scale of W (18-3).

    The legend gives each line's factor per step back.
    """
    if not results or not all(isinstance(r, StateGradients) for r in results):
        raise TypeError("gradient_norms_plot expects a non-empty list of StateGradients "
                        "(see rnnbook.experiments.gradients_through_time.gradient_story)")

    def draw(language: str) -> Figure:
        figure, ax = _figure(3.0 + 0.25 * len(results))
        for result, colour in zip(results, [BLUE, GREEN, RED] * len(results)):
            label = say("ρ = {rho:g}: ×{factor:.2f} per step back",
                        "ρ = {rho:g}：每往回一步 ×{factor:.2f}",
                        rho=result.spectral_radius, factor=result.factor)
            ax.plot(np.arange(1, result.steps + 1), result.norms, color=colour,
                    label=label.in_language(language))
        _log_axis(ax)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(Text("state s_t, time step t", "狀態 s_t 的時間步 t").in_language(language))
        ax.set_ylabel(Text("gradient size", "梯度大小").in_language(language))
        ax.grid(alpha=0.3)
        figure.legend(loc="outside lower center")          # the lines fill the axes
        return figure

    return Chart(draw, "gradient along the states")


def _checked_comparison(results: Mapping) -> dict:
    cells = results.get("cells") if isinstance(results, Mapping) else None
    if not isinstance(cells, Mapping) or set(cells) != set(CELL_NAMES):
        raise TypeError("results must be the comparison of "
                        "rnnbook.experiments.cell_comparison.load_comparison(), "
                        "with a record for 'simple' and 'gru' under 'cells'")
    return dict(cells)


def cell_comparison_plot(results: Mapping, reference: Mapping[str | Text, float] | None = None
                         ) -> Chart:
    """Held-out loss against training steps, SimpleRNN and GRU on one budget (18-3).

    ``reference``: optional horizontal lines, name -> loss (e.g. the bigram's).
    """
    cells = _checked_comparison(results)
    reference = {} if reference is None else dict(reference)

    def draw(language: str) -> Figure:
        figure, ax = _figure()
        for (cell, record), colour in zip(cells.items(), (RED, BLUE)):
            label = say("{name} ({parameters:,} weights)", "{name}（{parameters:,} 個權重）",
                        name=CELL_NAMES[cell], parameters=record["parameters"])
            ax.plot(record["steps"], record["validation_loss"], marker=".", color=colour,
                    label=label.in_language(language))
        for name, loss in reference.items():
            name = name if isinstance(name, Text) else Text(name, name)
            ax.axhline(loss, color=GREY, linestyle="--", linewidth=1)
            ax.annotate(name.in_language(language), (0, loss), xycoords=("axes fraction", "data"),
                        xytext=(4, -3), textcoords="offset points", ha="left", va="top",
                        color=GREY, fontsize=10)
        ax.set_xlabel(Text("training step", "訓練步數").in_language(language))
        ax.set_ylabel(Text("held-out loss (nats/char)", "驗證損失（nats/字元）")
                      .in_language(language))
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right")
        return figure

    return Chart(draw, "SimpleRNN and GRU")


def trained_gradients_plot(norms: Mapping[str, np.ndarray]) -> Chart:
    """||dL/ds_t|| in trained models along one window, relative to the last step's (18-3).

    ``norms``: cell ("simple", "gru") ->
    :func:`rnnbook.experiments.cell_comparison.state_gradient_norms`.
    The x axis counts the steps back from the last character.
    """
    if not isinstance(norms, Mapping) or not norms or not set(norms) <= set(CELL_NAMES):
        raise TypeError(f"norms must map cells {tuple(CELL_NAMES)} to their gradient norms")
    curves = {cell: np.asarray(values, dtype=float) for cell, values in norms.items()}
    for cell, values in curves.items():
        if values.ndim != 1 or values.size < 2 or not np.all(values > 0):
            raise ValueError(f"norms[{cell!r}] must be at least 2 positive numbers, "
                             f"got shape {values.shape}")

    def draw(language: str) -> Figure:
        figure, ax = _figure()
        for (cell, values), colour in zip(curves.items(), (RED, BLUE)):
            back = np.arange(values.size)[::-1]                        # steps back from the last
            ax.plot(back, values / values[-1], color=colour,
                    label=CELL_NAMES[cell].in_language(language))
        _log_axis(ax)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(Text("steps back from the last character", "從最後一個字元往回的步數")
                      .in_language(language))
        ax.set_ylabel(Text("gradient size, relative", "相對的梯度大小").in_language(language))
        ax.grid(alpha=0.3)
        ax.legend()
        return figure

    return Chart(draw, "gradient in trained models")


def baselines_plot(losses: Mapping[str | Text, float]) -> Chart:
    """Bits per held-out character, one bar per model (18-3): lower is better.

    ``losses``: the models' names (a Text, to be named in each language) ->
    loss in nats per character, in the order to draw them, top to bottom.
    """
    if not isinstance(losses, Mapping) or not losses:
        raise TypeError("losses must map each model's name to its loss in nats/char")
    values = [float(v) for v in losses.values()]
    if not all(math.isfinite(v) and v > 0 for v in values):
        raise ValueError(f"losses must be positive numbers of nats/char, got {values}")
    names = [n if isinstance(n, Text) else Text(n, n) for n in losses]
    bits = np.array(values) / math.log(2)

    def draw(language: str) -> Figure:
        figure, ax = _figure(0.45 * len(bits) + 1.0)
        rows = np.arange(len(bits))
        ax.barh(rows, bits, color=[GREY] * (len(bits) - 1) + [BLUE], height=0.6)
        for row, value in zip(rows, bits):
            ax.text(value + 0.05, row, f"{value:.2f}", va="center", fontsize=10)
        ax.set_yticks(rows, [name.in_language(language) for name in names])
        ax.invert_yaxis()
        ax.set_xlim(0, bits.max() * 1.15)
        ax.set_xlabel(Text("bits per held-out character", "每個驗證字元的位元數")
                      .in_language(language))
        ax.spines[["top", "right"]].set_visible(False)
        return figure

    return Chart(draw, "baselines")

"""Data plots of the chapter (as opposed to the diagrams): computed, then drawn.

Each function checks its data and returns a :class:`rnnbook.show.chart.Chart`: an
SVG drawn when shown, with axis labels and legends in the page's language
(symbols such as T, k or y stay as they are; a label with Chinese words has no
mathtext, which would draw the Chinese in a font without it).

Sizes are chosen for the narrowest reader: a chart is at most ``WIDTH`` inches
(345.6 pt) wide, shown at its natural 461 CSS px on a desktop and shrunk to the
about 327 px of a 375 px phone's article, where its 11 pt text (10 pt ticks) is
still over 9 CSS px and a subscript over 7.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

from rnnbook.arguments import positive_int
from rnnbook.show.chart import Chart
from rnnbook.show.language import Text, as_text, say
from rnnbook.experiments.memory_span import MemoryCurve
from rnnbook.data.mnist import IMAGE_SHAPE, PIXELS, ROWS
from rnnbook.rnn.equations import parameter_count

#: Width of every chart, inches: it fits a phone's article with little shrinking.
WIDTH = 4.8
#: Colour of lines and outlines that must stand out (red) and of a single series (blue).
RED, BLUE = "#b91c1c", "#1d4ed8"


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


def parameter_growth_plot(steps: np.ndarray, unshared: np.ndarray, shared: np.ndarray) -> Chart:
    """Parameter count against time steps T: one line per design (18-1)."""
    def draw(language: str) -> Figure:
        figure, ax = _new_figure()
        ax.plot(steps, unshared, label=r"$U_t, W_t, V_t$", color=RED)
        ax.plot(steps, shared, label=r"$U, W, V$", color=BLUE)
        _label(ax, language, Text("time steps T", "時間步數 T"),
               Text("parameters |θ|", "參數數量 |θ|"))
        ax.yaxis.set_major_formatter(_large_numbers(language))
        ax.grid(alpha=0.3)
        ax.legend()
        return figure

    return Chart(draw, "parameter growth")


def memory_plot(curves: Sequence[MemoryCurve]) -> Chart:
    """Recall r^2 of x_{t-k} from s_t against the delay k, one line per state size (18-2)."""
    if not curves or not all(isinstance(c, MemoryCurve) for c in curves):
        raise TypeError("memory_plot expects a non-empty list of MemoryCurve (see memory_curve)")

    def draw(language: str) -> Figure:
        figure, ax = _new_figure()
        for curve in curves:
            ax.plot(curve.delays, curve.recall, marker=".",
                    label=f"|s| = {curve.state_size}, Σr² = {curve.capacity:.1f}")
        _label(ax, language, Text("delay k", "延遲 k"), Text("recall r²", "回憶能力 r²"))
        ax.set_ylim(-0.02, 1.02)
        ax.grid(alpha=0.3)
        ax.legend()
        return figure

    return Chart(draw, "memory capacity")


def _large_numbers(language: str) -> FuncFormatter:
    """Tick labels in millions (English), or in 萬 and, from 10^8 on, 億 (Taiwan)."""
    if language == "zh-TW":
        return FuncFormatter(lambda value, _: _in_wan_and_yi(value))
    return FuncFormatter(lambda value, _: f"{value / 1e6:,.0f}M" if value else "0")


def _in_wan_and_yi(value: float) -> str:
    """A count as Taiwan writes it: 2,000萬, 1億, 1.2億 (not 12,000萬)."""
    if not value:
        return "0"
    if abs(value) >= 1e8:
        return f"{value / 1e8:.4g}億"
    return f"{value / 1e4:,.0f}萬"


def _label(ax, language: str, x: Text | None, y: Text | None) -> None:
    if x is not None:
        ax.set_xlabel(x.in_language(language))
    if y is not None:
        ax.set_ylabel(y.in_language(language))


def _new_figure(size: tuple[float, float] = (WIDTH, 3.0)):
    """A white figure and its axes, laid out to fit (no pyplot: nothing is left open)."""
    figure = Figure(figsize=size, facecolor="white", layout="constrained")
    return figure, figure.subplots()


# --- Lab 03: MNIST read row by row -------------------------------------------------


def digit_rows_plot(image: np.ndarray, highlight: Sequence[int] = (0, 1, 2, 27)) -> Chart:
    """An MNIST digit with some of its rows marked as the RNN inputs x_t (Lab 03)."""
    image = np.asarray(image)
    if image.shape != IMAGE_SHAPE:
        raise ValueError(f"image must be one {ROWS}x{PIXELS} MNIST digit, got shape {image.shape}")

    def draw(language: str) -> Figure:
        figure, ax = _new_figure((WIDTH, 4.0))
        ax.imshow(image, cmap="gray_r", interpolation="none")
        for row in highlight:
            ax.add_patch(Rectangle((-0.5, row - 0.5), PIXELS, 1, fill=False, edgecolor=RED,
                                   linewidth=1.2))
            ax.annotate(f"$x_{{{row + 1}}}$", xy=(PIXELS - 0.5, row), xytext=(PIXELS + 3, row),
                        va="center", fontsize=12, annotation_clip=False,
                        arrowprops=dict(arrowstyle="-", color=RED))
        ax.set_xticks([0, PIXELS - 1], ["1", str(PIXELS)])
        ax.set_yticks([0, ROWS - 1], ["1", str(ROWS)])
        _label(ax, language, Text("pixel", "像素"), Text("row = time step", "列 = 時間步"))
        return figure

    return Chart(draw, "digit rows")


def training_curves_plot(histories: dict[str | Text, dict[str, list[float]]]) -> Chart:
    """Accuracy per epoch on the digits learnt from and on the validation digits,
    one colour per model (Lab 03; the test digits are read once, after training).

    The models' names may be a Text, to be named in the page's language.
    """
    if not histories:
        raise ValueError("histories must name at least one model's Keras history")
    named = {as_text(name): history for name, history in histories.items()}

    def draw(language: str) -> Figure:
        figure, ax = _new_figure()
        colours = ["#1d4ed8", "#b91c1c", "#047857", "#7c3aed"]
        for (name, history), colour in zip(named.items(), colours * len(named)):
            epochs = np.arange(1, len(history["accuracy"]) + 1)
            train = say("{name}: training", "{name}：訓練", name=name)
            validation = say("{name}: validation", "{name}：驗證", name=name)
            ax.plot(epochs, history["accuracy"], linestyle="--", color=colour,
                    label=train.in_language(language))
            ax.plot(epochs, history["val_accuracy"], color=colour,
                    label=validation.in_language(language))
        _label(ax, language, Text("epoch", "epoch"), Text("accuracy", "準確率"))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend()
        return figure

    return Chart(draw, "training curves")


def confusion_plot(counts: np.ndarray) -> Chart:
    """A confusion matrix as a heat map with the counts written in (Lab 03)."""
    counts = np.asarray(counts)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1]:
        raise ValueError(f"counts must be a square matrix, got shape {counts.shape}")

    def draw(language: str) -> Figure:
        figure, ax = _new_figure((WIDTH, 4.4))
        ax.imshow(counts, cmap="Blues", interpolation="none")
        for (i, j), value in np.ndenumerate(counts):
            if value:
                ax.text(j, i, str(value), ha="center", va="center", fontsize=10,
                        color="white" if value > counts.max() / 2 else "#111827")
        ticks = range(counts.shape[0])
        ax.set_xticks(ticks)
        ax.set_yticks(ticks)
        _label(ax, language, Text("predicted digit ŷ", "預測的數字 ŷ"),
               Text("true digit y", "真正的數字 y"))
        return figure

    return Chart(draw, "confusion matrix")


def misclassified_plot(images: np.ndarray, labels: np.ndarray, predicted: np.ndarray,
                       count: int = 10) -> Chart:
    """The first ``count`` digits whose prediction is wrong, titled "y → ŷ" (Lab 03).

    Five to a row, so that the titles stay legible on a phone.
    """
    count = positive_int("count", count)
    wrong = np.flatnonzero(np.asarray(labels) != np.asarray(predicted))[:count]
    if wrong.size == 0:
        raise ValueError("there are no misclassified digits to show")
    columns = min(5, wrong.size)
    rows = -(-wrong.size // columns)

    def draw(language: str) -> Figure:
        figure = Figure(figsize=(WIDTH * columns / 5, 1.25 * rows), facecolor="white",
                        layout="constrained")
        axes = figure.subplots(rows, columns, squeeze=False)
        for ax in axes.flat:
            ax.axis("off")
        for ax, index in zip(axes.flat, wrong):
            ax.imshow(images[index], cmap="gray_r", interpolation="none")
            ax.set_title(f"{labels[index]} → {predicted[index]}", fontsize=12)
        return figure

    return Chart(draw, "misclassified digits")


# --- 18-3: the character model ------------------------------------------------------


def loss_curve_plot(losses: Sequence[float]) -> Chart:
    """The summed loss L after each update (18-3), on a log scale."""
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0 or not np.all(losses > 0):
        raise ValueError("losses must be a non-empty list of positive numbers")

    def draw(language: str) -> Figure:
        figure, ax = _new_figure((WIDTH, 2.8))
        ax.plot(np.arange(1, losses.size + 1), losses, color=BLUE)
        ax.set_yscale("log")
        # Plain numbers (0.1, 1, 10), not 10 with a superscript too small on a phone.
        ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        _label(ax, language, Text("update", "更新次數"), Text("summed loss L", "總損失 L"))
        ax.grid(alpha=0.3)
        return figure

    return Chart(draw, "loss curve")


#: How the characters that have no glyph of their own are shown in a chart.
VISIBLE = {"\n": "↵", " ": "␣"}


def distribution_heatmap(probabilities: np.ndarray, vocab: Sequence[str], text: str) -> Chart:
    """Predicted next-character probabilities at each step of ``text`` (18-3).

    Column t is the step that reads text[t]; row c the probability of character
    c next. The expected character text[t+1] of each step is outlined.
    """
    probabilities = np.asarray(probabilities)
    if probabilities.shape != (len(text) - 1, len(vocab)):
        raise ValueError(f"probabilities must have shape (len(text) - 1, len(vocab)) = "
                         f"{(len(text) - 1, len(vocab))}, got {probabilities.shape}")
    shown = [VISIBLE.get(c, repr(c)[1:-1]) for c in vocab]

    def draw(language: str) -> Figure:
        figure, ax = _new_figure((WIDTH, 0.24 * len(vocab) + 1.1))
        ax.imshow(probabilities.T, cmap="Blues", vmin=0, vmax=1, aspect="auto", interpolation="none")
        for t, expected in enumerate(text[1:]):
            ax.add_patch(Rectangle((t - 0.5, vocab.index(expected) - 0.5), 1, 1, fill=False,
                                   edgecolor=RED, linewidth=1.5))
        ax.set_xticks(range(len(text) - 1), [shown[vocab.index(c)] for c in text[:-1]])
        ax.set_yticks(range(len(vocab)), shown)
        ax.tick_params(labelsize=11)
        _label(ax, language, Text("character read at step t", "第 t 步讀入的字元"),
               Text("next character", "下一個字元"))
        return figure

    return Chart(draw, "next-character distributions")


def activation_plot(text: str, activations: np.ndarray, units: Sequence[int],
                    per_row: int = 26) -> Chart:
    """Hidden units "firing" along a passage (18-3): one panel per unit.

    Each panel is the passage as it reads, wrapped at its line breaks (shown as
    ↵) and after ``per_row`` characters, each character on a cell coloured by
    the unit's activation at that step (``activations``: (len(text), state
    size), e.g. tanh outputs in [-1, 1]; red positive, blue negative), in black
    or white, whichever stands out more from the cell (:func:`ink_on`).
    """
    activations = np.asarray(activations)
    if activations.ndim != 2 or activations.shape[0] != len(text):
        raise ValueError(f"activations must have shape (len(text), units) = ({len(text)}, ...), "
                         f"got {activations.shape}")
    units = list(units)
    if not units or not all(0 <= u < activations.shape[1] for u in units):
        raise ValueError(f"units must be indices in 0..{activations.shape[1] - 1}, got {units}")
    per_row = positive_int("per_row", per_row)
    rows = passage_rows(text, per_row)                  # [(first step, characters), ...]

    def draw(language: str) -> Figure:
        height = len(units) * (0.27 * len(rows) + 0.35) + 0.75
        figure = Figure(figsize=(WIDTH, height), facecolor="white", layout="constrained")
        axes = figure.subplots(len(units), 1, squeeze=False)[:, 0]
        for ax, unit in zip(axes, units):
            mesh = _activation_panel(ax, text, rows, activations[:, unit], per_row)
            ax.set_title(say("hidden unit {unit}", "隱藏單元 {unit}", unit=unit)
                         .in_language(language), loc="left", fontsize=11)
        bar = figure.colorbar(mesh, ax=list(axes), orientation="horizontal", aspect=40,
                              shrink=0.6, ticks=[-1, 0, 1])
        bar.solids.set_rasterized(True)           # one image, not a path per colour
        bar.set_label(Text("activation", "活化值").in_language(language))
        return figure

    return Chart(draw, "hidden unit activations")


#: Activations coloured with the middle of RdBu_r: red positive, blue negative, light
#: enough that black text stands out on every colour (see ink_on).
ACTIVATION_COLOURS = ("RdBu_r", 0.25, 0.75)


def activation_colour(value: float) -> tuple[float, float, float]:
    """The RGB colour (0-1) of an activation in [-1, 1]."""
    from matplotlib import colormaps

    name, low, high = ACTIVATION_COLOURS
    position = low + (high - low) * (np.clip(value, -1, 1) + 1) / 2
    return tuple(float(c) for c in colormaps[name](position)[:3])


def ink_on(colour: tuple[float, float, float]) -> str:
    """Black or white: the text colour with the higher WCAG contrast on ``colour``."""
    return "#000000" if contrast(colour, (0, 0, 0)) >= contrast(colour, (1, 1, 1)) \
        else "#ffffff"


def contrast(first: Sequence[float], second: Sequence[float]) -> float:
    """WCAG 2 contrast ratio of two sRGB colours (components 0-1), from 1 to 21."""
    def luminance(colour):
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in colour]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def passage_rows(text: str, per_row: int) -> list[tuple[int, str]]:
    """``text`` as the lines a reader sees: (index of the first character, characters).

    A line ends after its line break (kept, so it can be shown) or after
    ``per_row`` characters.
    """
    rows, start = [], 0
    for line in text.splitlines(keepends=True):
        for offset in range(0, len(line), per_row):
            rows.append((start + offset, line[offset:offset + per_row]))
        start += len(line)
    return rows


def _activation_panel(ax, text: str, rows: list[tuple[int, str]], values: np.ndarray,
                      per_row: int):
    """One unit's panel: the passage's rows of cells; returns a mappable for the colour bar."""
    from matplotlib.colors import LinearSegmentedColormap, Normalize

    colours = LinearSegmentedColormap.from_list(
        "activation", [activation_colour(v) for v in np.linspace(-1, 1, 64)])
    grid = np.full((len(rows), per_row), np.nan)
    for r, (first, chars) in enumerate(rows):
        grid[r, :len(chars)] = values[first:first + len(chars)]
    # One pixel per cell, drawn crisp ("none"): a few bytes however long the passage.
    cells = ax.imshow(np.ma.masked_invalid(grid), cmap=colours, norm=Normalize(-1, 1),
                      interpolation="none", aspect="auto")
    for r, (first, chars) in enumerate(rows):
        for c, char in enumerate(chars):
            ax.text(c, r, VISIBLE.get(char, char), ha="center", va="center",
                    fontsize=11, color=ink_on(activation_colour(values[first + c])))
    ax.set_axis_off()
    return cells

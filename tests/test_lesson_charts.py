"""18-3's charts of training through time, gates and baselines, in both languages."""

import math
import re

import numpy as np
import pytest

from rnnbook.show.chart import Chart
from rnnbook.experiments.gradients_through_time import gradient_story
from rnnbook.show.language import Text
from rnnbook.show.training_plots import (baselines_plot, cell_comparison_plot, gradient_norms_plot,
                                   trained_gradients_plot)

COMPARISON = {"cells": {
    "simple": {"parameters": 75301, "steps": [100, 200], "validation_loss": [2.0, 1.9]},
    "gru": {"parameters": 73317, "steps": [100, 200], "validation_loss": [2.0, 1.8]}}}


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]+)</text>", svg)


def _words(chart: Chart, language: str) -> str:
    return " ".join(_texts(chart.svg(language)))


def test_the_gradient_chart_draws_a_line_per_scale_with_its_factor():
    results = gradient_story((0.5, 2.0), steps=20)
    chart = gradient_norms_plot(results)
    figure = chart.figure("en")
    lines = figure.axes[0].get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_ydata(), results[0].norms)
    assert f"×{results[0].factor:.2f} per step back" in _words(chart, "en")
    assert "每往回一步" in _words(chart, "zh-TW") and "梯度大小" in _words(chart, "zh-TW")


def test_the_comparison_chart_names_both_cells_and_their_size():
    chart = cell_comparison_plot(COMPARISON, {Text("bigram", "雙字元模型"): 2.49})
    assert len(chart.figure("en").axes[0].get_lines()) == 3          # two cells, one reference
    english, chinese = _words(chart, "en"), _words(chart, "zh-TW")
    assert "SimpleRNN (75,301 weights)" in english and "GRU (73,317 weights)" in english
    assert "73,317 個權重" in chinese and "雙字元模型" in chinese and "驗證損失" in chinese


def test_the_trained_gradients_chart_counts_steps_back():
    chart = trained_gradients_plot({"simple": [1e-6, 1e-3, 1.0], "gru": [0.1, 0.5, 1.0]})
    lines = chart.figure("en").axes[0].get_lines()
    np.testing.assert_array_equal(lines[0].get_xdata(), [2, 1, 0])
    np.testing.assert_allclose(lines[1].get_ydata(), [0.1, 0.5, 1.0])
    assert "往回" in _words(chart, "zh-TW")


def test_the_baselines_chart_writes_bits_per_character():
    chart = baselines_plot({Text("unigram", "單字元模型"): 3.322, "GRU": 1.4247})
    english = _words(chart, "en")
    assert f"{3.322 / math.log(2):.2f}" in english and "2.06" in english
    assert "單字元模型" in _words(chart, "zh-TW")


def test_charts_fit_a_phone():
    charts = [gradient_norms_plot(gradient_story(steps=10)), cell_comparison_plot(COMPARISON),
              trained_gradients_plot({"gru": [0.5, 1.0]}), baselines_plot({"a": 1.0, "b": 2.0})]
    for chart in charts:
        for language in ("en", "zh-TW"):
            width = chart.figure(language).get_size_inches()[0]
            assert width <= 4.8, chart
            sizes = [float(s) for s in re.findall(r"font-size: ?([\d.]+)px",
                                                  chart.svg(language))]
            assert sizes and min(sizes) >= 10, chart       # >= 7 CSS px at a phone's 327 px


def test_bad_data_is_explained():
    with pytest.raises(TypeError, match="expects a non-empty list of StateGradients"):
        gradient_norms_plot([])
    with pytest.raises(TypeError, match="load_comparison"):
        cell_comparison_plot({"cells": {"gru": {}}})
    with pytest.raises(TypeError, match="norms must map cells"):
        trained_gradients_plot({"lstm": [1.0, 2.0]})
    with pytest.raises(ValueError, match="at least 2 positive numbers"):
        trained_gradients_plot({"gru": [0.0, 1.0]})
    with pytest.raises(TypeError, match="losses must map each model's name"):
        baselines_plot([1.0, 2.0])
    with pytest.raises(ValueError, match="losses must be positive numbers"):
        baselines_plot({"a": float("nan")})

"""Section 18-2's state-size experiment: memory capacity grows with the state."""

import numpy as np
import pytest

from rnnbook.experiments.memory_span import memory_curve
from rnnbook.show.plots import memory_plot, parameter_growth, parameter_growth_plot


def test_capacity_is_bounded_by_state_size_and_grows_with_it():
    capacities = [memory_curve(n, max_delay=30, steps=2000).capacity for n in (2, 8, 32)]
    assert all(c <= n for c, n in zip(capacities, (2, 8, 32)))
    assert capacities[0] < capacities[1] < capacities[2]


def test_recall_fades_with_delay():
    curve = memory_curve(8, max_delay=30, steps=2000)
    assert curve.recall.shape == (30,)
    assert ((0 <= curve.recall) & (curve.recall <= 1)).all()
    assert curve.recall[0] > 0.9 > curve.recall[-1]


def test_same_seed_same_curve():
    a, b = memory_curve(4, steps=1000, seed=3), memory_curve(4, steps=1000, seed=3)
    np.testing.assert_array_equal(a.recall, b.recall)


def test_bad_arguments_are_explained():
    with pytest.raises(ValueError, match="state_size must be a positive integer"):
        memory_curve(0)
    with pytest.raises(ValueError, match="spectral_radius must be in"):
        memory_curve(4, spectral_radius=1.5)
    with pytest.raises(ValueError, match="steps must be at least"):
        memory_curve(4, max_delay=40, steps=100)
    with pytest.raises(TypeError, match="memory_plot expects"):
        memory_plot([])


def test_plots_draw_their_data():
    steps, unshared, shared = parameter_growth(5, 3, 4, 2)
    assert list(steps) == [1, 2, 3, 4, 5]
    assert (shared == shared[0]).all() and (np.diff(unshared) > 0).all()
    figure = parameter_growth_plot(steps, unshared, shared).figure("en")
    lines = figure.axes[0].get_lines()
    assert [list(line.get_ydata()) for line in lines] == [list(unshared), list(shared)]
    curve = memory_curve(2, max_delay=5, steps=500)
    assert len(memory_plot([curve]).figure("en").axes[0].get_lines()) == 1

"""Finding the hidden units that track a feature of the text (18-3)."""

import numpy as np
import pytest

from rnnbook.neurons import speaker_line_mask, units_tracking
from rnnbook.plots import activation_plot


def test_speaker_lines_are_marked():
    text = "ROMEO:\nBut soft!\nJULIET:\nAy me."
    mask = speaker_line_mask(text)
    assert "".join(c for c, m in zip(text, mask) if m) == "ROMEO:JULIET:"


def test_the_tracking_unit_is_found():
    feature = np.array([0, 0, 1, 1, 0, 1, 0, 0], dtype=float)
    rng = np.random.default_rng(0)
    activations = rng.normal(scale=0.1, size=(8, 5))
    activations[:, 3] = -feature + rng.normal(scale=0.01, size=8)   # anti-correlated counts too
    assert units_tracking(activations, feature, count=1) == [3]


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="non-empty string"):
        speaker_line_mask("")
    with pytest.raises(ValueError, match="must vary"):
        units_tracking(np.zeros((3, 2)), np.zeros(3))
    with pytest.raises(ValueError, match=r"activations must be \(T, units\)"):
        units_tracking(np.zeros((4, 2)), np.array([0, 1, 0.0]))


def test_activation_plot_draws_one_row_per_unit():
    text = "AB:\nc"
    figure = activation_plot(text, np.zeros((5, 4)), units=[0, 2])
    assert figure.axes[0].images[0].get_array().shape == (2, 5)
    with pytest.raises(ValueError, match="units must be indices"):
        activation_plot(text, np.zeros((5, 4)), units=[7])
    with pytest.raises(ValueError, match="activations must have shape"):
        activation_plot(text, np.zeros((4, 4)), units=[0])

"""Finding the hidden units that track a feature of the text (18-3)."""

import numpy as np
import pytest

from rnnbook.experiments.hidden_units import speaker_line_mask, units_tracking
from rnnbook.show.plots import activation_colour, activation_plot, contrast, ink_on, passage_rows


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


def test_activation_plot_draws_one_panel_per_unit_with_the_passage_wrapped():
    text = "AB:\nc"
    figure = activation_plot(text, np.zeros((5, 4)), units=[0, 2], per_row=2).figure("en")
    panels = [ax for ax in figure.axes if ax.images and ax.texts]
    assert len(panels) == 2
    assert panels[0].images[0].get_array().shape == (3, 2)        # "AB", ":↵", "c"
    assert [t.get_text() for t in panels[0].texts] == ["A", "B", ":", "↵", "c"]
    assert panels[1].get_title(loc="left") == "hidden unit 2"
    zh = activation_plot(text, np.zeros((5, 4)), units=[0, 2]).figure("zh-TW")
    assert zh.axes[0].get_title(loc="left") == "隱藏單元 0"
    with pytest.raises(ValueError, match="units must be indices"):
        activation_plot(text, np.zeros((5, 4)), units=[7])
    with pytest.raises(ValueError, match="activations must have shape"):
        activation_plot(text, np.zeros((4, 4)), units=[0])


def test_passage_rows_break_at_line_ends_and_at_the_row_length():
    assert passage_rows("ROMEO:\nBut soft!", 4) == [(0, "ROME"), (4, "O:\n"), (7, "But "),
                                                     (11, "soft"), (15, "!")]


def _in_dark_mode(colour):
    """The colour as pydata-sphinx-theme's dark mode shows an image
    (filter: brightness(.8) contrast(1.2))."""
    return tuple(min(1.0, max(0.0, (0.8 * c - 0.5) * 1.2 + 0.5)) for c in colour)


def test_every_character_stands_out_from_its_cell_in_light_and_dark_mode():
    inks = {"#000000": (0.0, 0.0, 0.0), "#ffffff": (1.0, 1.0, 1.0)}
    for value in np.linspace(-1, 1, 201):
        cell = activation_colour(value)
        ink = inks[ink_on(cell)]
        assert contrast(cell, ink) >= 4.5, value
        assert contrast(_in_dark_mode(cell), _in_dark_mode(ink)) >= 4.5, value


def test_activation_colours_tell_the_sign_apart():
    red, blue = activation_colour(1.0), activation_colour(-1.0)
    assert red[0] > red[2] and blue[2] > blue[0]
    assert activation_colour(0.0) == pytest.approx((0.97, 0.97, 0.97), abs=0.02)


def test_contrast_is_the_wcag_ratio():
    assert contrast((0, 0, 0), (1, 1, 1)) == pytest.approx(21)
    assert contrast((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)) == pytest.approx(1)

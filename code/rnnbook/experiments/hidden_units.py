"""Looking inside a trained character model (18-3): which hidden units track what.

A unit "fires" for a feature of the text when its activation follows that
feature along a passage. Here the feature is whether the character belongs to a
speaker's name line ("PANDARUS:"), something the model must keep track of to
know when a colon and a line break are due.
"""

from __future__ import annotations

import numpy as np

from rnnbook.arguments import positive_int


def speaker_line_mask(text: str) -> np.ndarray:
    """1.0 for every character of a line that is a speaker's name ("ROMEO:"), else 0.0."""
    if not isinstance(text, str) or not text:
        raise ValueError(f"text must be a non-empty string, got {text!r}")
    mask = np.zeros(len(text))
    start = 0
    for line in text.split("\n"):
        if line.endswith(":") and line[:-1].strip() and line[:-1].upper() == line[:-1]:
            mask[start:start + len(line)] = 1.0
        start += len(line) + 1
    return mask


def units_tracking(activations: np.ndarray, feature: np.ndarray, count: int = 3) -> list[int]:
    """The ``count`` units whose activation correlates most (in absolute value) with ``feature``."""
    activations = np.asarray(activations, dtype=float)
    feature = np.asarray(feature, dtype=float)
    count = positive_int("count", count)
    if activations.ndim != 2 or activations.shape[0] != feature.shape[0]:
        raise ValueError(f"activations must be (T, units) with T = len(feature) = "
                         f"{feature.shape[0]}, got {activations.shape}")
    if feature.std() == 0:
        raise ValueError("feature must vary along the passage to correlate with anything")
    centred = activations - activations.mean(axis=0)
    spread = centred.std(axis=0)
    spread[spread == 0] = np.inf                     # constant units correlate with nothing
    correlation = (centred * (feature - feature.mean())[:, None]).mean(axis=0) \
        / (spread * feature.std())
    return [int(u) for u in np.argsort(-np.abs(correlation))[:count]]

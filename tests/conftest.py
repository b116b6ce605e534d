"""Shared test set-up: import rnnbook first so TensorFlow starts quietly."""

from pathlib import Path

import rnnbook  # noqa: F401  (holds TensorFlow's start-up lines back)

ROOT = Path(__file__).resolve().parents[1]

"""Shared test set-up: import rnnbook first so TensorFlow starts quietly."""

from pathlib import Path

import rnnbook  # noqa: F401  (sets TF_CPP_MIN_LOG_LEVEL before TensorFlow loads)

ROOT = Path(__file__).resolve().parents[1]

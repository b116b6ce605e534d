"""Shared test set-up: import rnnbook first so TensorFlow starts quietly."""

import os

import rnnbook  # noqa: F401  (holds TensorFlow's start-up lines back)

from booktools.book import ROOT  # noqa: F401  (the repository root, written in one place)


def student_kernel_env(**variables: str) -> dict[str, str]:
    """The environment of a kernel as a student's would start: pytest's own marks removed.

    ipykernel forwards what native code writes to descriptor 2 (TensorFlow's
    start-up lines, for one) as the cell's stderr, as on Binder, but not when
    it sees PYTEST_CURRENT_TEST; a test of what a page shows must not hide it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env.update(variables)
    return env

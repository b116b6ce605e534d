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


#: A sitecustomize that makes myst-nb unimportable, as on Colab (see run_notebooks).
WITHOUT_MYST_NB = '''\
import sys


class _NoMystNb:
    def find_spec(self, name, path=None, target=None):
        if name == "myst_nb" or name.startswith("myst_nb."):
            raise ModuleNotFoundError("No module named 'myst_nb' (as on Colab)")


sys.meta_path.insert(0, _NoMystNb())
'''


def run_notebooks(notebooks: dict, folder, without_myst_nb: bool = False, jobs: int = 2) -> dict:
    """Run each notebook top to bottom in a fresh folder of its own under ``folder``.

    ``notebooks`` maps a name to a notebook; returns the name -> the executed
    notebook, or the exception its run raised. Kernels start as a student's
    would (student_kernel_env); ``without_myst_nb`` makes myst-nb unimportable.
    """
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    from nbclient import NotebookClient

    env = student_kernel_env()
    if without_myst_nb:
        site = Path(folder) / "site-without-myst-nb"
        site.mkdir(parents=True, exist_ok=True)
        (site / "sitecustomize.py").write_text(WITHOUT_MYST_NB, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))

    def run(item):
        name, notebook = item
        workdir = Path(folder) / "run" / name.replace("/", "_")
        workdir.mkdir(parents=True, exist_ok=True)
        try:
            NotebookClient(notebook, timeout=600, kernel_name="python3",
                           resources={"metadata": {"path": str(workdir)}}).execute(env=env)
        except Exception as error:  # reported by the test that reads it
            return name, error
        return name, notebook

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(run, notebooks.items()))


def outputs_of(notebook) -> list:
    """Every output of every code cell."""
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs]

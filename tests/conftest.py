"""Shared test set-up: import rnnbook first so TensorFlow starts quietly."""

import os
import re
from pathlib import Path

import pytest
import rnnbook  # noqa: F401  (holds TensorFlow's start-up lines back)

from booktools.book import ROOT  # noqa: F401  (the repository root, written in one place)


def pytest_addoption(parser):
    parser.addoption(
        "--page", action="append", default=[], metavar="PAGE",
        help="only the tests parametrized by this page, in either edition (`make check`): "
             "book/en/18-3.md, 18-3 or labs/lab03; may be repeated")


def page_name(page: str) -> str:
    """A page's name within its edition: "book/en/labs/lab03.md" -> "labs/lab03"."""
    page = re.sub(r"\.(md|html|ipynb)$", "", str(page).replace(os.sep, "/"))
    return page.split("/", 2)[2] if re.match(r"book/[^/]+/", page) else page


def _names_page(value, names) -> bool:
    if isinstance(value, (tuple, list)):
        return any(_names_page(part, names) for part in value)
    if not isinstance(value, (str, os.PathLike)):
        return False
    text = re.sub(r"\.(md|html|ipynb)$", "", os.fspath(value).replace(os.sep, "/"))
    return any(text == name or text.endswith("/" + name) for name in names)


# ---------------------------------------------------------------- two workers (pytest-xdist)
#: The modules whose tests read the one run of the student notebooks (tests/student_runs.py):
#: one worker runs them all, so the run is made once (tests/test_package.py keeps the list true).
STUDENT_RUN_MODULES = ("test_student_runs", "test_labs_pages", "test_lab03_page")
_SCOPES = ("module", "session", "package", "class")


def _defines_a_shared_fixture(module: Path) -> bool:
    """Whether a test module defines a fixture that outlives one test (module, session...)."""
    import ast

    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and any(
                keyword.arg == "scope" and isinstance(keyword.value, ast.Constant)
                and keyword.value.value in _SCOPES for keyword in node.keywords):
            return True
    return False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Tests that share a fixture go to one worker, so it is built once: the student
    notebooks' run, and each module that defines a module- or session-scoped fixture;
    every other test goes to whichever worker is free. (xdist's own `loadgroup` does
    not group under pytest 9, which names a node by ``_id``, not ``_nodeid``.)"""
    from functools import cache

    from xdist.scheduler import LoadScopeScheduling

    shares = cache(lambda module: _defines_a_shared_fixture(ROOT / module))

    class BookScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            if Path(module).stem in STUDENT_RUN_MODULES:
                return "student_runs"
            return module if shares(module) else nodeid

    return BookScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """With --page: keep the tests parametrized by that page (either edition), deselect the rest."""
    pages = config.getoption("page")
    if not pages:
        return
    names = {page_name(page) for page in pages}
    known = {page_name(p.relative_to(ROOT).as_posix()) for p in (ROOT / "book").rglob("*.md")}
    unknown = [n for n in names if not any(k == n or k.endswith("/" + n) for k in known)]
    if unknown:
        raise pytest.UsageError(f"--page {unknown[0]}: no such page in book/<edition>/")
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        values = callspec.params.values() if callspec else ()
        (kept if any(_names_page(value, names) for value in values) else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def student_kernel_env(**variables: str) -> dict[str, str]:
    """The environment of a kernel as a student's would start: pytest's own marks removed.

    ipykernel forwards what native code writes to descriptor 2 (TensorFlow's
    start-up lines, for one) as the cell's stderr, as on Binder, but not when
    it sees PYTEST_CURRENT_TEST; a test of what a page shows must not hide it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    env.update(variables)
    return env


#: The jupytext header of a MyST notebook page, for the small fake books of the tests.
PAGE_HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


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
    notebook, or the error its run raised (as a RuntimeError). Kernels start as
    a student's would (student_kernel_env); ``without_myst_nb`` makes myst-nb
    unimportable. Each run is a process of its own (its event loop and sockets
    end with it), ``jobs`` at a time.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from pathlib import Path

    env = student_kernel_env()
    if without_myst_nb:
        site = Path(folder) / "site-without-myst-nb"
        site.mkdir(parents=True, exist_ok=True)
        (site / "sitecustomize.py").write_text(WITHOUT_MYST_NB, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    names = list(notebooks)
    workdirs = [Path(folder) / "run" / name.replace("/", "_") for name in names]
    with ProcessPoolExecutor(max_workers=jobs,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        results = pool.map(_run_notebook, [dict(notebooks[n]) for n in names],
                           [str(w) for w in workdirs], [env] * len(names))
        return {name: (RuntimeError(result) if isinstance(result, str)
                       else nbformat_from_dict(result)) for name, result in zip(names, results)}


def _run_notebook(notebook: dict, workdir: str, env: dict):
    """One notebook run in this process: the executed notebook (a dict) or the error's text."""
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    Path(workdir).mkdir(parents=True, exist_ok=True)
    notebook = nbformat.from_dict(notebook)
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": workdir}}).execute(env=env)
    except Exception as error:  # reported by the test that reads it
        return f"{type(error).__name__}: {error}"
    return dict(notebook)


def nbformat_from_dict(data: dict):
    import nbformat

    return nbformat.from_dict(data)


def outputs_of(notebook) -> list:
    """Every output of every code cell."""
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs]


def assert_ran_as_a_student_s(notebook, name: str) -> None:
    """A notebook run untouched: it finished, showed something, wrote nothing to
    stderr, and marked no exercise correct before the student answered."""
    import json

    import pytest

    if isinstance(notebook, Exception):
        pytest.fail(f"{name} stopped: {str(notebook)[-1500:]}")
    outputs = outputs_of(notebook)
    assert outputs, f"{name} ran but showed nothing"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{name} wrote to stderr: {stderr}"
    shown = json.dumps([o.get("data", o.get("text")) for o in outputs], ensure_ascii=False)
    assert "✅" not in shown, f"{name}: an exercise is marked correct before the student answers"


# The browser tests' fixtures (the served site, one Chromium, offline visits),
# shared by every module of browser checks.
from browsing import browser, site, visit  # noqa: E402, F401

# The one run of the student notebooks (Binder's and Colab's forms, after the
# build), shared by every module that reads it.
from student_runs import served_notebooks, student_runs  # noqa: E402, F401

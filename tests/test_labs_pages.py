"""Labs 01 and 02 as pages: each has at least three exercises, each with its solution; run
untouched, every exercise is marked ❌ (never ✅); run with the solutions, every solution is
✅ in both languages, with no error and nothing on stderr; the stylesheet shows each
edition's language only.

Untouched: the student notebook's run (tests/student_runs.py, after the build), in
the language of the edition that ran. With the solutions: the build's own execution
of the page (booktools.extensions.shared_execution runs each page once for both editions,
every message in both languages), read from the build's execution cache.
"""

import re

import jupytext
import pytest
from conftest import ROOT
from student_runs import RUNS, edition_of


LABS = ["lab01.md", "lab02.md"]
EDITIONS = {"en": "en", "zh-TW": "zh"}
#: What an untouched exercise says, in each edition's language.
NOT_YET = {"en": ("❌ Not yet", "is still None"), "zh-TW": ("❌ 還不對", "還是None")}
#: The comment that marks where the student writes, in each edition.
YOUR_CODE = {"en": "# your code here", "zh-TW": "# 在這裡寫你的程式碼"}


def _page(edition, lab):
    return ROOT / "book" / edition / "labs" / lab


def _labels(text, directive):
    return re.findall(rf"```\{{{directive}\}}[^\n]*\n:label: ([\w-]+)", text)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lab", LABS)
def test_each_lab_has_at_least_three_exercises_each_with_its_solution(edition, lab):
    text = _page(edition, lab).read_text(encoding="utf-8")
    exercises = _labels(text, "exercise-start")
    assert len(exercises) >= 3, exercises
    prefix = f"{EDITIONS[edition]}-{lab.removesuffix('.md')}-ex"
    assert all(label.startswith(prefix) for label in exercises), exercises
    solutions = re.findall(r"```\{solution-start\} ([\w-]+)\n:class: dropdown", text)
    assert solutions == exercises


def _cells_by_part(page):
    """The page's code cells, each with the part it is in: "exercise", "solution" or "text"."""
    part, cells = "text", []
    for cell in jupytext.read(page, fmt="md:myst").cells:
        if cell.cell_type == "markdown":
            for directive in re.findall(r"```\{(exercise|solution)-(start|end)\}", cell.source):
                part = directive[0] if directive[1] == "start" else "text"
        else:
            cells.append((part, cell))
    return cells


def _built_execution(page):
    """The page's code cells as the build executed them (the execution cache of `make book`)."""
    from jupyter_cache import get_cache

    from booktools.book import markdown_config
    from booktools.extensions.shared_execution import read_page

    cache_path = ROOT / "_build" / ".jupyter_cache"
    if not cache_path.is_dir():
        pytest.fail(f"{cache_path} is missing: build the book first (make book)")
    cache = get_cache(str(cache_path))
    try:
        record = cache.match_cache_notebook(read_page(page, markdown_config()))
    except KeyError:
        pytest.fail(f"the build has not executed {page.relative_to(ROOT)} as it is now: make book")
    return [cell for cell in cache.get_cache_bundle(record.pk).nb.cells
            if cell.cell_type == "code"]


def _shown(cell):
    return "\n".join(output.get("data", {}).get("text/html", "") or
                     output.get("data", {}).get("text/plain", "") or output.get("text", "")
                     for output in cell.outputs)


@pytest.mark.html
@pytest.mark.parametrize("page", [RUNS[f"labs/{lab.removesuffix('.md')}"] for lab in LABS])
def test_untouched_exercises_are_not_correct(student_runs, page):
    notebook = student_runs[page]
    if isinstance(notebook, Exception):
        pytest.fail(f"{page} stopped: {str(notebook)[-1500:]}")
    edition = edition_of(page)
    exercises = {cell.source for part, cell in _cells_by_part(ROOT / f"{page}.md")
                 if part == "exercise" and YOUR_CODE[edition] in cell.source}
    cells = [cell for cell in notebook.cells
             if cell.cell_type == "code" and cell.source in exercises]
    assert len(cells) >= 3 and len(cells) == len(exercises)
    not_yet, still_none = NOT_YET[edition]
    for cell in cells:
        shown = _shown(cell)
        assert not_yet in shown and "✅" not in shown, (cell.source, shown)
        assert still_none in shown, (cell.source, shown)


@pytest.mark.html
@pytest.mark.parametrize("lab", LABS)
def test_solutions_are_correct_in_both_languages_and_the_page_runs_cleanly(lab):
    page = _page("en", lab)
    parts = _cells_by_part(page)
    cells = _built_execution(page)
    assert [cell.source.strip() for cell in cells] == [cell.source.strip() for _, cell in parts]
    outputs = [output for cell in cells for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    checked = [cell for (part, _), cell in zip(parts, cells)
               if part == "solution" and "check_" in cell.source]
    assert len(checked) >= 3
    for cell in checked:
        shown = _shown(cell)
        assert '<span class="rnnbook-text" lang="zh-TW">✅ 正確</span>' in shown, shown
        assert '<span class="rnnbook-text" lang="en">✅ Correct</span>' in shown, shown

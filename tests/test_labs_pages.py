"""Labs 01 and 02 as pages: each has at least three exercises, each with its solution; run
untouched, every exercise is marked ❌ (never ✅); run with the solutions, every solution is
✅ in both languages, with no error and nothing on stderr; the stylesheet shows each
edition's language only."""

import re

import jupytext
import pytest
from conftest import ROOT, student_kernel_env
from nbclient import NotebookClient


LABS = ["lab01.md", "lab02.md"]
EDITIONS = {"en": "en", "zh-TW": "zh"}


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


def _execute(page, cells, language):
    notebook = jupytext.read(page, fmt="md:myst")
    notebook.cells = cells
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(page.parent)}}).execute(
        env=student_kernel_env(RNNBOOK_LANGUAGE=language))
    return notebook.cells


def _shown(cell):
    return "\n".join(output.get("data", {}).get("text/html", "") or
                     output.get("data", {}).get("text/plain", "") or output.get("text", "")
                     for output in cell.outputs)


@pytest.mark.parametrize("lab", LABS)
def test_untouched_exercises_are_not_correct(lab):
    page = _page("en", lab)
    parts = [(part, cell) for part, cell in _cells_by_part(page) if part != "solution"]
    cells = _execute(page, [cell for _, cell in parts], "en")
    exercises = [cell for (part, _), cell in zip(parts, cells)
                 if part == "exercise" and "# your code here" in cell.source]
    assert len(exercises) >= 3
    for cell in exercises:
        shown = _shown(cell)
        assert "❌ Not yet" in shown and "✅" not in shown, (cell.source, shown)
        assert "is still None" in shown


@pytest.mark.parametrize("lab", LABS)
def test_solutions_are_correct_in_both_languages_and_the_page_runs_cleanly(lab):
    page = _page("en", lab)
    parts = _cells_by_part(page)
    cells = _execute(page, [cell for _, cell in parts], "all")
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

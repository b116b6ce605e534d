"""Lab 03's page run as a student runs it before answering ("Run All", exercises untouched).

Every check says ❌ (never ✅), the training cells say in the page's language
which function to complete first, and the page runs to its end with no error
and nothing on stderr. Tiny training budgets replace the page's, for speed.
"""

import json
import re

import jupytext
import nbformat
from conftest import ROOT, student_kernel_env
from nbclient import NotebookClient

PAGE = ROOT / "book" / "zh-TW" / "labs" / "lab03.md"
TINY_BUDGETS = ("from rnnbook.experiments.mnist_training import TrainingBudget\n"
                "LAB_BUDGET = COMPARISON_BUDGET = TrainingBudget(\n"
                "    units=8, epochs=1, steps_per_epoch=3, batch_size=16, shift=0)")


def _untouched(notebook):
    """The page's cells without its solutions, tiny budgets after the imports."""
    cells, inside = [], False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for start_or_end in re.findall(r"```\{solution-(start|end)\}", cell.source):
                inside = start_or_end == "start"
        elif not inside:
            cells.append(cell)
    return [cells[0], nbformat.v4.new_code_cell(TINY_BUDGETS), *cells[1:]]


def test_the_untouched_page_runs_to_its_end_and_asks_for_the_step():
    notebook = jupytext.read(PAGE, fmt="md:myst")
    notebook.cells = _untouched(notebook)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(PAGE.parent)}}).execute(
        env=student_kernel_env())
    outputs = [output for cell in notebook.cells for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    shown = json.dumps([o.get("data", o.get("text")) for o in outputs], ensure_ascii=False)
    assert "✅" not in shown
    assert "complete `rnn_step`" not in shown                                # zh-TW only
    training = [cell for cell in notebook.cells if "train_your_cell(" in cell.source]
    assert len(training) == 2                               # the training and the comparison
    for cell in training:
        said = json.dumps([o.get("data", o.get("text")) for o in cell.outputs],
                          ensure_ascii=False)
        assert "❌ 還不對：請先完成`rnn_step`" in said and "不是你的cell的" in said

"""Lab 03's page run as a student runs it before answering ("Run All", exercises untouched).

Every check says ❌ (never ✅), the training cells say in the page's language
which function to complete first, and the page runs to its end with no error
and nothing on stderr. The run is the student notebook's (tests/student_runs.py,
after the build), in the language of the edition that ran.
"""

import json

import pytest
from student_runs import RUNS, edition_of

pytestmark = pytest.mark.html

#: What each training cell says while `rnn_step` is untouched, in each language; and what
#: it must not say (the other language's words).
SAYS = {"zh-TW": (["❌ 還不對：請先完成`rnn_step`", "不是你的cell的"], "complete `rnn_step`"),
        "en": (["❌ Not yet: complete `rnn_step` first", "are not your cell's"], "請先完成")}


def _said(outputs) -> str:
    return json.dumps([o.get("data", o.get("text")) for o in outputs], ensure_ascii=False)


@pytest.mark.parametrize("page", [RUNS["labs/lab03"]])
def test_the_untouched_page_runs_to_its_end_and_asks_for_the_step(student_runs, page):
    notebook = student_runs[page]
    if isinstance(notebook, Exception):
        pytest.fail(f"{page} stopped: {str(notebook)[-1500:]}")
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    shown = _said(outputs)
    wanted, other_language = SAYS[edition_of(page)]
    assert "✅" not in shown
    assert other_language not in shown
    training = [cell for cell in notebook.cells
                if cell.cell_type == "code" and "train_your_cell(" in cell.source]
    assert len(training) == 2                               # the training and the comparison
    for cell in training:
        said = _said(cell.outputs)
        assert all(words in said for words in wanted), said

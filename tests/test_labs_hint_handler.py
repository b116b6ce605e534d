"""The hint handler end to end (Labs 01-03): in a real kernel, a student's usual mistake shows
a short hint in the page's language and the original error in one line instead of
TensorFlow's traceback, the cell still fails, and every other error keeps its traceback."""

import nbformat
import pytest
from conftest import ROOT, student_kernel_env
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from rnnbook.labs import hint_handler

SETUP = """import rnnbook.labs
import tensorflow as tf
numbers = tf.constant([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])"""

CELLS = {
    "num": "pieces = tf.unstack(numbers, 1)",
    "zh": "from rnnbook.show.language import set_language\nset_language('zh-TW')\n"
          "tf.stack([numbers, tf.cast(numbers, tf.float32)])",
    "bug": "set_language('en')\nraise RuntimeError('a bug of ours')",
    "setup": "from rnnbook.labs import check_stack\ncheck_stack(numbers, [numbers], axis=5)",
    "ok": "print(len(tf.unstack(numbers, axis=1)))",
}


def _run(sources, allow_errors=True):
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in sources])
    NotebookClient(notebook, timeout=300, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(ROOT)}}).execute(
        env=student_kernel_env(RNNBOOK_LANGUAGE="en"))
    return notebook


@pytest.fixture(scope="module")
def outputs():
    """Each cell's outputs, by name, from one kernel that runs them all in order."""
    notebook = _run([SETUP, *CELLS.values()])
    return dict(zip(["setup-cell", *CELLS], (cell.outputs for cell in notebook.cells)))


def _shown(outputs) -> str:
    """Everything a student reads in a cell's outputs, as text."""
    parts = []
    for output in outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts += output.traceback
        else:
            parts.append(output.data.get("text/plain", ""))
    return "\n".join(parts)


def test_the_setup_cell_shows_nothing(outputs):
    assert outputs["setup-cell"] == []


def test_a_usual_mistake_shows_the_hint_and_one_line_of_error(outputs):
    (output,) = outputs["num"]
    assert output.output_type == "display_data"
    text = output.data["text/plain"]
    assert text.splitlines() == [
        text.splitlines()[0],
        "Original error: InvalidArgumentError: Input shape axis 0 must equal 1, got shape [3,4]"]
    assert text.startswith("💡 Hint: the second positional argument of `tf.unstack` is `num`")
    html = output.data["text/html"]
    assert '<div class="rnnbook-hint">' in html and 'lang="en"' in html
    assert "<code>num</code>" in html and "function_node" not in html


def test_the_hint_speaks_the_language_set_in_the_notebook(outputs):
    text = _shown(outputs["zh"])
    assert text.startswith("💡 提示：`tf.stack`的張量必須是同一種資料型別")
    assert "原始錯誤：InvalidArgumentError: cannot compute Pack" in text
    assert len(text.splitlines()) == 2


@pytest.mark.parametrize("cell", ["num", "zh"])
def test_no_traceback_is_shown_for_a_usual_mistake(outputs, cell):
    text = _shown(outputs[cell])
    assert "Traceback" not in text and "File " not in text and "---->" not in text
    assert not [output for output in outputs[cell] if output.output_type == "error"]


def test_an_unknown_error_keeps_its_traceback(outputs):
    (error,) = outputs["bug"]
    assert error.output_type == "error" and error.ename == "RuntimeError"
    assert "a bug of ours" in error.evalue and len(error.traceback) > 1


def test_an_error_raised_inside_rnnbook_keeps_its_traceback(outputs):
    (error,) = outputs["setup"]
    assert error.output_type == "error" and error.ename == "ValueError"
    assert "exercise setup: axis must be an integer" in error.evalue
    assert "check_stack" in "".join(error.traceback)


def test_cells_without_errors_are_untouched(outputs):
    assert _shown(outputs["ok"]) == "4\n"


def test_the_cell_with_a_hint_still_fails_so_run_all_stops_there():
    with pytest.raises(CellExecutionError):
        _run([SETUP, CELLS["num"], "print('ran on')"], allow_errors=False)


def test_a_hint_that_fails_falls_back_to_the_traceback(monkeypatch):
    def broken(error):
        raise KeyError("a bug in a hint")

    shown = []

    class Shell:
        def showtraceback(self, exc_tuple, tb_offset=None):
            shown.append(exc_tuple[1])

    monkeypatch.setattr(hint_handler, "hint_for", broken)
    error = NameError("name 'x' is not defined")
    assert hint_handler._handle(Shell(), NameError, error, None) is None
    assert shown == [error]


def test_install_does_nothing_outside_ipython_and_respects_another_handler():
    assert hint_handler.install() is False          # pytest is not IPython

    class Shell:
        custom_exceptions = (KeyError,)

    assert hint_handler.install(Shell()) is False

"""TensorFlow's start-up lines never reach a page, a notebook or a kernel.

Which native lines TensorFlow prints while loading depends on the CPU and on
its switches, so these tests force the noisy case (TF_ENABLE_ONEDNN_OPTS=1)
instead of trusting the machine they run on, and look at what a process or a
kernel really wrote, not at environment variables.
"""

import os
import subprocess
import sys
import textwrap

import jupytext
import pytest
from conftest import ROOT, student_kernel_env
from nbclient import NotebookClient

USES_TENSORFLOW = """
import tensorflow as tf, keras
layer = keras.layers.SimpleRNN(3)
print(float(tf.reduce_sum(layer(tf.ones((2, 4, 5))) * 0)))
"""


def _run(code: str, env: dict[str, str], pythonpath: str | None = None):
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("TF_ENABLE_ONEDNN_OPTS", "TF_CPP_MIN_LOG_LEVEL")}
    environment.update(env)
    if pythonpath:
        environment["PYTHONPATH"] = pythonpath
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=environment,
                          capture_output=True, text=True, timeout=300)


def test_the_forced_condition_is_noisy_without_rnnbook():
    """The control: forced oneDNN makes TensorFlow talk, so the tests below can fail."""
    result = _run("import tensorflow", {"TF_ENABLE_ONEDNN_OPTS": "1"})
    assert result.returncode == 0, result.stderr
    assert "oneDNN" in result.stderr, (
        "TensorFlow no longer prints its oneDNN line when forced: the tests of "
        f"quiet start-up below no longer test anything. stderr: {result.stderr!r}")


@pytest.mark.parametrize("switches", [
    {"TF_ENABLE_ONEDNN_OPTS": "1"},
    {"TF_ENABLE_ONEDNN_OPTS": "0"},
    {"TF_ENABLE_ONEDNN_OPTS": "1", "TF_CPP_MIN_LOG_LEVEL": "0"},
    {"TF_ENABLE_ONEDNN_OPTS": "0", "TF_CPP_MIN_LOG_LEVEL": "0"},
], ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items()))
def test_tensorflow_starts_silently_after_rnnbook(switches):
    result = _run("import rnnbook\n" + USES_TENSORFLOW, switches)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0.0"
    assert result.stderr == "", f"TensorFlow wrote to stderr: {result.stderr[:500]!r}"


def test_rnnbook_itself_does_not_load_tensorflow():
    """The hook waits for TensorFlow's first import: `import rnnbook` stays light."""
    result = _run("import sys, rnnbook; print('tensorflow' in sys.modules)", {})
    assert result.stdout.strip() == "False", result.stderr


@pytest.fixture
def fake_tensorflow(tmp_path):
    """A stand-in package named tensorflow that writes to descriptor 2 while loading."""
    def make(body: str) -> str:
        package = tmp_path / "tensorflow"
        package.mkdir()
        (package / "__init__.py").write_text(
            "import os\nos.write(2, b'I0000 native start-up line\\n')\n" + body)
        return str(tmp_path)
    return make


def test_only_the_import_is_held_back(fake_tensorflow):
    path = fake_tensorflow("")
    result = _run("import rnnbook, sys, tensorflow\nprint('after', file=sys.stderr)", {}, path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "after\n"


def test_a_failed_import_replays_what_tensorflow_wrote(fake_tensorflow):
    path = fake_tensorflow("raise ImportError('this CPU lacks AVX')\n")
    result = _run("import rnnbook, tensorflow", {}, path)
    assert result.returncode == 1
    assert "I0000 native start-up line" in result.stderr
    assert "ImportError: this CPU lacks AVX" in result.stderr
    assert result.stderr.index("native start-up") < result.stderr.index("Traceback")


def test_python_warnings_during_the_import_still_show(fake_tensorflow):
    path = fake_tensorflow("import warnings\nwarnings.warn('deprecated thing')\n")
    result = _run("import rnnbook, tensorflow", {}, path)
    assert "deprecated thing" in result.stderr
    assert "native start-up" not in result.stderr


def test_a_page_executed_with_forced_onednn_writes_nothing_to_stderr():
    """A student's kernel (here: Lab 01 run by nbclient) in the noisy condition."""
    env = student_kernel_env(TF_ENABLE_ONEDNN_OPTS="1")
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    page = ROOT / "book" / "en" / "labs" / "lab01.md"
    notebook = jupytext.read(page, fmt="md:myst")
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(page.parent)}}).execute(env=env)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert outputs, "the page ran but showed nothing"
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert stderr == [], f"the page wrote to stderr: {stderr}"


def test_tensorflow_s_own_logger_still_writes_after_the_import():
    """A handler TensorFlow made during the held import writes to the real stderr later."""
    result = _run("import rnnbook, tensorflow as tf\ntf.get_logger().warning('after import')",
                  {"TF_ENABLE_ONEDNN_OPTS": "1"})
    assert "Logging error" not in result.stderr and "closed file" not in result.stderr
    assert "after import" in result.stderr

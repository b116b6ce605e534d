"""A page opens and runs as a notebook the way Binder serves it.

Binder (repo2docker) installs requirements.txt, then runs postBuild. Here the
same environment (.venv) starts a Jupyter server on localhost; its contents
API must hand out each MyST page as a notebook (jupytext's contents manager)
with the page's code cells, and that notebook must run top to bottom in the
page's folder (where Jupyter starts a notebook's kernel).
"""

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import jupytext
import nbformat
import pytest
from conftest import ROOT, student_kernel_env
from nbclient import NotebookClient

TOKEN = "rnnbook-test"
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "book").rglob("*.md")
               if "```{code-cell}" in p.read_text(encoding="utf-8"))
RUN = ["book/en/labs/lab01.md", "book/zh-TW/labs/lab01.md"]  # one page per edition


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A Jupyter server of this environment, serving the repository as Binder does."""
    home = tmp_path_factory.mktemp("home")
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    port = _free_port()
    log = home / "server.log"
    log_file = log.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
         "--ip=127.0.0.1", "--allow-root", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={ROOT}"],
        env=env, stdout=subprocess.DEVNULL, stderr=log_file)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(f"{url}/api/status")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait()
                log_file.close()
                pytest.fail(f"the Jupyter server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)
    yield url
    process.terminate()
    process.wait(timeout=30)
    log_file.close()


def _code(cells) -> list[str]:
    return [cell["source"] for cell in cells if cell["cell_type"] == "code"]


@pytest.mark.parametrize("page", PAGES)
def test_server_opens_the_page_as_a_notebook(server, page):
    model = _get(f"{server}/api/contents/{page}?type=notebook&content=1")
    assert model["type"] == "notebook", f"{page} is served as {model['type']}, not a notebook"
    expected = _code(jupytext.read(ROOT / page, fmt="md:myst").cells)
    assert _code(model["content"]["cells"]) == expected, f"{page}: code cells differ"


@pytest.mark.parametrize("page", RUN)
def test_the_served_notebook_runs_top_to_bottom(server, page):
    model = _get(f"{server}/api/contents/{page}?type=notebook&content=1")
    notebook = nbformat.from_dict(model["content"])
    # Raises CellExecutionError, naming the cell, if any cell fails.
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str((ROOT / page).parent)}}
                   ).execute(env=student_kernel_env())
    outputs = [output for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.outputs]
    assert outputs, f"{page} ran but showed nothing"
    assert not [o for o in outputs if o.output_type == "error"], page
    stderr = [o.text for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    assert not stderr, f"{page} wrote to stderr: {stderr}"


def test_post_build_makes_myst_pages_open_as_notebooks(tmp_path):
    """postBuild's jupytext-config line sets JupyterLab's default viewer for .md files."""
    line = next(line for line in (ROOT / "postBuild").read_text().splitlines()
                if line.startswith("jupytext-config"))
    command = shlex.split(line.split("#")[0])
    executable = Path(sys.executable).parent / command[0]
    subprocess.run([str(executable), *command[1:]], check=True, capture_output=True,
                   env={**os.environ, "HOME": str(tmp_path)})
    settings = json.loads(next(tmp_path.rglob("*.json")).read_text())
    viewers = settings["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers.get("markdown") == "Jupytext Notebook"
    assert viewers.get("myst") == "Jupytext Notebook"
    assert "python" not in viewers, "rnnbook's .py files should open in the editor"


def test_binder_installs_the_same_pins_and_the_package():
    """repo2docker reads requirements.txt (no second copy) and runs postBuild."""
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists(), \
        "a binder/ folder would make repo2docker ignore requirements.txt and postBuild"
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.1[1-9]", runtime), f"runtime.txt says {runtime!r}"
    post_build = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post_build
    assert os.access(ROOT / "postBuild", os.X_OK), "postBuild must be executable"

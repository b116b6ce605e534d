"""Each page opens and runs as a student notebook the way Binder serves it.

Binder (repo2docker) installs requirements.txt, then runs postBuild, which
writes each page's student notebook beside it (booktools.notebooks.student);
the launch button opens that notebook. Here the same environment (.venv)
starts a Jupyter server on localhost serving the notebooks postBuild writes;
each is fetched through the contents API and run top to bottom with nbclient
in a fresh folder outside the repository: no error, nothing on stderr, and no
exercise marked correct before the student answers. Authors still open the
MyST pages as notebooks (jupytext's contents manager).
"""

import contextlib
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
from conftest import ROOT, assert_ran_as_a_student_s, run_notebooks

from booktools.notebooks.student import write_student_notebooks

TOKEN = "rnnbook-test"
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "book").rglob("*.md")
               if "```{code-cell}" in p.read_text(encoding="utf-8"))
STUDENT = {page: page.replace(".md", ".ipynb") for page in PAGES}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@contextlib.contextmanager
def jupyter_server(root_dir, home):
    """A Jupyter server of this environment serving ``root_dir``, as Binder serves a repository."""
    env = {**os.environ, "HOME": str(home), "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    port = _free_port()
    log = home / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
             "--ip=127.0.0.1", "--allow-root", f"--IdentityProvider.token={TOKEN}",
             f"--ServerApp.root_dir={root_dir}"],
            env=env, stdout=subprocess.DEVNULL, stderr=log_file)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url, process, log)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(url, process, log) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(f"{url}/api/status")
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the Jupyter server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The repository served as Binder serves it: authors open the MyST pages (jupytext)."""
    with jupyter_server(ROOT, tmp_path_factory.mktemp("home")) as url:
        yield url


def _code(cells) -> list[str]:
    return [cell["source"] for cell in cells if cell["cell_type"] == "code"]


@pytest.mark.parametrize("page", PAGES)
def test_server_opens_the_page_as_a_notebook(server, page):
    model = _get(f"{server}/api/contents/{page}?type=notebook&content=1")
    assert model["type"] == "notebook", f"{page} is served as {model['type']}, not a notebook"
    expected = _code(jupytext.read(ROOT / page, fmt="md:myst").cells)
    assert _code(model["content"]["cells"]) == expected, f"{page}: code cells differ"


@pytest.fixture(scope="module")
def binder(tmp_path_factory):
    """What Binder has after postBuild: the student notebooks (here in a folder of their own)."""
    folder = tmp_path_factory.mktemp("binder")
    write_student_notebooks(ROOT, folder)
    return folder


@pytest.fixture(scope="module")
def served_runs(binder, tmp_path_factory):
    """Each student notebook fetched from a Jupyter server, then run in a fresh folder."""
    with jupyter_server(binder, tmp_path_factory.mktemp("home")) as url:
        fetched = {page: nbformat.from_dict(_get(
                       f"{url}/api/contents/{STUDENT[page]}?type=notebook&content=1")["content"])
                   for page in PAGES}
    return run_notebooks(fetched, tmp_path_factory.mktemp("students"))


@pytest.mark.parametrize("page", PAGES)
def test_the_student_notebook_runs_top_to_bottom_as_binder_serves_it(served_runs, page):
    assert_ran_as_a_student_s(served_runs[page], STUDENT[page])


def test_binder_opens_the_student_notebooks():
    post_build = (ROOT / "postBuild").read_text()
    assert "python -m booktools.notebooks" in post_build


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

"""Each page opens as a notebook the way Binder serves it.

Binder (repo2docker) installs requirements.txt, then runs postBuild, which
writes each page's student notebook beside it (booktools.notebooks.student);
the launch button opens that notebook. That notebook's run (fetched from a
Jupyter server of this environment, run top to bottom in a fresh folder) is
shared with Colab's, after the build: tests/student_runs.py and
test_student_runs.py. Here: authors still open the MyST pages as notebooks
(jupytext's contents manager), and postBuild does what Binder needs.
"""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest
from conftest import ROOT
from student_runs import get, jupyter_server

PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "book").rglob("*.md")
               if "```{code-cell}" in p.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The repository served as Binder serves it: authors open the MyST pages (jupytext)."""
    with jupyter_server(ROOT, tmp_path_factory.mktemp("home")) as url:
        yield url


def _code(cells) -> list[str]:
    return [cell["source"] for cell in cells if cell["cell_type"] == "code"]


@pytest.mark.parametrize("page", PAGES)
def test_server_opens_the_page_as_a_notebook(server, page):
    model = get(f"{server}/api/contents/{page}?type=notebook&content=1")
    assert model["type"] == "notebook", f"{page} is served as {model['type']}, not a notebook"
    expected = _code(jupytext.read(ROOT / page, fmt="md:myst").cells)
    assert _code(model["content"]["cells"]) == expected, f"{page}: code cells differ"


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

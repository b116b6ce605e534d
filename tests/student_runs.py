"""The one run of the student notebooks per test run (after the build), shared by every module
that reads it: tests/test_student_runs.py, test_labs_pages.py, test_lab03_page.py.

A page reaches a student in two notebook forms (booktools.notebooks.student):

- **Binder**: postBuild writes each page's notebook without a build (no glued
  values, a set-up cell that only sets the language); a Jupyter server serves
  it, with myst-nb installed;
- **Colab** (and the download button): the build writes `_sources/<page>.ipynb`
  with the build's numbers and a set-up cell that, on Colab only, first
  installs the book's package; Colab has no myst-nb.

Their code cells are the same but for that install (checked in
test_student_runs.py), so one run covers both: the built site's notebook,
fetched from a Jupyter server as Binder serves a notebook, run top to bottom in
a fresh folder by a kernel where myst-nb cannot be imported. The editions'
code cells differ only in comments (tests/test_pages.py), so one edition's
notebook runs per page group, the edition alternating from group to group
(RUNS), and the other edition's is checked statically against it.

Only the groups the session's selected tests need are run (`make check PAGE=...`
runs one), all of them in one pool, two kernels at a time.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from booktools.book import ROOT, editions

TOKEN = "rnnbook-test"
SOURCES = ROOT / "_build" / "html" / "_sources"


def _executable_docnames() -> list[str]:
    from booktools.notebooks.student import executable_pages

    return [page.relative_to(ROOT).with_suffix("").as_posix() for page in executable_pages(ROOT)]


#: Every executable page of both editions ("book/en/18-3"), in the table of contents' order.
PAGES = _executable_docnames()
EDITIONS = tuple(edition.strip("/").split("/")[-1] for edition in editions(ROOT))


def group_of(page: str) -> str:
    """The page's name within its edition ("18-3", "labs/lab03"): the same in every edition."""
    return page.split("/", 2)[2]


GROUPS = list(dict.fromkeys(group_of(page) for page in PAGES))
#: The page that runs for each group: first edition, second, first... in the book's order.
RUNS = {group: f"book/{EDITIONS[number % len(EDITIONS)]}/{group}"
        for number, group in enumerate(GROUPS)}
#: The pages checked statically against the run of their group.
NOT_RUN = [page for page in PAGES if page not in RUNS.values()]


def run_of(page: str) -> str:
    """The page whose notebook ran for ``page``'s group."""
    return RUNS[group_of(page)]


def edition_of(page: str) -> str:
    return page.split("/")[1]


# ------------------------------------------------------------------ a Jupyter server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> dict:
    """A Jupyter server's JSON answer at ``url`` (with the test token)."""
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
            get(f"{url}/api/status")
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the Jupyter server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)


def fetch(url: str, path: str):
    """The notebook at ``path`` as the server at ``url`` gives it (the contents API)."""
    import nbformat

    return nbformat.from_dict(get(f"{url}/api/contents/{path}?type=notebook&content=1")["content"])


# ------------------------------------------------------------------ the shared fixtures


@pytest.fixture(scope="session")
def served_notebooks(tmp_path_factory):
    """Every page's two notebook forms as a Jupyter server serves them.

    {"binder": {page: notebook}, "colab": {page: notebook}}: Binder's as postBuild
    writes them (booktools.notebooks.student), Colab's the built site's
    `_sources/<page>.ipynb` (copied beside them).
    """
    from booktools.notebooks.student import write_student_notebooks

    folder = tmp_path_factory.mktemp("served")
    write_student_notebooks(ROOT, folder / "binder")
    for page in PAGES:
        built = SOURCES / f"{page}.ipynb"
        if not built.is_file():
            pytest.fail(f"{built} is missing: run `jupyter-book build .` first (make book)")
        target = folder / "colab" / f"{page}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)
    with jupyter_server(folder, tmp_path_factory.mktemp("home")) as url:
        return {form: {page: fetch(url, f"{form}/{page}.ipynb") for page in PAGES}
                for form in ("binder", "colab")}


def _groups_wanted(session) -> list[str]:
    """The groups whose run the session's selected tests read (every group if unsure)."""
    wanted = set()
    for item in session.items:
        if "student_runs" not in getattr(item, "fixturenames", ()):
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        named = {group_of(value) for value in params.values()
                 if isinstance(value, str) and value in PAGES}
        if not named:
            return GROUPS
        wanted |= named
    return [group for group in GROUPS if group in wanted] or GROUPS


@pytest.fixture(scope="session")
def student_runs(request, served_notebooks, tmp_path_factory):
    """{page: the executed notebook, or the error its run raised} for each group's run page."""
    from conftest import run_notebooks

    runs = {RUNS[group]: served_notebooks["colab"][RUNS[group]]
            for group in _groups_wanted(request.session)}
    return run_notebooks(runs, tmp_path_factory.mktemp("student-runs"), without_myst_nb=True)

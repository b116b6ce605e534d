"""A failed build stays failed when run again unchanged (booktools.extensions.failed_builds).

A small book with one broken cross-reference is built twice with the flags of
`make book`; the second run must fail as the first did. The control shows why
the extension exists: without it Sphinx calls the second run a success.

Each build is `jupyter-book build <book> <BUILD_FLAGS>` run in this process
(click's CliRunner calls the command's own entry point: the same options, the
same _config.yml-to-Sphinx configuration, the same exit code), not a subprocess
that imports everything again: a new Sphinx application per build, with the
environment pickled in the build folder between them, as between two runs.
"""

import copy
import warnings
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ROOT

from booktools.book import build_flags

BUILD_FLAGS = build_flags()


def _small_book(root: Path, extensions: list[str]) -> Path:
    (root / "_config.yml").write_text(
        "title: Small\nexecute:\n  execute_notebooks: 'off'\n"
        f"sphinx:\n  extra_extensions: {extensions}\n", encoding="utf-8")
    (root / "_toc.yml").write_text("format: jb-book\nroot: intro\n", encoding="utf-8")
    (root / "intro.md").write_text(
        "# Small\n\nSee {ref}`a-label-nobody-wrote`.\n", encoding="utf-8")
    return root


def _build(book: Path) -> SimpleNamespace:
    """`jupyter-book build <book> <BUILD_FLAGS>`, in this process: its exit code and stderr."""
    from click.testing import CliRunner
    from sphinx.config import Config

    # A fresh process starts from Sphinx's own defaults; themes append to some of those
    # shared lists (templates_path), which would change the second build's configuration
    # and so mark every page outdated. Each build here starts from the same defaults.
    defaults = copy.deepcopy(Config.config_values)
    # Python's warnings (deprecations in the build's packages) as the command treats them:
    # not raised as pytest's filterwarnings = error would (the command only prints them).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from jupyter_book.cli.main import main

        try:
            result = CliRunner().invoke(main, ["build", str(book), *BUILD_FLAGS])
        finally:
            Config.config_values.clear()
            Config.config_values.update(defaults)
    return SimpleNamespace(returncode=result.exit_code, stderr=result.stderr)


def test_make_book_fails_on_warnings():
    assert "-W" in BUILD_FLAGS and "--keep-going" in BUILD_FLAGS


def test_a_failed_build_fails_again_when_run_unchanged(tmp_path):
    book = _small_book(tmp_path, ["booktools.extensions.failed_builds"])
    first, second = _build(book), _build(book)
    assert first.returncode != 0, first.stderr[-2000:]
    assert "a-label-nobody-wrote" in first.stderr
    assert second.returncode != 0, "the unchanged second build turned green"
    assert "a-label-nobody-wrote" in second.stderr, "the second build did not repeat the warning"


def test_a_fixed_page_builds_green_after_a_failure(tmp_path):
    book = _small_book(tmp_path, ["booktools.extensions.failed_builds"])
    assert _build(book).returncode != 0
    (book / "intro.md").write_text("# Small\n\n(a-label-nobody-wrote)=\n## Now written\n\n"
                                   "See {ref}`a-label-nobody-wrote`.\n", encoding="utf-8")
    fixed = _build(book)
    assert fixed.returncode == 0, fixed.stderr[-2000:]


def test_without_the_extension_sphinx_forgets_the_failure(tmp_path):
    """The control: Sphinx alone turns the unchanged second build green."""
    book = _small_book(tmp_path, [])
    first, second = _build(book), _build(book)
    assert first.returncode != 0
    if second.returncode != 0:
        pytest.fail("Sphinx now repeats the warnings by itself: booktools.extensions.failed_builds "
                    "may no longer be needed")


def test_the_book_uses_the_extension():
    assert "booktools.extensions.failed_builds" in (ROOT / "_config.yml").read_text(encoding="utf-8")

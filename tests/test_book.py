"""booktools.book reads each of the book's facts from the one place it is written."""

import pytest
from conftest import ROOT

from booktools.book import ROOT as BOOK_ROOT
from booktools.book import book_config, build_flags, editions, execution_timeout, markdown_config


def test_the_root_is_the_repository_s():
    assert BOOK_ROOT == ROOT and (ROOT / "_config.yml").is_file()


def test_the_real_book_s_facts():
    assert editions() == ("book/zh-TW/", "book/en/")
    assert execution_timeout() == book_config()["execute"]["timeout"]
    assert build_flags() == ("-n", "-W", "--keep-going")
    assert "colon_fence" in markdown_config().enable_extensions


def test_facts_come_from_the_book_in_the_folder_given(tmp_path):
    (tmp_path / "_config.yml").write_text(
        "execute:\n  timeout: 42\nsphinx:\n  config:\n    edition_prefixes: [a/en/]\n")
    (tmp_path / "Makefile").write_text("BUILD_FLAGS = -W\nbook:\n\tjupyter-book build .\n")
    assert (editions(tmp_path), execution_timeout(tmp_path), build_flags(tmp_path)) == (
        ("a/en/",), 42, ("-W",))


def test_a_folder_without_a_book_has_no_facts(tmp_path):
    assert book_config(tmp_path) == {} and editions(tmp_path) == ()
    (tmp_path / "Makefile").write_text("test:\n\tpytest\n")
    with pytest.raises(ValueError, match="Makefile sets no BUILD_FLAGS"):
        build_flags(tmp_path)


def _make_dry_run(folder, shebang):
    import shutil
    import subprocess

    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    scripts = folder / ".venv" / "bin"
    scripts.mkdir(parents=True)
    (scripts / "jupyter-book").write_text(f"{shebang}\nimport sys\n")
    for name in ("requirements.txt", "pyproject.toml", ".venv/.installed"):
        (folder / name).touch()
    return subprocess.run(["make", "-n", "unit"], cwd=folder, capture_output=True, text=True)


def test_make_refuses_a_venv_copied_from_another_checkout(tmp_path):
    copied = _make_dry_run(tmp_path, "#!/somewhere/else/.venv/bin/python")
    assert copied.returncode != 0
    assert "made for another folder" in copied.stderr and "rm -rf .venv" in copied.stderr


def test_make_accepts_its_own_venv_whatever_form_pip_gave_the_first_line(tmp_path):
    short, long = tmp_path / "short", tmp_path / "long"
    short.mkdir(), long.mkdir()
    assert _make_dry_run(short, f"#!{short}/.venv/bin/python").returncode == 0
    # pip writes a /bin/sh trampoline when the interpreter's path is long
    trampoline = f"#!/bin/sh\n'''exec' '{long}/.venv/bin/python' \"$0\" \"$@\"\n' '''"
    assert _make_dry_run(long, trampoline).returncode == 0

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

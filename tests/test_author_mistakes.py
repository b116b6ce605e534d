"""An author's mistake fails the build once, at its page and `.md` line (shared_execution).

A small two-edition book is built once with the flags of `make book`: two pages
whose code raises and one whose editions' code differs. The build must fail
and say, for each failing page, the page, the line that raised and the
exception (once: no second traceback, no Sphinx stack), having executed each
failing page once; with `--keep-going` every failing page is reported in the
same run. The editions whose code differs fail it with the first differing
cell and lines.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PAGE_HEADER

from booktools.book import build_flags

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
EDITIONS = ("zh-TW", "en")

HEADER = PAGE_HEADER

CONFIG = """\
title: Small
execute:
  execute_notebooks: cache
  timeout: 60
sphinx:
  extra_extensions: [booktools.extensions.shared_execution, booktools.extensions.failed_builds]
  config:
    edition_prefixes: ["book/zh-TW/", "book/en/"]
    nb_execution_raise_on_error: true
    nb_execution_show_tb: true
"""


def _cell(source, options=""):
    return f"\n```{{code-cell}} ipython3\n{options}{source}\n```\n"


def _pages(edition):
    comment = "# 答案" if edition == "zh-TW" else "# the answer"
    count = 'open("runs.txt", "a").write("{}\\n")\n'
    return {
        # line 20: the cell's fence; line 24: `1 / 0`. A glue value after it never comes.
        "a": (f"{HEADER}# A\n" + _cell("x = 1") + "\nText.\n"
              + _cell(count.format("a") + f"y = x  {comment}\n1 / 0", ":tags: [hide-input]\n")
              + _cell('from rnnbook.show.glue import glue\nglue("v", 3)')
              + "\nValue {glue:text}`v`.\n"),
        # line 18 raises, inside a function the cell defines.
        "b": (f"{HEADER}# B\n"
              + _cell(count.format("b") + 'def f():\n    raise ValueError("no such state")\nf()')),
        # the editions' code differs in cell 2 (its fence on line 19), on line 20.
        "c": (f"{HEADER}# C\n" + _cell(f"units = 4  {comment}") + "\n"
              + _cell(f"print(units * {6 if edition == 'zh-TW' else 7})\nprint(units)")),
    }


def _book(root: Path) -> Path:
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    chapters = "".join(f"  - file: book/{edition}/{name}\n"
                       for edition in EDITIONS for name in _pages(edition))
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: intro\nchapters:\n{chapters}",
                                   encoding="utf-8")
    (root / "intro.md").write_text("# Small\n", encoding="utf-8")
    for edition in EDITIONS:
        (root / "book" / edition).mkdir(parents=True)
        for name, text in _pages(edition).items():
            (root / "book" / edition / f"{name}.md").write_text(text, encoding="utf-8")
    return root


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = _book(tmp_path_factory.mktemp("book"))
    result = subprocess.run([str(JUPYTER_BOOK), "build", str(root), *build_flags()],
                            capture_output=True, text=True, timeout=600)
    return root, result, _plain(result.stdout), _plain(result.stderr)


def test_a_raising_cell_fails_the_build(built):
    _, result, _, _ = built
    assert result.returncode != 0


def test_every_failing_page_is_reported_at_the_line_that_raised(built):
    root, _, _, err = built
    assert (f"{root}/book/zh-TW/a.md:24: WARNING: code cell 2 raised (line 24; "
            "book/en/a.md line 24)") in err, err
    assert (f"{root}/book/zh-TW/b.md:18: WARNING: code cell 1 raised (line 18; "
            "book/en/b.md line 18)") in err, err
    assert "ZeroDivisionError: division by zero" in err
    assert "ValueError: no such state" in err


def test_the_exception_is_told_once_without_sphinx_s_own_stack(built):
    _, _, out, err = built
    both = out + err
    assert both.count("ZeroDivisionError: division by zero") == 1, both
    assert both.count("ValueError: no such state") == 1, both
    # One kernel traceback per failing page, inside its warning. (A kernel shutting down
    # under load may print a ZMQ traceback of its own on stderr; that one is not a page's.)
    told = re.findall(r"^    \w+ +Traceback \(most recent call last\)$", both, re.M)
    assert len(told) == 2, both
    for noise in ("report this to the developers", "Exception occurred", "ExecutionError",
                  "sphinx/", "Executing notebook failed", "Glue", "glue"):
        assert noise not in both, f"{noise!r} in the build's output:\n{both}"


def test_each_failing_page_is_executed_once_for_both_editions(built):
    root, _, _, _ = built
    assert (root / "book/zh-TW/runs.txt").read_text() == "a\nb\n" or \
        (root / "book/zh-TW/runs.txt").read_text() == "b\na\n"
    assert not (root / "book/en/runs.txt").exists()


def test_editions_whose_code_differs_fail_with_the_first_differing_line(built):
    root, _, _, err = built
    assert (f"{root}/book/zh-TW/c.md:19: WARNING: code cell 2 differs between the editions "
            "(comments aside): book/zh-TW/c.md line 19, book/en/c.md line 19; every edition "
            "must run the same code\n"
            "  book/zh-TW/c.md:20: print(units * 6)\n"
            "  book/en/c.md:20: print(units * 7)") in err, err


def test_the_build_says_nothing_else(built):
    _, _, _, err = built
    warnings = re.findall(r"^\S+: WARNING: ", err, re.M)
    assert len(warnings) == 3, err
    assert "Kernel is running over TCP without encryption" not in err

"""Each page executes once for both editions into the cache (booktools.extensions.shared_execution).

The fake books here are tiny: one page per edition whose code differs only in a
comment. Executing a page starts a real kernel, so the executed book is a
module-scoped fixture and the whole file executes three pages.
"""

import io
import os
import re

import nbformat
import pytest
from jupyter_cache import get_cache

from booktools.book import markdown_config
from booktools.extensions.shared_execution import (
    KERNEL_TCP_WARNING,
    Mistake,
    PageRun,
    code_difference,
    code_without_comments,
    dependency_digest,
    dependency_digests,
    execute_pages,
    forward_kernel_stderr,
    page_groups,
    prepare_cache,
    read_page,
    read_pages,
    same_code,
    with_outputs,
)
from conftest import PAGE_HEADER, ROOT

EDITIONS = ("book/zh-TW/", "book/en/")
MYST = markdown_config(ROOT)

HEADER = PAGE_HEADER


def _page(title, *cells):
    code = "".join(f"\n```{{code-cell}} ipython3\n{cell}\n```\n" for cell in cells)
    return f"{HEADER}\n# {title}\n{code}"


# Cell metadata is translated too (as the pages' figure captions are): part of the cache key.
ZH = _page("答案", "x = 6 * 7  # 答案", ":tags: [答案]\nprint(x)")
EN = _page("The answer", "x = 6 * 7  # the answer", ":tags: [answer]\nprint(x)")


def _book(root, zh=ZH, en=EN):
    """A fake book in root: the page in both editions, the pins, an rnnbook and its tools."""
    for edition, text in (("zh-TW", zh), ("en", en)):
        (root / "book" / edition).mkdir(parents=True, exist_ok=True)
        (root / "book" / edition / "p.md").write_text(text, encoding="utf-8")
    for package in ("rnnbook", "booktools"):
        (root / "code" / package).mkdir(parents=True, exist_ok=True)
        (root / "code" / package / "__init__.py").write_text("ANSWER = 42\n", encoding="utf-8")
    (root / "requirements.txt").write_text("numpy==2.4.6\n", encoding="utf-8")
    return root


def _prepare(root, cache_path, log, report=None):
    return prepare_cache(root, cache_path, jobs=1, editions=EDITIONS, timeout=60, log=log,
                         md_config=MYST, report=report)


def _text_outputs(notebook):
    return "".join(output.get("text", "") for cell in notebook.cells
                   if cell.cell_type == "code" for output in cell.outputs)


# --- comments and groups ----------------------------------------------------

def test_code_without_comments_keeps_only_the_code():
    assert code_without_comments("x = 6 * 7  # 答案\n# a line\nprint(x)  \n") == (
        "x = 6 * 7\n\nprint(x)")
    assert code_without_comments("x = 6 * 7  # 答案") == (
        code_without_comments("x = 6 * 7  # the answer"))
    assert code_without_comments('s = "# not a comment"') == 's = "# not a comment"'
    assert code_without_comments("x = 1") != code_without_comments("x = 2")
    with pytest.raises(TypeError, match="source must be a str of Python code, got bytes"):
        code_without_comments(b"x = 1")


def test_same_code_groups_editions_whose_code_differs_only_in_comments(tmp_path):
    root = _book(tmp_path)
    zh, en = root / "book/zh-TW/p.md", root / "book/en/p.md"
    assert same_code({page: read_page(page, MYST) for page in (zh, en)}) == [[zh, en]]
    en.write_text(_page("The answer", "x = 6 * 8", "print(x)"), encoding="utf-8")
    assert same_code({page: read_page(page, MYST) for page in (zh, en)}) == [[zh], [en]]


def test_read_pages_reads_every_edition_s_page_once_in_groups(tmp_path):
    root = _book(tmp_path)
    (group,) = read_pages(root, EDITIONS, MYST)
    assert list(group) == [root / "book/zh-TW/p.md", root / "book/en/p.md"]
    assert [c.source for c in group[root / "book/en/p.md"].cells if c.cell_type == "code"] == [
        "x = 6 * 7  # the answer", "print(x)"]


def test_page_groups_pair_each_page_with_its_counterpart(tmp_path):
    root = _book(tmp_path)
    (root / "book/zh-TW/notes.md").write_text("# 不是筆記本\n", encoding="utf-8")  # no header
    (root / "book/en/notes.md").write_text("# Not a notebook\n", encoding="utf-8")
    assert page_groups(root, EDITIONS) == [(root / "book/zh-TW/p.md", root / "book/en/p.md")]
    assert page_groups(root, ("book/en/", "book/zh-TW/")) == [
        (root / "book/en/p.md", root / "book/zh-TW/p.md")]
    (root / "book/en/p.md").unlink()
    with pytest.raises(ValueError, match=r"book/zh-TW/p\.md has no counterpart book/en/p\.md"):
        page_groups(root, EDITIONS)
    with pytest.raises(ValueError, match="editions is empty"):
        page_groups(root, ())


def _difference(root):
    pages = [root / "book/zh-TW/p.md", root / "book/en/p.md"]
    return code_difference({page: read_page(page, MYST) for page in pages}, root)


def test_code_difference_names_the_first_differing_cell_and_its_lines(tmp_path):
    root = _book(tmp_path)
    assert _difference(root) is None                    # comments and options may differ
    (root / "book/en/p.md").write_text(
        _page("The answer", "x = 6 * 7  # the answer\ny = x + 1", "print(x)"), encoding="utf-8")
    (root / "book/zh-TW/p.md").write_text(
        _page("答案", "x = 6 * 7  # 答案\ny = x + 2  # 加二", "print(x)"), encoding="utf-8")
    difference = _difference(root)
    assert isinstance(difference, Mistake)
    assert (difference.page, difference.line) == (root / "book/zh-TW/p.md", 15)
    assert difference.message == (
        "code cell 1 differs between the editions (comments aside): book/zh-TW/p.md line 15, "
        "book/en/p.md line 15; every edition must run the same code\n"
        "  book/zh-TW/p.md:17: y = x + 2  # 加二\n"
        "  book/en/p.md:17: y = x + 1")


def test_code_difference_names_a_code_cell_one_edition_lacks(tmp_path):
    root = _book(tmp_path, en=_page("The answer", "x = 6 * 7", "print(x)", "print(x + 1)"))
    assert _difference(root).message == (
        "book/en/p.md has 3 code cells and book/zh-TW/p.md 2: code cell 3 (book/en/p.md "
        "line 23) is missing from book/zh-TW/p.md; every edition must run the same code")


def test_editions_whose_code_differs_are_reported_and_each_executed(tmp_path):
    root = _book(tmp_path, en=_page("The answer", "x = 6 * 8", "print(x)"))
    logged, reported = [], []
    runs = _prepare(root, tmp_path / "cache", logged.append, reported.append)
    assert [run.page for run in runs] == [root / "book/zh-TW/p.md", root / "book/en/p.md"]
    assert [str(mistake).split("\n")[0] for mistake in reported] == [
        f"{root}/book/zh-TW/p.md:15: code cell 1 differs between the editions (comments aside): "
        "book/zh-TW/p.md line 15, book/en/p.md line 15; every edition must run the same code"]
    assert reported[0].message.endswith("  book/zh-TW/p.md:16: x = 6 * 7  # 答案\n"
                                        "  book/en/p.md:16: x = 6 * 8")


# --- the dependency digest --------------------------------------------------

def test_dependency_digest_follows_rnnbook_its_weights_and_the_pins(tmp_path):
    root = _book(tmp_path)
    seen = [dependency_digest(root)]

    def changed():
        seen.append(dependency_digest(root))
        return seen[-1] != seen[-2]

    (root / "notes.txt").write_text("not a dependency\n", encoding="utf-8")
    assert not changed()
    (root / "code" / "rnnbook" / "__init__.py").write_text("ANSWER = 43\n", encoding="utf-8")
    assert changed()
    weights = root / "code" / "rnnbook" / "weights" / "model.weights.h5"
    weights.parent.mkdir()
    weights.write_bytes(b"\x00\x01")
    assert changed()
    (root / "requirements.txt").write_text("numpy==2.4.7\n", encoding="utf-8")
    assert changed()
    cached = root / "code" / "rnnbook" / "__pycache__" / "x.cpython-311.pyc"
    cached.parent.mkdir()
    cached.write_bytes(b"compiled")
    assert not changed()
    assert len(set(seen)) == 4


def test_editing_the_book_s_machinery_re_executes_nothing(tmp_path):
    """Extensions, the figure writer and the bench live in booktools, outside the digest."""
    root = _book(tmp_path)
    before = dependency_digest(root)
    for module in ("shared_execution.py", "figures.py", "bench.py"):
        (root / "code" / "booktools" / module).write_text("CHANGED = True\n", encoding="utf-8")
    (root / "Makefile").write_text("BUILD_FLAGS := -n\n", encoding="utf-8")
    assert dependency_digest(root) == before


def test_the_book_s_digest_covers_what_pages_import():
    """Every module a page imports is in the digest's folders (rnnbook), none in booktools."""
    pages = (ROOT / "book").rglob("*.md")
    imported = {name for page in pages
                for name in re.findall(r"^\s*(?:from|import) (\w+)", page.read_text(), re.M)}
    assert "rnnbook" in imported and "booktools" not in imported


# --- outputs given to another edition ---------------------------------------

def _notebook(*sources, outputs=False, metadata=None):
    cells = [nbformat.v4.new_markdown_cell("# title")]
    for number, source in enumerate(sources, 1):
        cell = nbformat.v4.new_code_cell(source, metadata=dict(metadata or {}))
        if outputs:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"out {number}\n")]
            cell.execution_count = number
        cells.append(cell)
    return nbformat.v4.new_notebook(cells=cells)


def test_with_outputs_copies_outputs_by_code_cell_and_keeps_the_edition_s_own_cells():
    executed = _notebook("x = 6 * 7  # the answer", "print(x)", outputs=True)
    executed.metadata["language_info"] = {"name": "python"}
    zh = _notebook("x = 6 * 7  # 答案", "print(x)", metadata={"tags": ["hide-input"]})
    zh.cells.insert(2, nbformat.v4.new_markdown_cell("中間"))      # cells move, code cells count

    merged = with_outputs(zh, executed)
    code = [cell for cell in merged.cells if cell.cell_type == "code"]
    assert [cell.source for cell in code] == ["x = 6 * 7  # 答案", "print(x)"]
    assert [cell.outputs[0].text for cell in code] == ["out 1\n", "out 2\n"]
    assert [cell.execution_count for cell in code] == [1, 2]
    assert all(cell.metadata == {"tags": ["hide-input"]} for cell in code)
    assert merged.cells[2].source == "中間"
    assert merged.metadata["language_info"] == {"name": "python"}
    assert all(not cell.outputs for cell in zh.cells if cell.cell_type == "code")  # not changed


def test_with_outputs_needs_the_same_number_of_code_cells():
    executed = _notebook("x = 1", "print(x)", outputs=True)
    with pytest.raises(ValueError, match="the editions have 1 and 2 code cells"):
        with_outputs(_notebook("x = 1"), executed)


def test_execute_pages_needs_a_positive_whole_number_of_jobs():
    for jobs, error in ((0, ValueError), (-1, ValueError), (True, TypeError), (1.5, TypeError),
                        ("2", TypeError)):
        with pytest.raises(error, match="jobs must be a positive integer"):
            execute_pages({}, jobs, timeout=60)
    assert execute_pages({}, 1, timeout=60) == []


# --- executing into the cache (each call below starts a kernel) -------------

@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """The fake book executed, executed again (nothing to do), then after a new pin."""
    root = _book(tmp_path_factory.mktemp("book"))
    cache_path = root / "cache"
    first_log, second_log, third_log = [], [], []
    first = _prepare(root, cache_path, first_log.append)
    records = get_cache(str(cache_path)).list_cache_records()
    first_digests = {record.data["rnnbook_digest"] for record in records}
    second = _prepare(root, cache_path, second_log.append)
    (root / "requirements.txt").write_text("numpy==2.4.7\n", encoding="utf-8")
    third = _prepare(root, cache_path, third_log.append)
    return {"root": root, "cache": get_cache(str(cache_path)), "runs": (first, second, third),
            "logs": (first_log, second_log, third_log), "first_digests": first_digests}


def test_prepare_cache_executes_the_page_once_for_both_editions(executed):
    root, (first, _, _) = executed["root"], executed["runs"]
    assert len(first) == 1
    run = first[0]
    assert isinstance(run, PageRun) and run.error is None
    assert run.page == root / "book/zh-TW/p.md"
    assert run.pages == (root / "book/zh-TW/p.md", root / "book/en/p.md")
    assert "42" in _text_outputs(nbformat.from_dict(run.notebook))
    assert run.seconds > 0 and run.peak_gib > 0
    assert executed["logs"][0] == [
        f"book/zh-TW/p.md: executed in {run.seconds:.1f} s (peak {run.peak_gib:.2f} GiB), "
        "outputs shared with book/en/p.md"]


def test_both_editions_are_found_in_the_cache_with_their_own_comments(executed):
    root, cache = executed["root"], executed["cache"]
    for edition, comment, tag in [("zh-TW", "# 答案", "答案"), ("en", "# the answer", "answer")]:
        page = root / "book" / edition / "p.md"
        record = cache.match_cache_notebook(read_page(page, MYST))
        assert record.uri == str(page)
        assert record.data["executed_as"] == str(root / "book/zh-TW/p.md")
        notebook = cache.get_cache_bundle(record.pk).nb
        code = [cell for cell in notebook.cells if cell.cell_type == "code"]
        assert code[0].source == f"x = 6 * 7  {comment}"
        assert code[1].metadata["tags"] == [tag]
        assert "42" in _text_outputs(notebook)


def test_an_up_to_date_cache_executes_nothing(executed):
    _, second, _ = executed["runs"]
    assert second == [] and executed["logs"][1] == []


def test_new_dependencies_execute_the_page_again_and_say_why(executed):
    root, cache, (_, _, third) = executed["root"], executed["cache"], executed["runs"]
    assert [run.page for run in third] == [root / "book/zh-TW/p.md"]
    assert executed["logs"][2][0] == "requirements.txt changed: executing every page"
    assert {r.data["dependency_digests"]["requirements.txt"] for r in cache.list_cache_records()
            } == {dependency_digests(root)["requirements.txt"]}
    records = cache.list_cache_records()
    assert len(records) == 2                                     # the stale records are gone
    assert {r.data["rnnbook_digest"] for r in records} == {dependency_digest(root)}
    assert executed["first_digests"] != {dependency_digest(root)}


def test_a_page_that_fails_is_reported_once_at_its_line_and_not_cached(tmp_path):
    failing = _page("失敗", "x = 1", ":tags: [hide-input]\ny = x\n1/0  # 除以零")
    root = _book(tmp_path, zh=failing, en=failing.replace("除以零", "divide by zero"))
    logged, reported = [], []
    runs = _prepare(root, tmp_path / "cache", logged.append, reported.append)
    assert len(runs) == 1 and runs[0].notebook is None
    assert runs[0].failed_cell == 1
    assert "ZeroDivisionError" in runs[0].error and "\x1b[" not in runs[0].error
    assert runs[0].shared_with == (root / "book/en/p.md",)
    assert logged == []
    (mistake,) = reported
    assert (mistake.page, mistake.line) == (root / "book/zh-TW/p.md", 22)   # the `1/0` line
    assert mistake.message.startswith(
        "code cell 2 raised (line 22; book/en/p.md line 22); the page is not executed again:\n")
    assert mistake.message.count("ZeroDivisionError: division by zero") == 1
    assert "----> 2 1/0  # 除以零" in mistake.message
    cache = get_cache(str(tmp_path / "cache"))
    assert cache.list_cache_records() == []
    for edition in ("zh-TW", "en"):
        with pytest.raises(KeyError):
            cache.match_cache_notebook(read_page(root / "book" / edition / "p.md", MYST))


def test_the_kernel_s_tcp_warning_alone_is_held_back(tmp_path):
    lines = [b"[IPKernelApp] WARNING | " + KERNEL_TCP_WARNING.encode() + b". All communication\n",
             b"a real warning\n", "中文\n".encode()]
    stream = io.BytesIO(b"".join(lines))
    written = io.StringIO()
    forward_kernel_stderr(stream, written)
    assert written.getvalue() == "a real warning\n中文\n"


def test_code_that_is_not_python_is_compared_as_written():
    assert code_without_comments("x = (  # open\n") == "x = (  # open"


def test_read_page_uses_the_book_s_myst_settings(tmp_path):
    """A code cell inside a colon fence is one cell when colon_fence is on, as in the build."""
    header = (ROOT / "book" / "en" / "labs" / "lab01.md").read_text().split("---\n")[1]
    page = tmp_path / "p.md"
    page.write_text(f"---\n{header}---\n\n::::{{note}}\n```{{code-cell}} ipython3\nx = 1\n```\n"
                    "::::\n\n```{code-cell} ipython3\ny = 2\n```\n", encoding="utf-8")

    def code(extensions):
        (tmp_path / "_config.yml").write_text(f"parse:\n  myst_enable_extensions: {extensions}\n")
        return [c.source for c in read_page(page, markdown_config(tmp_path)).cells
                if c.cell_type == "code"]

    assert code("[colon_fence]") == ["y = 2"] and code("[]") == ["x = 1", "y = 2"]


def test_the_build_s_kernels_show_every_language(monkeypatch):
    """One execution serves both editions, so rnnbook.show.language.Text carries both."""
    from types import SimpleNamespace

    from booktools.extensions import shared_execution
    from rnnbook.show import language

    monkeypatch.delenv(language.ENVIRONMENT, raising=False)
    app = SimpleNamespace(setup_extension=lambda name: None,
                          add_config_value=lambda *args: None, connect=lambda *args, **kw: None)
    shared_execution.setup(app)
    assert os.environ[language.ENVIRONMENT] == language.ALL

"""What the author loop costs: build times and each page's execution (for `make bench`).

Measured in a copy of the book (the working tree and its cache are left alone):
a clean build with an empty execution cache, a rebuild with nothing changed,
a rebuild after editing the prose of one page, and one after editing a code
cell of one page (only that page should execute). Each page is also executed
on its own, in a fresh kernel, for its time and the kernel's peak memory.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from booktools.book import ROOT, build_flags, editions, execution_timeout, markdown_config
from booktools.extensions.shared_execution import execute_pages, read_pages

PROSE_PAGE = "book/en/18-2.md"
CODE_PAGE = "book/en/labs/lab01.md"
_COPY_IGNORE = shutil.ignore_patterns(".venv", "_build", ".git", ".pytest_cache",
                                      "__pycache__", "bench")


def build(book: Path) -> dict:
    """One `jupyter-book build` of ``book``: seconds, and the pages it executed (with seconds)."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    before = set(execution_records(book))
    start = time.perf_counter()
    result = subprocess.run([str(jupyter_book), "build", str(book), *build_flags()],
                            capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"the build of {book} failed:\n{result.stdout[-3000:]}"
                           f"\n{result.stderr[-3000:]}")
    executed = {record["page"]: record["seconds"]
                for pk, record in execution_records(book).items() if pk not in before}
    return dict(seconds=seconds, executed=executed)


def execution_records(book: Path) -> dict[int, dict]:
    """The executions the book's jupyter-cache holds: {record id: page and seconds}.

    A page executed once for both editions is cached under each edition's page;
    it is counted once, under the page that executed.
    """
    from jupyter_cache import get_cache

    folder = book / "_build" / ".jupyter_cache"
    if not folder.is_dir():
        return {}
    records = {}
    for record in get_cache(str(folder)).list_cache_records():
        executed_as = record.data.get("executed_as", record.uri)
        if record.uri == executed_as:
            records[record.pk] = dict(page=Path(executed_as).relative_to(book).as_posix(),
                                      seconds=float(record.data.get("execution_seconds", 0.0)))
    return records


def edit_prose(page: Path) -> None:
    """Add a sentence at the end of a page (a Markdown cell: nothing to execute)."""
    with page.open("a", encoding="utf-8") as text:
        text.write("\nA sentence that `make bench` added to time a rebuild.\n")


def edit_code(page: Path) -> None:
    """Add a statement to the page's first code cell (the page must execute again)."""
    text = page.read_text(encoding="utf-8")
    marker = "```{code-cell} ipython3\n"
    if marker not in text:
        raise ValueError(f"{page} has no code cell to edit")
    page.write_text(text.replace(marker, marker + "edited_by_bench = True\n", 1),
                    encoding="utf-8")


def build_costs() -> list[dict]:
    """The four builds of the author loop, in a fresh copy of the book."""
    with tempfile.TemporaryDirectory() as folder:
        book = Path(folder) / "book"
        shutil.copytree(ROOT, book, ignore=_COPY_IGNORE)
        rows = [dict(kind="clean", step="clean build (empty execution cache)", **build(book)),
                dict(kind="no-op", step="rebuild, nothing changed", **build(book))]
        edit_prose(book / PROSE_PAGE)
        rows.append(dict(kind="prose", step=f"rebuild after a prose edit ({PROSE_PAGE})",
                         **build(book)))
        edit_code(book / CODE_PAGE)
        rows.append(dict(kind="code", step=f"rebuild after a code-cell edit ({CODE_PAGE})",
                         **build(book)))
    return rows


def page_costs() -> list[dict]:
    """Each page executed alone in a fresh kernel (the first edition's; others share it)."""
    groups = read_pages(ROOT, editions(), markdown_config())
    runs = execute_pages({next(iter(group)): next(iter(group.values())) for group in groups},
                         jobs=1, timeout=execution_timeout())
    failed = [run.page for run in runs if run.error]
    if failed:
        raise RuntimeError(f"pages failed to execute: {failed}")
    return [dict(page=run.page.relative_to(ROOT).as_posix(), seconds=run.seconds,
                 peak_gib=run.peak_gib,
                 shared_with=[p.relative_to(ROOT).as_posix() for p in list(group)[1:]])
            for group, run in zip(groups, runs)]

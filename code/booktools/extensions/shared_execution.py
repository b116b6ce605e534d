"""Execute each page once for both editions, several at a time, before Sphinx reads them.

A Sphinx extension (listed in _config.yml). myst-nb (``execute_notebooks:
cache``) executes a page, one page at a time, when jupyter-cache holds no
notebook with the same code cells and cell metadata. The editions' code cells
differ only in comments (tests/test_pages.py), so at ``builder-inited`` this
extension executes each page of the first edition once, ``jobs`` pages at a
time, and caches the outputs under every edition's own key: myst-nb then finds
each page of each edition in the cache.

jupyter-cache keys on a page's code alone, so a change in ``rnnbook`` (its
code and the shipped weights) or in the pins would leave stale outputs. Each
record here carries a digest of those; a record with another digest (or none)
is dropped and its page executed again, and Sphinx is told to re-read it. The
book's machinery (this package) is not in the digest: it shapes the HTML, not
what a page computes.

An author's mistakes are reported here, once, with the ``.md`` line: a cell
that raises (the page, the cell's line, the exception; the page is not
executed again by myst-nb, and with ``--keep-going`` every failing page is
reported in the same run) and editions whose code differs (the first
differing cell and line in both editions).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from booktools.book import markdown_config
from booktools.extensions.page_mistakes import (
    Mistake, cell_error, code_difference, code_without_comments, failure, read_unexecuted)
from rnnbook.show import language
from rnnbook.arguments import positive_int

#: What a page's outputs can depend on besides its own code, relative to the book's root.
DEPENDENCIES = ("code/rnnbook", "requirements.txt")   # rnnbook's code and its shipped weights


@dataclass
class PageRun:
    """One execution of a page: its notebook with outputs, or the error it raised."""

    page: Path
    notebook: dict | None
    seconds: float
    peak_gib: float
    error: str | None = None
    shared_with: tuple[Path, ...] = ()  # pages of other editions given these outputs
    failed_cell: int | None = None      # the code cell that raised (0 = the first code cell)

    @property
    def pages(self) -> tuple[Path, ...]:
        return (self.page, *self.shared_with)


def page_groups(root: Path, editions) -> list[tuple[Path, ...]]:
    """Each executable page of the first edition, followed by the same page of the others."""
    if not editions:
        raise ValueError("editions is empty; expected folder prefixes such as 'book/en/'")
    first = root / editions[0]
    groups = []
    for page in sorted(first.rglob("*.md")):
        if not _is_notebook(page):
            continue
        relative = page.relative_to(first)
        counterparts = tuple(root / edition / relative for edition in editions[1:])
        missing = [str(p.relative_to(root)) for p in counterparts if not p.is_file()]
        if missing:
            raise ValueError(f"{page.relative_to(root)} has no counterpart {missing[0]}; "
                             "every edition needs the same pages")
        groups.append((page, *counterparts))
    return groups


def read_page(page: Path, md_config):
    """The notebook myst-nb reads from a MyST Markdown page (so the cache keys agree).

    ``md_config`` must be the build's MyST settings (e.g. a colon fence can hold
    a code cell): :func:`booktools.book.markdown_config` outside Sphinx.
    """
    from myst_nb.core.read import read_myst_markdown_notebook

    text = Path(page).read_text(encoding="utf-8")
    return read_myst_markdown_notebook(text, config=md_config, add_source_map=True,
                                       path=str(page))


def same_code(notebooks: dict[Path, dict]) -> list[list[Path]]:
    """Split pages (page -> its notebook) into runs of identical code, comments aside.

    Each run executes once. The editions normally form one run; while an author
    has edited one edition's code and not yet the other's, each runs on its own.
    """
    runs: dict[tuple, list[Path]] = {}
    for page, notebook in notebooks.items():
        key = tuple(code_without_comments(c.source) for c in notebook.cells
                    if c.cell_type == "code")
        runs.setdefault(key, []).append(Path(page))
    return list(runs.values())


def dependency_digest(root: Path) -> str:
    """A digest of the files in ``DEPENDENCIES`` (names and bytes), compiled files aside."""
    digest = hashlib.sha256()
    for path in _dependency_files(Path(root)):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def dependency_digests(root: Path) -> dict[str, str]:
    """A digest of each entry of ``DEPENDENCIES`` on its own (to say which one changed)."""
    digests = {}
    for name in DEPENDENCIES:
        digest = hashlib.sha256()
        for path in _dependency_files(Path(root), (name,)):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
        digests[name] = digest.hexdigest()[:16]
    return digests


def _dependency_files(root: Path, names=DEPENDENCIES) -> list[Path]:
    files = []
    for name in names:
        path = root / name
        found = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [p for p in found if p.is_file() and "__pycache__" not in p.parts]
    return files


def execute_page(page: Path, notebook, timeout: int) -> PageRun:
    """Execute one page's notebook in a fresh kernel, in the page's folder.

    Run in its own process, the peak RSS of the children is the kernel's.
    """
    from jupyter_cache.executors.utils import single_nb_execution

    page = Path(page)
    result = single_nb_execution(notebook, cwd=str(page.parent), timeout=timeout,
                                 allow_errors=False, meta_override=True,
                                 kernel_manager_class=_quiet_kernel_manager())
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    if result.err is None:
        return PageRun(page, dict(result.nb), result.time, peak_kib / 2**20)
    cell, error = cell_error(result.nb, result.err)
    return PageRun(page, None, result.time, peak_kib / 2**20, error, failed_cell=cell)


#: The one line of a kernel's start-up we hold back: ipykernel says it on
#: every start over TCP (local kernels here), and it buries real warnings.
KERNEL_TCP_WARNING = "Kernel is running over TCP without encryption"


def _quiet_kernel_manager():
    """A kernel manager whose kernel's stderr reaches ours without KERNEL_TCP_WARNING."""
    from jupyter_client.manager import AsyncKernelManager

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw["stderr"] = subprocess.PIPE
            await super()._async_launch_kernel(kernel_cmd, **kw)
            process = getattr(self.provisioner, "process", None)
            if process is not None and process.stderr is not None:
                threading.Thread(target=forward_kernel_stderr, args=(process.stderr,),
                                 daemon=True).start()

    return QuietKernelManager


def forward_kernel_stderr(stream, to=None) -> None:
    """Copy a kernel's stderr (bytes, line by line) to ``to``, all but KERNEL_TCP_WARNING."""
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        if KERNEL_TCP_WARNING not in line:
            (to or sys.stderr).write(line)
            (to or sys.stderr).flush()
    stream.close()


def execute_pages(notebooks: dict[Path, dict], jobs: int, timeout: int) -> list[PageRun]:
    """Execute pages (page -> its notebook) ``jobs`` at a time, each in a fresh process."""
    positive_int("jobs", jobs)
    if not notebooks:
        return []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(notebooks)), mp_context=context,
                             max_tasks_per_child=1) as pool:
        return list(pool.map(execute_page, notebooks, notebooks.values(),
                             [timeout] * len(notebooks)))


def with_outputs(notebook, executed):
    """``notebook`` (one edition's page) with the outputs of ``executed`` (another's)."""
    import nbformat

    executed = nbformat.from_dict(executed)
    merged = nbformat.from_dict(dict(notebook))
    ours = [cell for cell in merged.cells if cell.cell_type == "code"]
    theirs = [cell for cell in executed.cells if cell.cell_type == "code"]
    if len(ours) != len(theirs):
        raise ValueError(f"the editions have {len(ours)} and {len(theirs)} code cells; "
                         "expected the same code cells in every edition")
    for cell, source in zip(ours, theirs):
        cell.outputs = source.outputs
        cell.execution_count = source.execution_count
    for key in ("kernelspec", "language_info"):
        if key in executed.metadata:
            merged.metadata[key] = executed.metadata[key]
    return merged


def read_pages(root: Path, editions, md_config) -> list[dict[Path, dict]]:
    """Every executable page of every edition, read once: one {page: notebook} per group."""
    return [{page: read_page(page, md_config) for page in group}
            for group in page_groups(root, editions)]


def prepare_cache(root: Path, cache_path: Path, jobs: int, editions, timeout: int,
                  log=print, md_config=None, report=None) -> list[PageRun]:
    """Bring the execution cache up to date for every page of every edition.

    Each page is parsed once. Returns the runs made (none when the cache was up
    to date). An author's mistakes go to ``report`` (a :class:`Mistake`; by
    default ``log`` prints it): a page whose run failed (left out of the cache,
    and executed once) and editions whose code differs (each executed on its own).
    """
    from jupyter_cache import get_cache

    report = report if report is not None else (lambda mistake: log(str(mistake)))
    md_config = md_config if md_config is not None else markdown_config(root)
    cache = get_cache(str(cache_path))
    digest, digests = dependency_digest(root), dependency_digests(root)
    previous, changed = _drop_stale(cache, digest, digests)
    if changed:
        log(f"{' and '.join(changed)} changed: executing every page")
    notebooks = {}
    stale = []
    for group in read_pages(root, editions, md_config):
        notebooks.update(group)
        runs_of_group = same_code(group)
        if len(runs_of_group) > 1:
            first, *others = group
            for other in others:
                difference = code_difference({first: group[first], other: group[other]}, root)
                if difference:
                    report(difference)
        stale += [pages for pages in runs_of_group
                  if not all(_cached(cache, group[page]) for page in pages)]
    stale.sort(key=lambda pages: -previous.get(str(pages[0]), 0.0))  # slowest first
    runs = execute_pages({pages[0]: notebooks[pages[0]] for pages in stale}, jobs, timeout)
    for pages, run in zip(stale, runs):
        run.shared_with = tuple(pages[1:])
        if run.error:
            report(failure(run, notebooks, root))
            continue
        _cache_run(cache, run, notebooks, digest, digests)
        shared = ", ".join(_name(page, root) for page in run.shared_with)
        log(f"{_name(run.page, root)}: executed in {run.seconds:.1f} s "
            f"(peak {run.peak_gib:.2f} GiB)"
            + (f", outputs shared with {shared}" if shared else ""))
    return runs


def _cache_run(cache, run: PageRun, notebooks: dict[Path, dict], digest: str,
               digests: dict[str, str] | None = None) -> None:
    """Cache the run's outputs under each page it serves (each edition's own key)."""
    from jupyter_cache.base import CacheBundleIn

    for page in run.pages:
        notebook = with_outputs(notebooks[page], run.notebook)
        data = {"execution_seconds": run.seconds, "peak_gib": run.peak_gib,
                "rnnbook_digest": digest, "dependency_digests": digests or {},
                "executed_as": str(run.page)}
        cache.cache_notebook_bundle(CacheBundleIn(notebook, str(page), data=data),
                                    check_validity=False, overwrite=True)


def _is_notebook(page: Path) -> bool:
    from myst_nb.core.read import is_myst_markdown_notebook

    return is_myst_markdown_notebook(page.read_text(encoding="utf-8"))


def _cached(cache, notebook) -> bool:
    try:
        cache.match_cache_notebook(notebook)
    except KeyError:
        return False
    return True


def _drop_stale(cache, digest: str, digests: dict[str, str] | None = None
                ) -> tuple[dict[str, float], list[str]]:
    """Remove records made with other dependencies.

    Returns every record's seconds by page, and which of ``DEPENDENCIES``
    changed since the dropped records were made (all, for a record that does
    not say).
    """
    seconds, changed = {}, set()
    for record in cache.list_cache_records():
        seconds[record.uri] = record.data.get("execution_seconds") or 0.0
        if record.data.get("rnnbook_digest") != digest:
            cache.remove_cache(record.pk)
            theirs = record.data.get("dependency_digests") or {}
            changed |= {name for name in DEPENDENCIES
                        if theirs.get(name) != (digests or {}).get(name)}
    return seconds, [name for name in DEPENDENCIES if name in changed]


def _name(page: Path, root: Path) -> str:
    return Path(page).relative_to(root).as_posix()


# --- Sphinx extension ------------------------------------------------------

def _on_builder_inited(app) -> None:
    from sphinx.util import logging

    config = app.env.mystnb_config  # set by myst-nb's own builder-inited handler
    if config.execution_mode != "cache":
        return
    logger = logging.getLogger(__name__)
    root = Path(app.srcdir)
    jobs = app.config.shared_execution_jobs or _cpu_count()

    def report(mistake: Mistake) -> None:
        logger.warning(mistake.message, type="shared_execution",
                       location=(_name(mistake.page, root).removesuffix(".md"), mistake.line))

    runs = prepare_cache(root, Path(config.execution_cache_path), jobs,
                         editions=tuple(app.config.edition_prefixes),
                         timeout=config.execution_timeout, log=logger.info,
                         md_config=app.env.myst_config, report=report)
    app._shared_execution_docnames = {_name(page, root).removesuffix(".md")
                                      for run in runs for page in run.pages}
    failed = [page for run in runs if run.error for page in run.pages]
    if failed:
        read_unexecuted(app, failed)


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Pages executed anew (e.g. after a change in rnnbook) must be read again."""
    return sorted(getattr(app, "_shared_execution_docnames", set()) - set(added) - set(changed))


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def setup(app) -> dict:
    # A page executed once serves both editions: what its cells say in a
    # language (rnnbook.show.language.Text) is shown in every language, and each
    # page keeps its own (edition_pages; the kernels inherit this variable).
    os.environ.setdefault(language.ENVIRONMENT, language.ALL)
    app.setup_extension("booktools.editions")
    app.add_config_value("shared_execution_jobs", 0, "env")  # 0: one per CPU core
    app.connect("builder-inited", _on_builder_inited, priority=900)  # after myst-nb's
    app.connect("env-get-outdated", _outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

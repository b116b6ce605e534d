"""Execute each page once for both editions, several at a time, before Sphinx reads them.

A Sphinx extension (listed in _config.yml) that serves the build, and a command:

    python -m rnnbook.shared_execution [--jobs N]   # fill the cache without building

myst-nb (``execute_notebooks: cache``) executes a page, one page at a time, when
jupyter-cache holds no notebook with the same code cells and cell metadata. The
editions' code cells differ only in comments (tests/test_pages.py), so at
``builder-inited`` this extension executes each page of the first edition once,
``jobs`` pages at a time, and caches the outputs under every edition's own key:
myst-nb then finds each page of each edition in the cache.

jupyter-cache keys on a page's code alone, so a change in ``rnnbook``, the
shipped weights or the pins would leave stale outputs. Each record here carries
a digest of those; a record with another digest (or none) is dropped and its
page executed again, and Sphinx is told to re-read it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import multiprocessing
import os
import resource
import sys
import tokenize
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(__file__).resolve().parent
EDITIONS = ("book/zh-TW/", "book/en/")
TIMEOUT = 300  # seconds per cell, as execute.timeout in _config.yml


@dataclass
class PageRun:
    """One execution of a page: its notebook with outputs, or the error it raised."""

    page: Path
    notebook: dict | None
    seconds: float
    peak_gib: float
    error: str | None = None
    shared_with: tuple[Path, ...] = ()  # pages of other editions given these outputs

    @property
    def pages(self) -> tuple[Path, ...]:
        return (self.page, *self.shared_with)


def page_groups(root: Path, editions=EDITIONS) -> list[tuple[Path, ...]]:
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


def book_config(root: Path = ROOT) -> dict:
    """The book's _config.yml in ``root`` as a dict (empty when there is none)."""
    import yaml

    config_file = Path(root) / "_config.yml"
    if not config_file.is_file():
        return {}
    return yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}


def markdown_config(root: Path = ROOT):
    """The MyST parser settings of the book in ``root`` (its _config.yml's extensions)."""
    from myst_parser.config.main import MdParserConfig

    extensions = (book_config(root).get("parse") or {}).get("myst_enable_extensions") or []
    return MdParserConfig(enable_extensions=set(extensions))


def book_extensions(root: Path = ROOT) -> set[str]:
    """The Sphinx extensions the book in ``root`` loads (its _config.yml's extra_extensions)."""
    return set((book_config(root).get("sphinx") or {}).get("extra_extensions") or [])


def read_page(page: Path, md_config=None):
    """The notebook myst-nb reads from a MyST Markdown page (so the cache keys agree).

    ``md_config`` must be the build's MyST settings (e.g. a colon fence can hold a
    code cell); by default, those of the book the page belongs to.
    """
    from myst_nb.core.read import read_myst_markdown_notebook

    text = Path(page).read_text(encoding="utf-8")
    config = md_config if md_config is not None else markdown_config(_book_root(Path(page)))
    return read_myst_markdown_notebook(text, config=config, add_source_map=True, path=str(page))


def _book_root(page: Path) -> Path:
    """The nearest folder above ``page`` with a _config.yml (else the page's folder)."""
    return next((folder for folder in page.resolve().parents
                 if (folder / "_config.yml").is_file()), page.parent)


def code_without_comments(source: str) -> str:
    """The code with comments and trailing blanks removed (comments may be translated)."""
    if not isinstance(source, str):
        raise TypeError(f"source must be a str of Python code, got {type(source).__name__}")
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                  if t.type != tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):  # not Python: compared as written
        return source.strip()
    return "\n".join(line.rstrip() for line in tokenize.untokenize(tokens).splitlines()).strip()


def same_code(pages, md_config=None) -> list[list[Path]]:
    """Split pages into runs of identical code (comments aside): each run executes once.

    The editions normally form one run; while an author has edited one edition's
    code and not yet the other's, each is executed on its own.
    """
    runs: dict[tuple, list[Path]] = {}
    for page in pages:
        cells = read_page(page, md_config).cells
        key = tuple(code_without_comments(c.source) for c in cells if c.cell_type == "code")
        runs.setdefault(key, []).append(Path(page))
    return list(runs.values())


def dependency_digest(root: Path = ROOT, package: Path = PACKAGE) -> str:
    """A digest of what pages execute besides their own code: rnnbook, weights/, the pins.

    The package's Sphinx extensions (named in the book's _config.yml) are left
    out: they shape the HTML, not what a page computes.
    """
    extensions = book_extensions(root)
    modules = [path for path in sorted(package.rglob("*.py"))
               if f"{package.name}.{path.stem}" not in extensions]
    files = modules + sorted((root / "weights").rglob("*")) + [root / "requirements.txt"]
    digest = hashlib.sha256()
    for path in files:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def execute_page(page: Path, timeout: int = TIMEOUT, md_config=None) -> PageRun:
    """Execute one page in a fresh kernel, in the page's folder.

    Run in its own process, the peak RSS of the children is the kernel's.
    """
    from jupyter_cache.executors.utils import single_nb_execution

    page = Path(page)
    notebook = read_page(page, md_config)
    result = single_nb_execution(notebook, cwd=str(page.parent), timeout=timeout,
                                 allow_errors=False, meta_override=True)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return PageRun(page, None if result.err else dict(result.nb), result.time,
                   peak_kib / 2**20, result.exc_string if result.err else None)


def execute_pages(pages: list[Path], jobs: int, timeout: int = TIMEOUT,
                  md_config=None) -> list[PageRun]:
    """Execute pages ``jobs`` at a time, each in a fresh process (for its own peak RSS)."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be a positive integer, got {jobs!r}")
    if not pages:
        return []
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(pages)), mp_context=context,
                             max_tasks_per_child=1) as pool:
        return list(pool.map(execute_page, pages, [timeout] * len(pages),
                             [md_config] * len(pages)))


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


def prepare_cache(root: Path, cache_path: Path, jobs: int, editions=EDITIONS,
                  timeout: int = TIMEOUT, log=print, md_config=None) -> list[PageRun]:
    """Bring the execution cache up to date for every page of every edition.

    Returns the runs made (none when the cache was up to date); a page whose run
    failed is left out of the cache for myst-nb to execute and report.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    md_config = md_config if md_config is not None else markdown_config(root)
    cache = get_cache(str(cache_path))
    digest = dependency_digest(root)
    previous = _drop_stale(cache, digest)
    stale = [pages for group in page_groups(root, editions)
             for pages in same_code(group, md_config)
             if not all(_cached(cache, page, md_config) for page in pages)]
    stale.sort(key=lambda pages: -previous.get(str(pages[0]), 0.0))  # slowest first
    runs = execute_pages([pages[0] for pages in stale], jobs, timeout, md_config)
    for pages, run in zip(stale, runs):
        run.shared_with = tuple(pages[1:])
        if run.error:
            log(f"{_name(run.page, root)}: failed when executed ahead; myst-nb will report it")
            continue
        for page in run.pages:
            notebook = with_outputs(read_page(page, md_config), run.notebook)
            data = {"execution_seconds": run.seconds, "peak_gib": run.peak_gib,
                    "rnnbook_digest": digest, "executed_as": str(run.page)}
            cache.cache_notebook_bundle(CacheBundleIn(notebook, str(page), data=data),
                                        check_validity=False, overwrite=True)
        shared = ", ".join(_name(page, root) for page in run.shared_with)
        log(f"{_name(run.page, root)}: executed in {run.seconds:.1f} s "
            f"(peak {run.peak_gib:.2f} GiB)" + (f", outputs shared with {shared}" if shared else ""))
    return runs


def _is_notebook(page: Path) -> bool:
    from myst_nb.core.read import is_myst_markdown_notebook

    return is_myst_markdown_notebook(page.read_text(encoding="utf-8"))


def _cached(cache, page: Path, md_config) -> bool:
    try:
        cache.match_cache_notebook(read_page(page, md_config))
    except KeyError:
        return False
    return True


def _drop_stale(cache, digest: str) -> dict[str, float]:
    """Remove records made with other dependencies; return every record's seconds by page."""
    seconds = {}
    for record in cache.list_cache_records():
        seconds[record.uri] = record.data.get("execution_seconds") or 0.0
        if record.data.get("rnnbook_digest") != digest:
            cache.remove_cache(record.pk)
    return seconds


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
    runs = prepare_cache(root, Path(config.execution_cache_path), jobs,
                         editions=tuple(app.config.edition_prefixes) or EDITIONS,
                         timeout=config.execution_timeout, log=logger.info,
                         md_config=app.env.myst_config)
    app._shared_execution_docnames = {_name(page, root).removesuffix(".md")
                                      for run in runs if not run.error for page in run.pages}


def _outdated(app, env, added, changed, removed) -> list[str]:
    """Pages executed anew (e.g. after a change in rnnbook) must be read again."""
    return sorted(getattr(app, "_shared_execution_docnames", set()) - set(added) - set(changed))


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def setup(app) -> dict:
    app.add_config_value("shared_execution_jobs", 0, "env")  # 0: one per CPU core
    app.connect("builder-inited", _on_builder_inited, priority=900)  # after myst-nb's
    app.connect("env-get-outdated", _outdated)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=_cpu_count())
    parser.add_argument("--cache", type=Path, default=ROOT / "_build" / ".jupyter_cache")
    args = parser.parse_args(argv)
    runs = prepare_cache(ROOT, args.cache, args.jobs)
    return 1 if any(run.error for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())

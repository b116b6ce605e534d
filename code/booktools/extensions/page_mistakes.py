"""What an author got wrong in a page, said once, at its ``.md`` line.

Used by :mod:`booktools.extensions.shared_execution`, which executes every page before
Sphinx reads it: a code cell that raised (:func:`failure`: the page, the line
that raised in each edition, the exception once) and editions whose code
differs (:func:`code_difference`: the first differing cell, its line in both
editions, the two lines). A page whose cell raised is read without its
outputs and without the warnings that follow from them
(:func:`read_unexecuted`), so the build reports each failing page once and
goes on to the next.
"""

from __future__ import annotations

import io
import logging
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path


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


@dataclass
class Mistake:
    """What an author must fix, at a line of a page: a cell that raised, or code that differs."""

    page: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}"


def code_cell_lines(page: Path, notebook) -> list[int]:
    """The ``.md`` line (1-based) of each code cell's fence, in order."""
    source_map = notebook.metadata.get("source_map") or []
    if len(source_map) != len(notebook.cells):
        raise ValueError(f"{page} was read without a source map; read it with read_page")
    return [line for cell, line in zip(notebook.cells, source_map) if cell.cell_type == "code"]


def _body_line(page_lines: list[str], fence: int, source: str) -> int:
    """The ``.md`` line of a cell's first line of code (after the fence and its options)."""
    first = source.splitlines()[0] if source.strip() else ""
    for number in range(fence + 1, min(fence + 40, len(page_lines) + 1)):
        if page_lines[number - 1] == first:
            return number
    return fence + 1


def _code_and_lines(page: Path, notebook) -> tuple[list[str], list[int], list[int]]:
    """Each code cell's source, its fence's line and its first code line's (1-based)."""
    lines = Path(page).read_text(encoding="utf-8").splitlines()
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    fences = code_cell_lines(page, notebook)
    return code, fences, [_body_line(lines, fence, source) for fence, source in zip(fences, code)]


def code_difference(pages: dict[Path, dict], root: Path | None = None) -> Mistake | None:
    """Where two editions' code first differs (comments aside), or None when it is the same.

    ``pages`` maps two pages (one per edition) to their notebooks, read with
    :func:`read_page`. The answer, at the first page's line, names the code
    cell (1 = the page's first), its ``.md`` line in both editions and the two
    differing lines.
    """
    (a, a_notebook), (b, b_notebook) = pages.items()

    def name(page):
        return _relative(page, root) if root is not None else str(page)

    (a_code, a_fences, a_lines), (b_code, b_fences, b_lines) = (
        _code_and_lines(a, a_notebook), _code_and_lines(b, b_notebook))
    for number, (a_source, b_source) in enumerate(zip(a_code, b_code), 1):
        a_kept, b_kept = code_without_comments(a_source), code_without_comments(b_source)
        if a_kept == b_kept:
            continue
        a_rows, b_rows = a_kept.splitlines(), b_kept.splitlines()
        row = next((i for i, (x, y) in enumerate(zip(a_rows, b_rows)) if x != y),
                   min(len(a_rows), len(b_rows)))

        def shown(page, source, kept_rows, first_line):
            rows = source.splitlines()
            text = (rows[row] if len(rows) == len(kept_rows) and row < len(rows)
                    else kept_rows[row] if row < len(kept_rows) else "(no more code in this cell)")
            return f"  {name(page)}:{first_line + row}: {text.strip()}"

        return Mistake(a, a_fences[number - 1],
                       f"code cell {number} differs between the editions (comments aside): "
                       f"{name(a)} line {a_fences[number - 1]}, {name(b)} line "
                       f"{b_fences[number - 1]}; every edition must run the same code\n"
                       + shown(a, a_source, a_rows, a_lines[number - 1]) + "\n"
                       + shown(b, b_source, b_rows, b_lines[number - 1]))
    if len(a_code) != len(b_code):
        longer, extra = ((a, a_fences) if len(a_code) > len(b_code) else (b, b_fences))
        shorter = b if longer == a else a
        number = min(len(a_code), len(b_code)) + 1
        at = a_fences[number - 1] if longer == a else (a_fences[-1] if a_fences else 1)
        return Mistake(a, at,
                       f"{name(longer)} has {max(len(a_code), len(b_code))} code cells and "
                       f"{name(shorter)} {min(len(a_code), len(b_code))}: code cell {number} "
                       f"({name(longer)} line {extra[number - 1]}) is missing from "
                       f"{name(shorter)}; every edition must run the same code")
    return None


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def cell_error(notebook, err) -> tuple[int, str]:
    """The code cell that stopped a run (0-based among code cells) and its error, as text."""
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    for number, cell in enumerate(code):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                traceback = "\n".join(output.get("traceback") or [])
                text = traceback or f"{output.get('ename')}: {output.get('evalue')}"
                return number, _ANSI.sub("", text).strip()
    ran = [number for number, cell in enumerate(code) if cell.get("execution_count") is not None]
    # A timeout (or a dead kernel): the cell that was running, and nbclient's words.
    return (ran[-1] if ran else 0), f"{type(err).__name__}: {_ANSI.sub('', str(err)).strip()}"


def failure(run, notebooks: dict[Path, dict], root: Path) -> Mistake:
    """A failed run (a shared_execution.PageRun) as a Mistake: the page, the ``.md`` line
    that raised in each edition, the exception once."""
    number = run.failed_cell or 0
    error = run.error or "an error"
    found = re.search(r"^Cell In\[\d+\], line (\d+)", error, re.M)
    places = []
    for page in run.pages:
        _, fences, bodies = _code_and_lines(page, notebooks[page])
        places.append(bodies[number] + int(found.group(1)) - 1 if found else fences[number])
    others = "".join(f"; {_relative(page, root)} line {line}"
                     for page, line in zip(run.shared_with, places[1:]))
    return Mistake(run.page, places[0],
                   f"code cell {number + 1} raised (line {places[0]}{others}); "
                   "the page is not executed again:\n" + _indent(error))


def _indent(text: str) -> str:
    return "\n".join("    " + line if line else "" for line in text.splitlines())


def read_unexecuted(app, pages: list[Path]) -> None:
    """Pages whose code failed: myst-nb reads them without executing them again, and
    what follows from the failure (missing glue values, ...) is not reported: the
    failure, reported once, is what the author must fix."""
    from sphinx.util import logging as sphinx_logging

    app.env.mystnb_config = app.env.mystnb_config.copy(execution_excludepatterns=[
        *app.env.mystnb_config.execution_excludepatterns,
        *(Path(page).resolve().as_posix() for page in pages)])
    quiet = _QuietAbout({Path(page).resolve() for page in pages}, app)
    for handler in logging.getLogger(sphinx_logging.NAMESPACE).handlers:
        if isinstance(handler, sphinx_logging.WarningStreamHandler):
            handler.filters.insert(0, quiet)  # before Sphinx counts the warning


class _QuietAbout(logging.Filter):
    """Drops the warnings located in some pages, but this extension's own."""

    def __init__(self, pages: set[Path], app) -> None:
        super().__init__()
        self.pages, self.app = pages, app

    def filter(self, record) -> bool:
        if getattr(record, "type", None) == "shared_execution":
            return True
        return self._page(getattr(record, "location", None)) not in self.pages

    def _page(self, location) -> Path | None:
        from docutils import nodes
        from docutils.utils import get_source_line

        if isinstance(location, tuple):
            location = location[0]
        elif isinstance(location, nodes.Node):
            location = get_source_line(location)[0]
        if not location:
            return None
        path_and_line = re.fullmatch(r"(.+):(\d*)", str(location))  # "path:line", "path:"
        if path_and_line:
            return Path(path_and_line.group(1)).resolve()
        return Path(self.app.env.doc2path(str(location))).resolve()            # a docname


def _relative(page: Path, root: Path) -> str:
    return Path(page).relative_to(root).as_posix()

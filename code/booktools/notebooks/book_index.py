"""What a page's cross-references point to, read from the book's sources (student notebooks).

A student notebook replaces MyST's roles by plain Markdown: a ``{ref}`` by a
link with the section's title, an ``{eq}`` by the equation's number, a
``{cite:t}`` by "Author (year)", a figure by its number. Sphinx knows all of
that during a build, but Binder converts the pages without one, so the index
is read from the sources: labels and headings from the pages, equations and
figures counted per edition in the table of contents' order (as
``booktools.extensions.edition_numbers`` numbers them), citations from the .bib file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from booktools.book import book_config, editions, toc_pages
from booktools.editions import edition_of

_LABEL_HEADING = re.compile(r"^\((?P<label>[\w.-]+)\)=\s*\n+#+ (?P<title>.+)$", re.M)
_EQUATION = re.compile(r"^\$\$\s*\n.*?\n\$\$\s*\((?P<label>[\w.-]+)\)\s*$", re.M | re.S)
_FIGURE = re.compile(r"^```\{figure\}.*?\n:name: (?P<name>[\w.-]+)|"
                     r"^ {4}name: (?P<cell>[\w.-]+)\s*$", re.M)   # a plot's cell: mystnb.figure


@dataclass(frozen=True)
class Target:
    """Where a label points: the page (a docname) and the title to show."""

    docname: str
    title: str
    anchor: str = ""


@dataclass
class BookIndex:
    """Labels, numbers and citations of the whole book, and the published site's address."""

    site: str
    chapter: int
    labels: dict[str, Target] = field(default_factory=dict)
    numbers: dict[str, str] = field(default_factory=dict)       # equation or figure -> "18.3"
    citations: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (authors, year)
    glossaries: dict[str, str] = field(default_factory=dict)     # edition prefix -> docname

    def url(self, docname: str, anchor: str = "") -> str:
        return f"{self.site}{docname}.html" + (f"#{anchor}" if anchor else "")


def toc_docnames(root: Path) -> list[str]:
    """The book's pages in the order of _toc.yml (docnames, without .md)."""
    return toc_pages(root)


def book_index(root: Path) -> BookIndex:
    """The index of the book in ``root`` (its _config.yml, _toc.yml, pages and .bib)."""
    root = Path(root)
    config = book_config(root)
    sphinx = (config.get("sphinx") or {}).get("config") or {}
    site = (config.get("html") or {}).get("baseurl", "").rstrip("/") + "/"
    index = BookIndex(site=site, chapter=int(sphinx.get("edition_chapter", 1)))
    counts: dict[str, int] = {}
    for docname in toc_docnames(root):
        text = (root / f"{docname}.md").read_text(encoding="utf-8")
        _index_page(index, docname, text, editions(root), counts)
    for bib in config.get("bibtex_bibfiles", []):
        index.citations.update(citations(root / bib))
    return index


def _index_page(index: BookIndex, docname: str, text: str, prefixes, counts: dict) -> None:
    for match in _LABEL_HEADING.finditer(text):
        page_label = match.start() == _LABEL_HEADING.search(text).start()
        index.labels[match["label"]] = Target(docname, _plain_title(match["title"]),
                                              "" if page_label else match["label"])
    edition = edition_of(docname, prefixes)
    if edition is None:
        return
    if docname.endswith("/glossary"):
        index.glossaries[edition] = docname
    for kind, pattern in (("equation", _EQUATION), ("figure", _FIGURE)):
        for match in pattern.finditer(text):
            label = match.groupdict().get("label") or match["name"] or match["cell"]
            counts[edition + kind] = counts.get(edition + kind, 0) + 1
            index.numbers[label] = f"{index.chapter}.{counts[edition + kind]}"


def _plain_title(title: str) -> str:
    return re.sub(r"\{\w+\}`([^`<]*?)(?:\s*<[^>]*>)?`", r"\1", title).strip()


def citations(bib: Path) -> dict[str, tuple[str, str]]:
    """Each entry of a .bib file as (authors as cited, year): "Elman", "Rumelhart et al."."""
    from pybtex.database import parse_file

    entries = {}
    for key, entry in parse_file(str(bib)).entries.items():
        people = [" ".join(person.last_names) for person in entry.persons.get("author", [])]
        authors = (people[0] if len(people) == 1 else
                   " and ".join(people) if len(people) == 2 else f"{people[0]} et al.")
        entries[key] = (_latex_free(authors), entry.fields.get("year", ""))
    return entries


def _latex_free(text: str) -> str:
    return re.sub(r"[{}\\]", "", text)

"""The book's own facts, each read from the one place it is written.

- the repository root (where _config.yml is);
- _toc.yml: the book's pages, in order (``toc_pages``; every list or count of
  pages in the code and the tests comes from it);
- _config.yml: the editions and chapter number (``sphinx.config``), the
  per-cell execution timeout (``execute.timeout``) and the MyST extensions;
- the Makefile: the flags ``make book`` builds with (``BUILD_FLAGS``).

The Sphinx extensions read the same values from ``app.config``; tools that run
outside Sphinx (the bench, the build timing, tests) read them here.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def book_config(root: Path = ROOT) -> dict:
    """The book's _config.yml in ``root`` as a dict (empty when there is none)."""
    import yaml

    config_file = Path(root) / "_config.yml"
    if not config_file.is_file():
        return {}
    return yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}


def sphinx_config(root: Path = ROOT) -> dict:
    """The values _config.yml passes to Sphinx (``sphinx.config``)."""
    return (book_config(root).get("sphinx") or {}).get("config") or {}


def editions(root: Path = ROOT) -> tuple[str, ...]:
    """The editions' folders, first edition first (``edition_prefixes``)."""
    return tuple(sphinx_config(root).get("edition_prefixes") or ())


def execution_timeout(root: Path = ROOT) -> int:
    """Seconds a cell may run (``execute.timeout``)."""
    return int((book_config(root).get("execute") or {}).get("timeout", 30))


def markdown_config(root: Path = ROOT):
    """The MyST parser settings of the book in ``root`` (its _config.yml's extensions)."""
    from myst_parser.config.main import MdParserConfig

    extensions = (book_config(root).get("parse") or {}).get("myst_enable_extensions") or []
    return MdParserConfig(enable_extensions=set(extensions))


def build_flags(root: Path = ROOT) -> tuple[str, ...]:
    """The flags of ``jupyter-book build`` in ``make book`` (the Makefile's BUILD_FLAGS)."""
    makefile = (Path(root) / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^BUILD_FLAGS\s*:?=\s*(.+)$", makefile, re.MULTILINE)
    if match is None:
        raise ValueError(f"{root}/Makefile sets no BUILD_FLAGS; expected a line "
                         "'BUILD_FLAGS := -n -W --keep-going'")
    return tuple(match.group(1).split())


def toc_pages(root: Path = ROOT) -> list[str]:
    """Every page of _toc.yml in order, as a docname ("book/en/18-2"), the root first."""
    import yaml

    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("chapters"))
            walk(entry.get("sections"))

    for part in toc.get("parts") or []:
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return pages

"""The editions of the book: which folders they are and which language each speaks.

A Sphinx extension that owns two settings of _config.yml's ``sphinx.config``:
``edition_prefixes`` (document-name prefixes, one per edition, the first
edition first) and ``edition_chapter`` (the course's chapter number). The
extensions that need them set this one up and read ``app.config``; code that
runs outside Sphinx reads them with :func:`booktools.book.editions`.
"""

from __future__ import annotations

import re


def edition_of(pagename: str, prefixes) -> str | None:
    """The prefix (e.g. ``book/en/``) of the edition a page belongs to, or None."""
    if not isinstance(pagename, str):
        raise TypeError(f"pagename must be a str such as 'book/en/18-1', got {pagename!r}")
    return next((prefix for prefix in prefixes if pagename.startswith(prefix)), None)


def language_of(prefix: str) -> str:
    """The language tag an edition's folder is named after: ``book/zh-TW/`` -> ``zh-TW``."""
    tag = prefix.rstrip("/").rsplit("/", 1)[-1]
    if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)*", tag):
        raise ValueError(f"edition folder {prefix!r} is not named after a language tag "
                         "such as 'en' or 'zh-TW'")
    return tag


def counterparts(pagename: str, prefixes, docnames) -> dict[str, str]:
    """The same page in each other edition that has it: {language: docname}."""
    own = edition_of(pagename, prefixes)
    if own is None:
        return {}
    rest = pagename[len(own):]
    return {language_of(prefix): prefix + rest for prefix in prefixes
            if prefix != own and prefix + rest in docnames}


def setup(app) -> dict:
    app.add_config_value("edition_prefixes", [], "env")
    app.add_config_value("edition_chapter", 1, "env")
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""What Sphinx writes that assistive technology misreads, mended in each page's HTML.

A Sphinx extension (listed in _config.yml), found with axe-core
(booktools.bench.page_audit):
- docutils writes a bibliography as ``<div role="list">`` holding
  ``<div role="doc-biblioentry">`` entries. ARIA 1.2 deprecated that role, so
  a list is left with no items and its entries' links count as children a
  list may not have (axe: ``aria-required-children``, critical). Each entry
  becomes a ``listitem``: a list of references, read as one.
"""

from __future__ import annotations

import re

_BIBLIOGRAPHY_ENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')


def bibliography_as_list(body: str) -> str:
    """``body`` (page HTML) with each bibliography entry a list item of its list."""
    return _BIBLIOGRAPHY_ENTRY.sub(r'\1 role="listitem"', body)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        context["body"] = bibliography_as_list(context["body"])


def setup(app) -> dict:
    app.connect("html-page-context", _on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

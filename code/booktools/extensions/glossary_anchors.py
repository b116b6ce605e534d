"""Glossary anchors named after the English term, the same in both editions.

A Sphinx extension (listed in _config.yml). Sphinx names a glossary term's
anchor after its text, and a term without Latin letters after a counter
(``#term-0``, ``#term-1``, ...), which shifts whenever a term is added. This
names every glossary term's anchor after its English term: the term itself in
the English glossary, and in a glossary of another language the index key
written after it (Sphinx's classifier, not shown on the page)::

    時間步 : time step
      （time step）序列中的一個時間點……

so both editions' "time step" is ``glossary.html#term-time-step``.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging

logger = logging.getLogger(__name__)


def anchor(english: str) -> str:
    """The anchor of a glossary term: ``"tf.stack"`` -> ``"term-tf-stack"``."""
    if not isinstance(english, str):
        raise TypeError(f"english must be a str such as 'time step', got {english!r}")
    slug = re.sub(r"[^a-z0-9]+", "-", english.lower()).strip("-")
    if not slug:
        raise ValueError(f"{english!r} has no Latin letters or digits to name an anchor after: "
                         "write the English term after the headword, 'headword : English term'")
    return f"term-{slug}"


def rename_terms(app, doctree: nodes.document) -> None:
    """Give the page's glossary terms their English anchors (ids, index, cross-references)."""
    std = app.env.get_domain("std")
    docname = app.env.docname
    seen = {}
    for glossary in doctree.findall(addnodes.glossary):
        for term in glossary.findall(nodes.term):
            index = next(iter(term.findall(addnodes.index)), None)
            text = term.astext()
            key = next((entry[4] for entry in (index["entries"] if index else [])
                        if entry[4]), None)
            if key is None and re.search(r"[\u3400-\u9fff]", text):
                logger.warning(f"glossary term {text!r} has no English term to name its anchor "
                               f"after: write '{text} : English term'", location=term)
                continue
            try:
                new = anchor(key or text)
            except ValueError as error:
                logger.warning(str(error), location=term)
                continue
            if new in seen:
                logger.warning(f"glossary terms {seen[new]!r} and {text!r} would share the "
                               f"anchor #{new}", location=term)
                continue
            seen[new] = text
            for old in term["ids"]:
                doctree.ids.pop(old, None)
            term["ids"] = [new]
            doctree.ids[new] = term
            if index is not None:
                index["entries"] = [(kind, value, new, main, key)
                                    for kind, value, _, main, key in index["entries"]]
            std.objects[("term", text)] = (docname, new)
            std._terms[text.lower()] = (docname, new)


def setup(app) -> dict:
    app.connect("doctree-read", rename_terms)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""A small Sphinx extension: number figures and exercises per edition.

Both editions live in one Sphinx project, and Sphinx numbers figures (and
sphinx-exercise's exercises) across the whole book, so the English edition's
first figure would be "Fig. 10". This renumbers each edition on its own, with
the course's chapter number in front: figure 3 of either edition is
"Fig. 18.3", and the same figure has the same number in both editions.

Enabled in _config.yml (``sphinx.extra_extensions``); the editions and the
chapter number are ``booktools.editions``' settings.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment


def renumber(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Replace Sphinx's book-wide numbers by (chapter, n) counted within each edition."""
    chapter = app.config.edition_chapter
    changed = set()
    for prefix in app.config.edition_prefixes:
        docs = {doc: types for doc, types in env.toc_fignumbers.items() if doc.startswith(prefix)}
        figtypes = {figtype for types in docs.values() for figtype in types}
        for figtype in figtypes:
            # Sphinx's numbers already follow the table of contents: keep their order.
            entries = sorted((number, doc, node_id) for doc, types in docs.items()
                             for node_id, number in types.get(figtype, {}).items())
            for count, (number, doc, node_id) in enumerate(entries, start=1):
                if number != (chapter, count):
                    env.toc_fignumbers[doc][figtype][node_id] = (chapter, count)
                    changed.add(doc)
    return sorted(changed)


def setup(app: Sphinx) -> dict:
    app.setup_extension("booktools.editions")
    # After Sphinx's own TocTreeCollector (priority 500) has assigned the numbers.
    app.connect("env-get-updated", renumber, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

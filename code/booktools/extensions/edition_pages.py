"""Each edition's pages in their own language: lang attribute, language switch, titles.

A Sphinx extension (listed in _config.yml). Both editions live in one Sphinx
project whose ``language`` is English, so by itself every page would say
``<html lang="en">`` (wrong fonts, wrong screen-reader voice for the zh-TW
edition) and sphinx-exercise would title the zh-TW exercises "Exercise".
For each page of an edition (``booktools.editions``) this sets the page's
language from the folder name (``book/zh-TW/`` -> ``zh-TW``), adds a header
button that goes to the same page of the other edition(s), and translates
the English titles of exercises and notes for editions listed in ``TITLES``.
"""

from __future__ import annotations

import re

from booktools.editions import counterparts, edition_of, language_of
from rnnbook.show.language import CSS_CLASS

#: One language's words in a cell's output (rnnbook.show.language.to_html; no nested spans).
_LANGUAGE_SPAN = re.compile(rf'<span class="{CSS_CLASS}" lang="(?P<lang>[^"]+)">.*?</span>',
                            re.S)

#: Edition language -> label of its language-switch button.
LANGUAGE_NAMES = {"zh-TW": "中文", "en": "English"}

#: The English titles sphinx-exercise and the admonitions give, per edition language.
TITLES = {"zh-TW": {"Exercise": "練習", "Solution to": "解答", "Note": "注意"}}


def translate_titles(body: str, language: str) -> str:
    """sphinx-exercise's English titles in ``body`` (page HTML) in ``language``."""
    for english, translated in TITLES.get(language, {}).items():
        # Only where the title is a whole text node: ">Exercise 18.1", ">Solution to<".
        body = re.sub(rf"(?<=>)(\s*){re.escape(english)}(?=[\s<])", rf"\g<1>{translated}", body)
    return body


def keep_own_language(body: str, language: str) -> str:
    """``body`` (page HTML) without the words that outputs hold for the other editions.

    A page executes once for both editions (rnnbook.show.language.ALL), so what a
    cell says is in every language, one span each; a page keeps its own.
    """
    def other(match: re.Match) -> str:
        return match[0] if match["lang"] == language else ""

    return _LANGUAGE_SPAN.sub(other, body)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    prefixes = app.config.edition_prefixes
    prefix = edition_of(pagename, prefixes)
    if prefix is None:
        return
    language = language_of(prefix)
    context["language"] = language
    if "body" in context:
        context["body"] = keep_own_language(translate_titles(context["body"], language),
                                            language)
    for other, docname in counterparts(pagename, prefixes, app.env.all_docs).items():
        context.setdefault("header_buttons", []).insert(0, {
            "type": "link",
            "url": context["pathto"](docname),
            "text": LANGUAGE_NAMES.get(other, other),
            "tooltip": f"{LANGUAGE_NAMES.get(other, other)} ({other})",
            "icon": "fas fa-language",
            "label": f"language-switch-{other}",
        })


def setup(app) -> dict:
    app.setup_extension("booktools.editions")
    # After the theme has filled header_buttons (sphinx-book-theme: priority 501).
    app.connect("html-page-context", _on_page_context, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The student's language: feedback and printed labels in the page's language (the labs).

A zh-TW page speaks Traditional Chinese (Taiwan usage) and an English page
English, in every form a reader meets it. What a cell shows in a language is
a :class:`Text` holding every language; which one is shown is decided when it
is displayed, by :func:`current_language`:

1. :func:`set_language` (a student notebook's first cell calls it);
2. the ``RNNBOOK_LANGUAGE`` environment variable;
3. the folder the kernel runs in: ``.../zh-TW/...`` or ``.../en/...`` (a
   page opened where it lives, as Binder and the build run it);
4. English.

The book build executes each page once for both editions
(``booktools.extensions.shared_execution``) and sets ``RNNBOOK_LANGUAGE=all``: a Text is
then shown in every language at once, each part marked with its ``lang``,
and each page of the book keeps its own (``booktools.extensions.edition_pages``).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

#: The editions' languages, the page's default first.
LANGUAGES = ("zh-TW", "en")
ENGLISH = "en"
#: Every language at once (the book build; each page keeps its own).
ALL = "all"
ENVIRONMENT = "RNNBOOK_LANGUAGE"

_chosen: str | None = None


def set_language(language: str | None) -> None:
    """Show every Text in ``language`` ("zh-TW", "en" or "all"); None: decide as usual."""
    global _chosen
    if language is not None and language not in (*LANGUAGES, ALL):
        raise ValueError(f"language must be one of {(*LANGUAGES, ALL)} or None, "
                         f"got {language!r}")
    _chosen = language


def current_language() -> str:
    """The language Texts are shown in now (see the module's docstring for the order)."""
    if _chosen is not None:
        return _chosen
    named = os.environ.get(ENVIRONMENT, "")
    if named in (*LANGUAGES, ALL):
        return named
    return language_of_folder(Path.cwd()) or ENGLISH


def language_of_folder(folder: Path) -> str | None:
    """The edition a folder belongs to (``book/zh-TW/labs`` -> ``zh-TW``), or None."""
    parts = Path(folder).parts
    return next((part for part in reversed(parts) if part in LANGUAGES), None)


@dataclass(frozen=True)
class Text:
    """One thing to say, in each edition's language. Backquoted `code` stays code."""

    en: str
    zh_TW: str

    def __post_init__(self) -> None:
        for name in ("en", "zh_TW"):
            if not isinstance(getattr(self, name), str):
                raise TypeError(f"Text.{name} must be a str, got "
                                f"{type(getattr(self, name)).__name__}")

    def in_language(self, language: str) -> str:
        """The text in ``language`` ("zh-TW" or "en")."""
        return self.zh_TW if language == "zh-TW" else self.en

    def __str__(self) -> str:
        language = current_language()
        if language == ALL:
            return " / ".join(self.in_language(code) for code in LANGUAGES)
        return self.in_language(language)

    def __add__(self, other: Text) -> Text:
        if not isinstance(other, Text):
            return NotImplemented
        return Text(self.en + other.en, self.zh_TW + other.zh_TW)

    def _repr_html_(self) -> str:
        return to_html(self)


#: The class of the HTML span that holds one language's words (booktools.extensions.edition_pages
#: keeps only the page's own on each page of the book).
CSS_CLASS = "rnnbook-text"


def to_html(text: Text, css_class: str = CSS_CLASS) -> str:
    """``text`` as HTML: one language, or (in the build) each language in its own span."""
    language = current_language()
    languages = LANGUAGES if language == ALL else (language,)
    return "".join(f'<span class="{css_class}" lang="{code}">'
                   f"{_code_spans(text.in_language(code))}</span>" for code in languages)


def _code_spans(message: str) -> str:
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(message))


def show(en: str, zh_TW: str) -> None:
    """Display a label in the page's language (a cell's ``print`` for prose)."""
    from IPython.display import display

    text = Text(en, zh_TW)
    display({"text/plain": str(text), "text/html": to_html(text)}, raw=True)


def say(en: str, zh_TW: str, **fields) -> Text:
    """A Text from one template a language, each ``{name}`` filled with ``fields[name]``.

    A field that is a Text is filled in with its own text in each language;
    anything else (a shape, a number, code) is the same in both. The
    templates are ``str.format`` templates, so ``{value:.3g}`` works too.
    """
    return Text(_filled(en, ENGLISH, fields), _filled(zh_TW, "zh-TW", fields))


def _filled(template: str, language: str, fields: dict) -> str:
    return template.format(**{name: value.in_language(language) if isinstance(value, Text)
                              else value for name, value in fields.items()})


def as_text(message: Text | str) -> Text:
    """``message`` as a Text; a plain str says the same in every language."""
    if isinstance(message, Text):
        return message
    if not isinstance(message, str):
        raise TypeError(f"message must be a Text or a str, got {type(message).__name__}")
    return Text(message, message)

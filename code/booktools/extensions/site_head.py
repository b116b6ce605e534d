"""What every page's <head> carries: Open Graph tags, each script once, and no
script the page does not use.

A Sphinx extension (listed in _config.yml).
- sphinxext-opengraph wants ``ogp_site_url`` and ``ogp_site_name``; without
  them it writes relative ``og:url`` values and "Project name not set". They
  are the site address (``html.baseurl``) and the book's title, so they are
  taken from there rather than typed twice.
- sphinx-thebe and sphinx-togglebutton add their inline settings scripts twice
  in this Sphinx (``const THEBE_JS_URL`` declared twice is a SyntaxError in
  every page's console); a script identical to an earlier one is dropped.
- MathJax (1.1 MB) loads only on pages with math. Sphinx loads it on any page
  whose table of contents reaches a page with math: the landing page too.
- An edition's own search page (``book/zh-TW/search``, from
  :mod:`booktools.extensions.interface_language`) loads Sphinx's search scripts once.
  The theme's layout loads them on every page but the one named ``search``,
  and its search template loads them again: twice on an edition's search
  page, where ``const`` declared twice is a SyntaxError in the console
  (:func:`search_scripts_only_on_the_site_search`).
- Font Awesome's script (1.5 MB) is not loaded. pydata-sphinx-theme loads it
  only so that users can add icons of their own; the theme's icons are drawn
  by Font Awesome's web font, which its CSS loads anyway. The book adds no
  icon, so the theme's macros are used without that one line
  (:func:`write_lean_theme_macros`).
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

#: What marks math in a page's HTML: Sphinx's math nodes, or TeX delimiters in an output.
_MATH = re.compile(r'class="[^"]*\bmath\b|\\\(|\\\[|\$\$')
#: The theme's macros file (pydata-sphinx-theme) and the line that loads Font Awesome's script.
THEME_MACROS = "static/webpack-macros.html"
#: The theme's search page template, and the block in it that loads the search scripts.
THEME_SEARCH = "search.html"
_SEARCH_SCRIPTS = re.compile(r"(\{% block scripts -%\}\s*\{\{ super\(\) \}\})(.*?)"
                             r"(\{%-? endblock scripts %\})", re.S)
_FONTAWESOME_SCRIPT = re.compile(r"^.*<script\b[^>]*scripts/fontawesome\.js[^>]*></script>\n",
                                 re.M)


def fill_open_graph(app, config) -> None:
    """Default ``ogp_site_url``/``ogp_site_name`` to ``html_baseurl``/``html_title``."""
    if not getattr(config, "ogp_site_url", None) and config.html_baseurl:
        config.ogp_site_url = config.html_baseurl
    if not getattr(config, "ogp_site_name", None) and config.html_title:
        config.ogp_site_name = config.html_title


def unique_scripts(scripts: list) -> list:
    """The scripts in order, without repeats (same file or body, same attributes).

    An inline script's file name is None or "" depending on who added it.
    """
    seen, kept = set(), []
    for script in scripts:
        filename = getattr(script, "filename", script) or ""
        attributes = getattr(script, "attributes", {}) or {}
        key = (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    return kept


def has_math(body: str) -> bool:
    """Whether a page's HTML body holds math for MathJax to typeset."""
    return bool(_MATH.search(body))


def without_mathjax(scripts: list) -> list:
    """The scripts without MathJax and its inline settings (``window.MathJax = ...``)."""
    def is_mathjax(script) -> bool:
        filename = str(getattr(script, "filename", script) or "")
        body = (getattr(script, "attributes", {}) or {}).get("body", "")
        return "mathjax" in filename.lower() or body.lstrip().startswith("window.MathJax")

    return [script for script in scripts if not is_mathjax(script)]


def without_fontawesome_script(macros: str) -> str:
    """The theme's macros without the line that loads Font Awesome's script.

    Raises ValueError when the line is not there: a new theme version changed
    how it loads Font Awesome, and this must be looked at again.
    """
    lean, count = _FONTAWESOME_SCRIPT.subn("", macros)
    if count != 1:
        raise ValueError(f"expected one fontawesome.js <script> line in the theme's "
                         f"{THEME_MACROS}, found {count}")
    return lean


def search_scripts_only_on_the_site_search(template: str) -> str:
    """The theme's search template, loading the search scripts only on the page ``search``.

    Every other page, an edition's search page too, has them from the
    layout. Raises ValueError when the block is not there (a new theme
    version: look again).
    """
    lean, count = _SEARCH_SCRIPTS.subn(
        r"\1{% if pagename == 'search' %}\2{% endif %}\3", template)
    if count != 1:
        raise ValueError(f"expected one scripts block calling super() in the theme's "
                         f"{THEME_SEARCH}, found {count}")
    return lean


#: Each shadowed theme template: its path in the theme and what the book changes in it.
LEAN_TEMPLATES = ((THEME_MACROS, without_fontawesome_script),
                  (THEME_SEARCH, search_scripts_only_on_the_site_search))


def write_lean_theme_macros(app, config) -> None:
    """Shadow the theme's templates of :data:`LEAN_TEMPLATES` with the book's copies.

    The copies are written under the doctree folder and put first on the
    templates path, so a theme upgrade is copied again, not frozen here.
    """
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    folder = Path(app.doctreedir) / "booktools-templates"
    for name, change in LEAN_TEMPLATES:
        try:
            lean = change((theme / name).read_text(encoding="utf-8"))
        except ValueError as error:
            logger.warning(f"the theme's {name} is used as it is: {error}")
            continue
        copy = folder / name
        # Rewritten only when it changes: a newer template makes Sphinx write every page again.
        if not copy.is_file() or copy.read_text(encoding="utf-8") != lean:
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(lean, encoding="utf-8")
    config.templates_path = [str(folder), *config.templates_path]


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        scripts = unique_scripts(context["script_files"])
        if "body" in context and not has_math(context["body"]):
            scripts = without_mathjax(scripts)
        context["script_files"] = scripts


def setup(app) -> dict:
    app.connect("config-inited", fill_open_graph)
    app.connect("config-inited", write_lean_theme_macros)
    app.connect("html-page-context", _on_page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

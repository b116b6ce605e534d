"""What every page's <head> carries: Open Graph tags, and each script once.

A Sphinx extension (listed in _config.yml).
- sphinxext-opengraph wants ``ogp_site_url`` and ``ogp_site_name``; without
  them it writes relative ``og:url`` values and "Project name not set". They
  are the site address (``html.baseurl``) and the book's title, so they are
  taken from there rather than typed twice.
- sphinx-thebe and sphinx-togglebutton add their inline settings scripts twice
  in this Sphinx (``const THEBE_JS_URL`` declared twice is a SyntaxError in
  every page's console); a script identical to an earlier one is dropped.
"""

from __future__ import annotations


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


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    if "script_files" in context:
        context["script_files"] = unique_scripts(context["script_files"])


def setup(app) -> dict:
    app.connect("config-inited", fill_open_graph)
    app.connect("html-page-context", _on_page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

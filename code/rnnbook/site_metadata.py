"""Open Graph tags from the book's own title and address (one place: _config.yml).

A Sphinx extension (listed in _config.yml, before sphinxext.opengraph reads its
settings). sphinxext-opengraph wants ``ogp_site_url`` and ``ogp_site_name``;
without them it writes relative ``og:url`` values and "Project name not set".
They are the site address (``html.baseurl``) and the book's title, so they are
taken from there rather than typed twice.
"""

from __future__ import annotations


def fill_open_graph(app, config) -> None:
    """Default ``ogp_site_url``/``ogp_site_name`` to ``html_baseurl``/``html_title``."""
    if not getattr(config, "ogp_site_url", None) and config.html_baseurl:
        config.ogp_site_url = config.html_baseurl
    if not getattr(config, "ogp_site_name", None) and config.html_title:
        config.ogp_site_name = config.html_title


def setup(app) -> dict:
    app.connect("config-inited", fill_open_graph)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Open Graph settings default to the site's address and title (booktools.site_head)."""

from types import SimpleNamespace

from booktools.site_head import fill_open_graph


def _config(**values):
    defaults = dict(ogp_site_url="", ogp_site_name=False, html_baseurl="https://x.github.io/b/",
                    html_title="Book")
    return SimpleNamespace(**{**defaults, **values})


def test_defaults_come_from_the_base_url_and_title():
    config = _config()
    fill_open_graph(None, config)
    assert (config.ogp_site_url, config.ogp_site_name) == ("https://x.github.io/b/", "Book")


def test_values_set_on_purpose_are_kept():
    config = _config(ogp_site_url="https://elsewhere/", ogp_site_name="Other")
    fill_open_graph(None, config)
    assert (config.ogp_site_url, config.ogp_site_name) == ("https://elsewhere/", "Other")


def test_no_base_url_leaves_the_site_url_unset():
    config = _config(html_baseurl="")
    fill_open_graph(None, config)
    assert config.ogp_site_url == ""


def test_repeated_scripts_are_dropped_in_order():
    from sphinx.builders.html._assets import _JavaScript

    from booktools.site_head import unique_scripts

    body = 'const THEBE_JS_URL = "x"'
    scripts = [_JavaScript("a.js"), _JavaScript(None, body=body),
               _JavaScript("b.js", defer="defer"), _JavaScript("", body=body),
               _JavaScript("b.js"), _JavaScript("a.js")]
    kept = unique_scripts(scripts)
    assert kept == [scripts[0], scripts[1], scripts[2], scripts[4]]
    assert unique_scripts(["old.js", "old.js"]) == ["old.js"]  # old-style str entries

"""Open Graph settings default to the site's address and title (rnnbook.site_metadata)."""

from types import SimpleNamespace

from rnnbook.site_metadata import fill_open_graph


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

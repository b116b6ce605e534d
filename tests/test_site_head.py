"""Open Graph settings default to the site's address and title (booktools.extensions.site_head)."""

from types import SimpleNamespace

from booktools.extensions.site_head import fill_open_graph


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

    from booktools.extensions.site_head import unique_scripts

    body = 'const THEBE_JS_URL = "x"'
    scripts = [_JavaScript("a.js"), _JavaScript(None, body=body),
               _JavaScript("b.js", defer="defer"), _JavaScript("", body=body),
               _JavaScript("b.js"), _JavaScript("a.js")]
    kept = unique_scripts(scripts)
    assert kept == [scripts[0], scripts[1], scripts[2], scripts[4]]
    assert unique_scripts(["old.js", "old.js"]) == ["old.js"]  # old-style str entries


def test_math_is_found_in_sphinx_math_nodes_and_in_outputs_tex():
    from booktools.extensions.site_head import has_math

    assert has_math('<span class="math notranslate nohighlight">\\(s_t\\)</span>')
    assert has_math('<div class="output">loss \\(\\ln 5\\)</div>')
    assert has_math("<p>$$x$$</p>")
    assert not has_math('<section class="tex2jax_ignore mathjax_ignore"><p>mathematics</p>')


def test_mathjax_and_its_settings_are_dropped_other_scripts_kept():
    from sphinx.builders.html._assets import _JavaScript

    from booktools.extensions.site_head import without_mathjax

    settings = _JavaScript("", body='window.MathJax = {"options": {}}')
    mathjax = _JavaScript("_static/mathjax/tex-chtml.js", defer="defer")
    other = _JavaScript("_static/rnnbook.js")
    assert without_mathjax([settings, other, mathjax]) == [other]


def test_fontawesome_script_line_is_removed_once_and_a_changed_theme_is_reported():
    import pytest

    from booktools.extensions.site_head import without_fontawesome_script

    macros = ('{% macro head_js_preload() %}\n'
              '  <script defer src="{{ pathto(\'_static/scripts/fontawesome.js\', 1) }}'
              '?digest=1"></script>\n'
              '  <link rel="preload" as="script" href="bootstrap.js" />\n{% endmacro %}\n')
    lean = without_fontawesome_script(macros)
    assert "fontawesome" not in lean and "bootstrap.js" in lean
    with pytest.raises(ValueError, match="fontawesome.js"):
        without_fontawesome_script(lean)


def test_the_installed_theme_still_loads_fontawesome_the_way_the_book_removes():
    from pathlib import Path

    import pydata_sphinx_theme

    from booktools.extensions.site_head import THEME_MACROS, without_fontawesome_script

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    assert "fontawesome" not in without_fontawesome_script(
        (theme / THEME_MACROS).read_text(encoding="utf-8"))


def test_search_scripts_stay_only_on_the_site_search_and_a_changed_theme_is_reported():
    import pytest

    from booktools.extensions.site_head import search_scripts_only_on_the_site_search

    template = ('{% block scripts -%}\n  {{ super() }}\n'
                '  <script src="searchtools.js"></script>\n{%- endblock scripts %}\n')
    lean = search_scripts_only_on_the_site_search(template)
    assert "{% if pagename == 'search' %}" in lean and "searchtools.js" in lean
    assert lean.index("super()") < lean.index("if pagename") < lean.index("searchtools.js") \
        < lean.index("endif") < lean.index("endblock")
    with pytest.raises(ValueError, match="scripts block"):
        search_scripts_only_on_the_site_search("{% block body %}{% endblock %}")


def test_the_installed_theme_s_search_template_is_the_one_the_book_changes():
    from pathlib import Path

    import pydata_sphinx_theme

    from booktools.extensions.site_head import THEME_SEARCH, search_scripts_only_on_the_site_search

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    lean = search_scripts_only_on_the_site_search((theme / THEME_SEARCH).read_text("utf-8"))
    assert "{% if pagename == 'search' %}" in lean

"""booktools.extensions.interface_language's hook into Sphinx's page rendering fails loudly when Sphinx changes.

It wraps ``builder.templates.render(template, context)``, which Sphinx 7.4.7's
HTML builder calls for every page. A tiny project in tmp_path, its Sphinx
application made in this process (the builder-inited event runs the check),
shows the installed Sphinx passes; Sphinx patched to render otherwise, or a
builder without templates, is refused with an ExtensionError that says what
changed and the release the hook was written for.
"""

import io
from types import SimpleNamespace

import pytest
import sphinx
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.errors import ExtensionError
from sphinx.jinja2glue import BuiltinTemplateLoader

from booktools.extensions.interface_language import RENDER_HOOK_WRITTEN_FOR, check_render_hook


def make_app(root, builder="html"):
    """A Sphinx application of a one-page, two-edition project with the extension."""
    source = root / "source"
    (source / "en").mkdir(parents=True)
    (source / "zh-TW").mkdir()
    (source / "conf.py").write_text(
        "extensions = ['booktools.extensions.interface_language']\n"
        "edition_prefixes = ['zh-TW/', 'en/']\n", encoding="utf-8")
    (source / "index.rst").write_text("Index\n=====\n", encoding="utf-8")
    return Sphinx(str(source), str(source), str(root / "out"), str(root / "doctrees"), builder,
                  status=None, warning=io.StringIO(), freshenv=True)


def test_the_installed_sphinx_renders_pages_as_the_hook_expects(tmp_path):
    app = make_app(tmp_path)
    assert app.builder.templates._booktools_translated
    assert RENDER_HOOK_WRITTEN_FOR == "7.4.7"


def test_a_builder_that_is_not_html_is_left_alone(tmp_path):
    app = make_app(tmp_path, builder="text")
    assert not getattr(getattr(app.builder, "templates", None), "_booktools_translated", False)


def test_a_sphinx_whose_html_builder_renders_otherwise_is_refused(tmp_path, monkeypatch):
    def handle_page(self, pagename, addctx, templatename="page.html", *args, **kwargs):
        return self.templates.render_page(templatename, addctx)         # not render(...)

    monkeypatch.setattr(StandaloneHTMLBuilder, "handle_page", handle_page)
    with pytest.raises(ExtensionError) as error:
        make_app(tmp_path)
    message = str(error.value)
    assert "StandaloneHTMLBuilder.handle_page no longer calls self.templates.render" in message
    assert "Sphinx 7.4.7, the release it was written for" in message
    assert f"In Sphinx {sphinx.__version__}" in message


def test_a_render_with_other_parameters_is_refused(tmp_path, monkeypatch):
    def render(self, template, context, theme):                         # a third parameter
        raise AssertionError("never called")

    monkeypatch.setattr(BuiltinTemplateLoader, "render", render)
    with pytest.raises(ExtensionError, match=r"templates\.render takes \['template', "
                                             r"'context', 'theme'\], not \['template', "
                                             r"'context'\]"):
        make_app(tmp_path)


def test_a_builder_without_templates_is_refused():
    class Builder:
        format = "html"
        templates = None

        def handle_page(self):
            self.templates.render("page.html", {})

    with pytest.raises(ExtensionError, match=r"templates \(NoneType\) have no render method"):
        check_render_hook(Builder())
    builder = Builder()
    builder.templates = SimpleNamespace(render=lambda template, context: "")
    assert check_render_hook(builder) is builder.templates

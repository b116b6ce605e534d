"""The in-page widgets' files load only on the pages that use them (booktools.extensions.page_widgets)."""

from types import SimpleNamespace

import pytest

from booktools.extensions.page_widgets import (
    WIDGETS,
    Widget,
    _on_page_context,
    _page_scripts_only,
    widgets_on,
    without_widget_files,
)

STEPPER = Widget(marker="hello-stepper", folder="stepper")


def test_a_widget_names_its_files_after_its_folder():
    assert (STEPPER.script, STEPPER.style) == ("stepper/stepper.js", "stepper/stepper.css")


def test_the_book_s_widgets_have_distinct_markers_and_folders():
    assert len({w.marker for w in WIDGETS}) == len({w.folder for w in WIDGETS}) == len(WIDGETS)


def test_a_page_holds_the_widgets_whose_marker_it_has():
    body = '<p>text</p><div class="hello-stepper" data-x="1"></div>'
    assert widgets_on(body) == [w for w in WIDGETS if w.marker == "hello-stepper"]
    assert widgets_on("<p>hello-stepper is only mentioned</p>") == []


def test_a_body_that_is_not_text_is_refused():
    with pytest.raises(TypeError, match="body must be the page's HTML"):
        widgets_on(None)


def test_the_widgets_files_are_taken_out_of_every_page_s_list():
    files = ["rnnbook.js", "stepper/stepper.js", ("puzzles/puzzles.css", {}), "charmodel/x.js"]
    assert without_widget_files(files) == ["rnnbook.js", "charmodel/x.js"]


class _App:
    def __init__(self):
        self.css, self.js = [], []

    def add_css_file(self, name, **_):
        self.css.append(name)

    def add_js_file(self, name, **_):
        self.js.append(name)


def test_only_a_page_with_the_marker_gets_the_files():
    app = _App()
    _on_page_context(app, "p", "page.html", {"body": "<p>nothing</p>"}, None)
    assert app.js == app.css == []
    _on_page_context(app, "p", "page.html", {"body": '<div class="shape-puzzle"></div>'}, None)
    assert app.js == ["puzzles/puzzles.js"] and app.css == ["puzzles/puzzles.css"]


def test_config_keeps_the_other_static_files():
    config = SimpleNamespace(html_js_files=["a.js", "stepper/stepper.js"],
                             html_css_files=["puzzles/puzzles.css", "b.css"])
    _page_scripts_only(None, config)
    assert (config.html_js_files, config.html_css_files) == (["a.js"], ["b.css"])

"""The chapter's small in-page widgets get their script and style only where they are used.

A Sphinx extension (listed in _config.yml), for the widgets that run without a
kernel: the unrolled "hello" stepper of 18-3 and the shape puzzles
of Labs 01 and 02. Each widget lives in its own folder of ``_static`` and is
marked in a page by an element with its class, which a page's code cell
writes (``<div class="hello-stepper" ...>``). Jupyter Book adds every .js and
.css file under ``_static`` to every page; this extension takes the widgets'
files out of that list and adds them to the pages whose body holds their
marker, so the other pages load nothing more.

(The Shakespeare model of 18-3 has the same arrangement in
:mod:`booktools.extensions.model_export`, which also writes its weights.)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Widget:
    """A widget's marker class and its folder in ``_static`` (holding NAME.js and NAME.css)."""

    marker: str
    folder: str

    @property
    def script(self) -> str:
        return f"{self.folder}/{self.folder}.js"

    @property
    def style(self) -> str:
        return f"{self.folder}/{self.folder}.css"

    def is_on(self, body: str) -> bool:
        """Whether a page's HTML body holds this widget's marker element."""
        return f'class="{self.marker}' in body or f"class='{self.marker}" in body


#: Every widget of the book this extension serves.
WIDGETS = (
    Widget(marker="hello-stepper", folder="stepper"),
    Widget(marker="shape-puzzle", folder="puzzles"),
)


def without_widget_files(files: list, widgets=WIDGETS) -> list:
    """``html_js_files`` or ``html_css_files`` without any file of ``widgets``' folders."""
    folders = tuple(f"{widget.folder}/" for widget in widgets)

    def name(entry) -> str:
        return str(entry[0] if isinstance(entry, (tuple, list)) else entry)

    return [entry for entry in files if not name(entry).startswith(folders)]


def widgets_on(body: str, widgets=WIDGETS) -> list[Widget]:
    """The widgets whose marker a page's body holds, in :data:`WIDGETS` order."""
    if not isinstance(body, str):
        raise TypeError(f"body must be the page's HTML as a str, got {type(body).__name__}")
    return [widget for widget in widgets if widget.is_on(body)]


def _page_scripts_only(app, config) -> None:
    config.html_js_files = without_widget_files(config.html_js_files)
    config.html_css_files = without_widget_files(config.html_css_files)


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    for widget in widgets_on(context.get("body", "")):
        app.add_css_file(widget.style)
        app.add_js_file(widget.script, loading_method="defer")


def setup(app) -> dict:
    app.connect("config-inited", _page_scripts_only)
    app.connect("html-page-context", _on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

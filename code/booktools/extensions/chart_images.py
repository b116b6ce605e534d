"""A chart's images get the alt text of their figure (a Sphinx extension).

rnnbook.show.chart shows a chart drawn in each edition's language as HTML: one
``<img class="rnnbook-chart">`` per language, each in its language's span (each
page keeps its own: booktools.extensions.edition_pages). myst-nb gives the alt text of a
cell's ``mystnb: image: alt:`` to the images it renders itself, not to images
inside HTML; this gives it to the charts', after myst-nb has chosen which
output to show.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from rnnbook.show.chart import IMAGE_CLASS

#: How rnnbook.show.chart writes a chart image before it has its alt text.
_WITHOUT_ALT = f'<img class="{IMAGE_CLASS}" alt=""'


def with_alt_text(markup: str, alt: str) -> str:
    """``markup`` (a chart's HTML) with ``alt`` as the alt text of each chart image."""
    return markup.replace(_WITHOUT_ALT,
                          f'<img class="{IMAGE_CLASS}" alt="{html.escape(alt, quote=True)}"')


def cell_alt_text(node: nodes.Node) -> str | None:
    """The ``mystnb: image: alt:`` of the code cell holding ``node``, or None."""
    while node is not None:
        metadata = node.get("cell_metadata") if isinstance(node, nodes.Element) else None
        if metadata is not None:
            options = (metadata.get("mystnb") or {}).get("image") or metadata.get("image") or {}
            return options.get("alt")
        node = node.parent
    return None


class ChartAltText(SphinxPostTransform):
    """Give each chart image of a page the alt text its cell declares."""

    default_priority = 400        # after myst-nb selects each output's mime type
    formats = ("html",)

    def run(self, **kwargs) -> None:
        for raw in list(self.document.findall(nodes.raw)):
            markup = raw.astext()
            if f'class="{IMAGE_CLASS}"' not in markup:
                continue
            alt = cell_alt_text(raw)
            if alt is None:
                continue          # the page check (tests/test_pages.py) asks for one
            raw.replace_self(nodes.raw("", with_alt_text(markup, alt), format="html"))


def setup(app) -> dict:
    app.add_post_transform(ChartAltText)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""Every figure is legible where it is shown: no text smaller than 9 CSS px on a
1280 px desktop or 7 CSS px on a 375 px phone, on every page of both editions.

The sizes come from booktools.figures.figure_text: each figure's smallest text in its own
units (SVG text or glyph paths; a PNG's recorded text size) times the scale the
page shows it at. A figure whose text cannot be measured fails too.
Run with `pytest -m browser tests/test_figure_legibility.py` after `make book`.
"""

import re

import pytest
from browsing import DESKTOP, EDITION_PAGES, PHONE, built_html
from booktools.figures.figure_text import figure_text_sizes

pytestmark = pytest.mark.browser

#: Smallest text a reader must be able to read, in CSS px, per viewport.
MINIMUM_PX = {"desktop": 9.0, "phone": 7.0}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
@pytest.mark.parametrize("page", EDITION_PAGES)
def test_no_figure_text_is_too_small(visit, page, device):
    if not re.search(r"<article\b.*<img\b", built_html(page), re.S):
        pytest.skip(f"{page}.html has no figures")
    v = visit(f"{page}.html", viewport=VIEWPORTS[device], wait="load")
    sizes = figure_text_sizes(v.page)
    assert sizes, f"{page}.html: no figure was measured, though the page has images"
    unknown = [s.name for s in sizes if s.px is None]
    assert not unknown, (f"{page}.html at {device} width: cannot tell how large the text of "
                         f"{unknown} is (a PNG without its text size; draw charts as SVG)")
    minimum = MINIMUM_PX[device]
    small = [f"{s.name}: {s.px:.1f} px" for s in sizes if s.px < minimum]
    assert not small, (f"{page}.html at {device} width: figure text smaller than "
                       f"{minimum:g} CSS px: {small}")

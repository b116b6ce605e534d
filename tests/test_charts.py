"""Charts in the reader's language, as SVG (rnnbook.show.chart), and their alt text in the
book (booktools.extensions.chart_images)."""

import base64
import re

import pytest
from docutils import nodes
from matplotlib.figure import Figure

from booktools.extensions.chart_images import cell_alt_text, with_alt_text
from booktools.extensions.edition_pages import keep_own_language
from rnnbook.show import language
from rnnbook.show.chart import FONT_STACK, IMAGE_CLASS, Chart, with_font_stack
from rnnbook.show.language import Text
from rnnbook.show.plots import loss_curve_plot


@pytest.fixture
def chosen_language():
    """Set the language for a test; decide as usual afterwards."""
    yield language.set_language
    language.set_language(None)


def _labelled(language_code: str) -> Figure:
    figure = Figure(figsize=(3, 2))
    figure.subplots().set_xlabel(Text("update", "更新次數").in_language(language_code))
    return figure


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]+)</text>", svg)


def test_a_chart_speaks_the_language_it_is_drawn_in():
    chart = loss_curve_plot([3.0, 2.0, 1.0])
    assert chart.figure("en").axes[0].get_xlabel() == "update"
    assert chart.figure("zh-TW").axes[0].get_xlabel() == "更新次數"
    assert "更新次數" in _texts(chart.svg("zh-TW")) and "update" in _texts(chart.svg("en"))


def test_a_notebook_shows_one_svg_in_its_language(chosen_language):
    chosen_language("zh-TW")
    bundle = Chart(_labelled)._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert "更新次數" in _texts(bundle["image/svg+xml"])


def test_the_book_build_gets_each_language_s_chart_in_its_span(chosen_language):
    chosen_language(language.ALL)
    bundle = Chart(_labelled)._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    spans = re.findall(rf'<span class="{language.CSS_CLASS}" lang="([^"]+)"><img '
                       rf'class="{IMAGE_CLASS}" alt="" src="data:image/svg\+xml;base64,([^"]+)">'
                       r"</span>", bundle["text/html"])
    assert [code for code, _ in spans] == list(language.LANGUAGES)
    svgs = {code: base64.b64decode(data).decode() for code, data in spans}
    assert "更新次數" in _texts(svgs["zh-TW"]) and "update" in _texts(svgs["en"])
    kept = keep_own_language(bundle["text/html"], "en")
    assert kept.count("<img") == 1 and 'lang="en"' in kept


def test_a_chart_without_words_is_one_svg_even_in_the_build(chosen_language):
    chosen_language(language.ALL)
    bundle = Chart(lambda code: Figure(figsize=(2, 2)))._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}


def test_svg_keeps_text_as_text_with_chinese_fonts_and_is_reproducible():
    chart = Chart(_labelled)
    svg = chart.svg("zh-TW")
    assert svg == chart.svg("zh-TW")
    assert "<text" in svg and 'id="DejaVuSans' not in svg          # no glyph paths
    assert "Noto Sans CJK TC" in svg and "sans-serif" in svg
    assert 'transform="rotate(-0' not in svg


def test_font_stack_is_named_once_and_appended_to_other_families():
    svg = ('<svg width="1pt">\n<text style="font-size: 10px; font-family: \'STIXGeneral\'">'
           "x</text></svg>")
    out = with_font_stack(svg)
    assert out.count("<style>") == 1 and all(name in out for name in FONT_STACK)
    assert "font-family: 'STIXGeneral', 'DejaVu Sans'" in out


def test_bad_charts_are_explained():
    with pytest.raises(TypeError, match="draw must be a function"):
        Chart("not a function")
    with pytest.raises(TypeError, match="expected a matplotlib Figure"):
        Chart(lambda code: None).figure("en")
    with pytest.raises(ValueError, match="language must be one of"):
        Chart(_labelled).figure("fr")


def test_chart_images_get_their_cell_s_alt_text():
    markup = (f'<span class="rnnbook-text" lang="en"><img class="{IMAGE_CLASS}" alt="" '
              'src="data:image/svg+xml;base64,AA=="></span>')
    assert f'<img class="{IMAGE_CLASS}" alt="Two &quot;lines&quot; &amp; a dot" src=' in \
        with_alt_text(markup, 'Two "lines" & a dot')
    cell = nodes.container(cell_metadata={"mystnb": {"image": {"alt": "A chart."}}})
    figure = nodes.figure()
    raw = nodes.raw("", markup, format="html")
    figure += raw
    cell += figure
    assert cell_alt_text(raw) == "A chart."
    assert cell_alt_text(nodes.raw("", markup, format="html")) is None


def test_a_log_axis_writes_plain_numbers_without_superscripts():
    svg = loss_curve_plot([30.0, 3.0, 0.05]).svg("en")
    assert "<tspan" not in svg                   # mathtext (10 with a superscript) would be
    assert {"0.1", "1", "10"} <= set(_texts(svg))


def test_large_counts_read_in_wan_then_yi_in_taiwan():
    from rnnbook.show.plots import _large_numbers

    zh, en = _large_numbers("zh-TW"), _large_numbers("en")
    assert [zh(v, 0) for v in (0, 2e7, 1e8, 1.2e8)] == ["0", "2,000萬", "1億", "1.2億"]
    assert en(1.2e8, 0) == "120M"

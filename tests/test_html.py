"""Checks of the built book (run by `make test` after `jupyter-book build`).

The build itself is a test (every page executes, warnings are errors); these
checks read the HTML for what a reader would notice: log noise from
TensorFlow or Keras, error output, images without alt text, missing pages.
"""

import copy
import re

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

pytestmark = pytest.mark.html

HTML = ROOT / "_build" / "html"
PAGES = sorted(f"book/{edition}/{page.relative_to(ROOT / 'book' / edition).with_suffix('.html')}"
               for edition in ("zh-TW", "en")
               for page in (ROOT / "book" / edition).rglob("*.md"))

#: What must never reach a reader: TensorFlow/absl start-up lines, Keras
#: progress bars, Python warnings and tracebacks.
NOISE = [
    r"oneDNN", r"absl::", r"cpu_feature_guard", r"TF_ENABLE_ONEDNN_OPTS", r"CUDA",
    r"This TensorFlow binary is optimized", r"\d+/\d+ ━", r"━━━━", r"Epoch \d+/\d+",
    r"\w+Warning:", r"Traceback \(most recent call last\)", r"I0000 ", r"W0000 ", r"E0000 ",
]


@pytest.fixture(scope="module", params=PAGES)
def page(request):
    path = HTML / request.param
    if not path.is_file():
        pytest.fail(f"{request.param} was not built; run `make book` first")
    return request.param, BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_no_log_noise_in_outputs(page):
    name, soup = page
    outputs = " ".join(node.get_text() for node in soup.select(".cell_output, .output"))
    for pattern in NOISE:
        assert not re.search(pattern, outputs), f"{name}: output matches {pattern!r}"


def test_outputs_speak_only_the_page_s_language(page):
    """A page executed for both editions keeps only its own language (edition_pages)."""
    name, soup = page
    own = name.split("/")[1]
    spoken = {span["lang"] for span in soup.select(".cell_output .rnnbook-text")}
    assert spoken <= {own}, f"{name}: outputs also speak {sorted(spoken - {own})}"


def test_markdown_outputs_are_rendered_not_printed(page):
    name, soup = page
    for node in soup.select(".cell_output"):
        assert not re.search(r"^\s*\|.*\|\s*$", node.get_text(), re.M) or node.find("table"), \
            f"{name}: a Markdown table was printed as text"


def test_prose_shows_no_unparsed_markup(page):
    """Bold that CommonMark could not close beside Chinese text shows its ** literally."""
    name, soup = page
    soup = copy.copy(soup)  # the page fixture is shared by the module's other tests
    for node in soup.select("article pre, article code, article script, article .cell"):
        node.decompose()
    article = soup.select_one("article")
    text = article.get_text() if article else ""
    assert "**" not in text, f"{name}: literal ** in the prose: " + \
        text[max(text.index("**") - 40, 0):text.index("**") + 40]


def test_no_stderr_or_error_outputs(page):
    name, soup = page
    assert not soup.select(".output.stderr, .output.traceback, .output.error"), name


def test_every_image_has_alt_text(page):
    name, soup = page
    images = soup.select("article img")
    if not name.endswith("glossary.html"):  # the glossary alone is text only
        assert images, f"{name} shows no image"
    for image in images:
        assert image.get("alt", "").strip(), f"{name}: {image.get('src')} has no alt text"


def _executable(name):
    source = ROOT / name.replace(".html", ".md")
    return "```{code-cell}" in source.read_text(encoding="utf-8")


def test_code_cells_ran_and_show_output(page):
    name, soup = page
    if not _executable(name):
        pytest.skip(f"{name} has no code cells")
    cells = soup.select("div.cell")
    assert cells, f"{name} has no code cell"
    assert soup.select("div.cell_output"), f"{name} shows no output"


def test_glued_numbers_are_filled_in(page):
    name, soup = page
    article = soup.select_one("article").get_text()
    assert "{glue" not in article and "glue:text" not in article, name


def test_landing_page_links_both_editions():
    soup = BeautifulSoup((HTML / "book" / "index.html").read_text(encoding="utf-8"),
                         "html.parser")
    links = {a.get("href", "") for a in soup.select("article a")}
    for page_name in PAGES:
        relative = page_name.removeprefix("book/")
        assert any(href.split("#")[0] == relative for href in links), f"no link to {relative}"


def _soup(name):
    return BeautifulSoup((HTML / name).read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("edition", ["zh-TW", "en"])
def test_each_edition_numbers_its_own_figures_and_exercises(edition):
    first_page = _soup(f"book/{edition}/18-1.html")
    numbers = [span.get_text() for span in first_page.select("figcaption .caption-number")]
    assert numbers and numbers[0].strip().endswith("18.1"), numbers[:3]
    lab = _soup(f"book/{edition}/labs/lab01.html").select_one(".exercise .admonition-title")
    assert lab is not None and "18.1" in lab.get_text(), lab


def test_both_editions_number_the_same_figure_alike():
    """Same numbers, each edition's word: "Fig. 18.17" and "圖 18.17" (booktools.extensions.interface_language)."""
    def captions(edition):
        return [s.get_text().strip() for s in
                _soup(f"book/{edition}/labs/lab03.html").select("figcaption .caption-number")]

    def numbers(edition):
        return [caption.split()[-1] for caption in captions(edition)]

    assert numbers("zh-TW") == numbers("en") != []
    assert all(c.startswith("圖 ") for c in captions("zh-TW")), captions("zh-TW")
    assert all(c.startswith("Fig. ") for c in captions("en")), captions("en")

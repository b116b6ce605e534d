"""booktools.extensions.interface_language, edition_navigation and glossary_anchors: their pure functions.

No build needed: the translator over this book's catalog and the shipped ones,
figure-number prefixes and attributes in page HTML, the script for the page's
JavaScript, bilingual titles, previous/next within an edition, the sidebar of
one edition, and the glossary anchors' names.
"""

import json
import re

import pytest

from booktools.extensions.edition_navigation import (
    neighbours,
    own_edition_sidebar,
    pick_language,
    reading_order,
)
from booktools.extensions.glossary_anchors import anchor
from booktools.extensions.interface_language import (
    OWN,
    Translator,
    javascript,
    sphinx_script_messages,
    translate_attributes,
    translate_numbers,
    translator,
)

PREFIXES = ["book/zh-TW/", "book/en/"]
ORDER = ["book/index", "book/zh-TW/18-1", "book/zh-TW/glossary",
         "book/en/18-1", "book/en/glossary", "book/references"]


# --------------------------------------------------------------------------- translator


def test_translator_prefers_the_book_s_words_then_the_shipped_catalogs():
    zh = translator("zh-TW")
    assert zh("Search") == "搜尋"
    assert zh("Click to show") == "點選以顯示"          # not the shipped 點擊顯示
    assert zh("Print to PDF") == "列印成 PDF"
    assert zh("Search Page") == "搜尋頁面"               # from Sphinx's zh_TW catalog only
    assert zh("no such message") == "no such message"


def test_english_has_no_translator():
    assert translator("en") is None


def test_taiwan_wording_not_mainland():
    """The book's own words use Taiwan's terms and traditional characters."""
    mainland = re.compile("搜索|复制|链接|页|顶部|导航|设置|点击|點擊|显示|文档|默认|屏幕|信息")
    for english, chinese in OWN["zh-TW"].items():
        assert not mainland.search(chinese), (english, chinese)


def test_translator_ngettext_and_the_fallback_chain():
    class Catalog:
        def gettext(self, message):
            return {"Index": "索引"}.get(message, message)

    t = Translator({"Search": "搜尋"}, [Catalog()])
    assert t.gettext("Search") == "搜尋" and t("Index") == "索引"
    assert t.ngettext("Index", "Indices", 2) == "索引"
    assert t.ngettext("page", "pages", 2) == "pages"


# --------------------------------------------------------------------------- page HTML


def test_figure_numbers_in_captions_and_numbered_references():
    body = ('<span class="caption-number">Fig. 18.1 </span>'
            '<span class="std std-numref">Fig. 18.12</span>'
            '<p>Fig. 3 of the paper</p>')
    out = translate_numbers(body, {"figure": "Fig. %s", "table": "Table %s"},
                            translator("zh-TW"))
    assert '<span class="caption-number">圖 18.1 </span>' in out
    assert '<span class="std std-numref">圖 18.12</span>' in out
    assert "<p>Fig. 3 of the paper</p>" in out   # prose is not touched


def test_attributes_translated_only_when_whole_messages():
    html = ('<a class="headerlink" href="#x" title="Link to this heading">#</a>'
            '<nav aria-label="Main"></nav>'
            '<img alt="Link to this heading in a figure"/>'
            '<a title="Elman. Finding structure in time.">[1]</a>')
    out = translate_attributes(html, translator("zh-TW"))
    assert 'title="連結到這個標題"' in out and 'aria-label="主選單"' in out
    assert 'alt="Link to this heading in a figure"' in out
    assert 'title="Elman. Finding structure in time."' in out


def test_javascript_sets_search_togglebutton_and_copybutton_words():
    zh = translator("zh-TW")
    script = javascript(zh, {"Searching": "搜尋中", "Search Results": "Search Results"})
    catalog = json.loads(re.search(r"addTranslations\((.*)\);", script)[1])
    assert catalog["messages"] == {"Searching": "搜尋中", "Search Results": "搜尋結果"}
    assert 'toggleHintShow = "點選以顯示"' in script
    assert '"copy": "複製"' in script
    assert '"Toggle hidden content": "顯示或隱藏內容"' in script


def test_sphinx_ships_its_search_messages_for_zh_tw():
    messages = sphinx_script_messages("zh-TW")
    assert "Search finished, found ${resultCount} page(s) matching the search query." in messages
    assert sphinx_script_messages("xx-YY") == {}


# --------------------------------------------------------------------------- navigation


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("參考資料 · Reference", "zh-TW", "參考資料"),
    ("參考資料 · Reference", "en", "Reference"),
    ("RNN 神經網路介紹 · Recurrent Neural Networks", "zh-TW", "RNN 神經網路介紹"),
    ("RNN 神經網路介紹 · Recurrent Neural Networks", "en", "Recurrent Neural Networks"),
    ("\n  參考文獻 · References\n", "en", "\n  References\n"),
    ("Lab 01 · TensorFlow unstack", "zh-TW", "Lab 01 · TensorFlow unstack"),  # not bilingual
    ("名詞解釋", "en", "名詞解釋"),
])
def test_pick_language(text, language, expected):
    assert pick_language(text, language) == expected


def test_reading_order_follows_next_links():
    relations = {page: [None, prev, nxt] for prev, page, nxt
                 in zip([None] + ORDER[:-1], ORDER, ORDER[1:] + [None])}
    assert reading_order(relations, "book/index") == ORDER


@pytest.mark.parametrize(("page", "expected"), [
    ("book/index", (None, "book/zh-TW/18-1")),
    ("book/zh-TW/18-1", ("book/index", "book/zh-TW/glossary")),
    ("book/zh-TW/glossary", ("book/zh-TW/18-1", "book/references")),   # not en/18-1
    ("book/en/18-1", ("book/index", "book/en/glossary")),               # not zh-TW/glossary
    ("book/en/glossary", ("book/en/18-1", "book/references")),
    ("book/references", ("book/index", None)),                          # shared: no edition
])
def test_neighbours_stay_in_the_edition(page, expected):
    assert neighbours(ORDER, page, PREFIXES) == expected


def test_neighbours_of_a_page_not_in_the_order():
    with pytest.raises(ValueError, match="not in the reading order"):
        neighbours(ORDER, "book/zh-TW/nowhere", PREFIXES)


def test_sidebar_keeps_its_own_edition_and_the_shared_part():
    html = ('<p class="caption"><span class="caption-text">繁體中文版</span></p>'
            '<ul><li><a href="18-1.html">18-1</a></li></ul>'
            '<p class="caption"><span class="caption-text">English edition</span></p>'
            '<ul><li><a href="../en/18-1.html">18-1 Why</a></li></ul>'
            '<p class="caption"><span class="caption-text">參考資料 · Reference</span></p>'
            '<ul><li><a href="../references.html">參考文獻 · References</a></li></ul>')
    out = own_edition_sidebar(html, {"../en/18-1.html"}, "zh-TW")
    assert "English edition" not in out and "../en/" not in out
    assert "繁體中文版" in out and ">參考資料<" in out and ">參考文獻<" in out


# --------------------------------------------------------------------------- glossary


@pytest.mark.parametrize(("english", "expected"), [
    ("time step", "term-time-step"), ("tf.stack", "term-tf-stack"),
    ("one-hot vector", "term-one-hot-vector"), ("LSTM", "term-lstm"),
])
def test_anchor_named_after_the_english_term(english, expected):
    assert anchor(english) == expected


def test_anchor_needs_latin_letters():
    with pytest.raises(ValueError, match="headword : English term"):
        anchor("時間步")
    with pytest.raises(TypeError, match="must be a str"):
        anchor(None)


def _headwords(edition):
    """(headword, English key) of each term of an edition's glossary source."""
    from conftest import ROOT

    text = (ROOT / "book" / edition / "glossary.md").read_text(encoding="utf-8")
    block = re.search(r"^```\{glossary\}\n(.*?)^```", text, re.M | re.S)[1]
    lines = [line for line in block.splitlines()
             if line.strip() and not line[0].isspace() and not line.startswith(":")]
    return [tuple(re.split(r"\s+:\s+", line.strip()) + [None])[:2] for line in lines]


def test_both_glossaries_have_the_same_anchors():
    """Each zh-TW headword names an English term ("狀態 : state") of the English glossary."""
    english = {anchor(term) for term, _ in _headwords("en")}
    missing = [term for term, key in _headwords("zh-TW") if key is None]
    assert not missing, f"zh-TW glossary terms without ' : English term': {missing}"
    assert {anchor(key) for _, key in _headwords("zh-TW")} == english


# --------------------------------------------------------------------------- cross-references

#: A reference to a whole page inside a sentence, without its own text: Sphinx
#: would insert the page's full title ("... network of 18-2 The recurrent neural network").
_BARE_PAGE_REF = re.compile(r"\{ref\}`(?:en|zh)-(?:18-\d|lab\d\d|recap|glossary)`")


def test_references_to_pages_inside_sentences_have_their_own_words():
    """Write {ref}`section 18-2 <en-18-2>` / {ref}`18-2節 <zh-18-2>`; a recap's lead-in
    label ("{ref}`en-18-1`: ...") and the landing page's lists may show the title."""
    from conftest import ROOT

    bare = []
    for edition in ("en", "zh-TW"):
        for page in sorted((ROOT / "book" / edition).rglob("*.md")):
            if page.name == "glossary.md":
                continue
            for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
                for match in _BARE_PAGE_REF.finditer(line):
                    lead_in = match.start() == 0 and line[match.end():match.end() + 1] in ":："
                    if not lead_in:
                        bare.append(f"{page.relative_to(ROOT)}:{number}: {match[0]}")
    assert not bare, "page references that would insert a whole title:\n" + "\n".join(bare)

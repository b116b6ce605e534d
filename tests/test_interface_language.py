"""Browser checks: a page's interface speaks its edition's language.

Everything of a page that is not the article's own prose or code is its
interface: the header and its menus, the sidebars (the phone's drawer once
opened), the footer, previous/next, the search box, dialog and page, tooltips
(``title``, Bootstrap's ``data-bs-original-title``), accessible names
(``aria-label``), the prefixes of figure, exercise and solution captions, and
the words the page's JavaScript adds (sphinx-togglebutton's hint,
sphinx-copybutton's tooltips). Each zh-TW page is opened at desktop (1280 px)
and phone (375 px) width, its interface read from the DOM, and every word in
Latin letters must be in ALLOWED; on the English pages no Han character may
appear. Links that name pages (sidebar, on-this-page, previous/next) carry the
pages' own titles, prose of the pages, so they are checked by where they lead:
never into the other edition.

Run with `pytest -m browser tests/test_interface_language.py` after `make book`.
"""

import re
from urllib.parse import urljoin, urlparse

import pytest
from browsing import DESKTOP, EDITION_PAGES, PHONE, built_html, edition_of

pytestmark = pytest.mark.browser

ZH_PAGES = [p for p in EDITION_PAGES if edition_of(p) == "zh-TW"]
EN_PAGES = [p for p in EDITION_PAGES if edition_of(p) == "en"]
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

#: Latin-letter words a zh-TW page's interface may show. Short on purpose.
ALLOWED = {
    # Proper names: the services a page launches in, the tools it names.
    "RNN", "Binder", "Colab", "Thebe", "Jupyter", "JupyterLab", "PDF", "JavaScript",
    "TensorFlow", "Keras", "NumPy", "MNIST",
    # The download menu lists the files by their extensions.
    "ipynb", "md", "pdf",
    # Keys of the search shortcut, as printed on a keyboard (Ctrl+K).
    "Ctrl", "K",
    # The language switch names the other language in that language (and its tag).
    "English", "en",
}

#: The interface's texts: [where, text] pairs. Page-naming links are left out
#: (see LINKS_JS); inside the article only the caption prefixes, the
#: togglebutton hints and the tooltips and accessible names of its buttons.
#: Not interface: code, math, the page-naming links and titles (the print-only
#: title, search results), the language switch; noscript's words are for readers
#: without JavaScript, whom these browser checks cannot be.
SKIP = ("script, style, noscript, code, pre, .MathJax, mjx-container, .math, "
        "#jb-print-docs-body h1, #search-results ul.search, "
        ".bd-sidenav a, .bd-sidenav__home-link a, .page-toc a, .section-nav a, .prev-next-title, "
        "[class*='btn-language-switch']")

INTERFACE_JS = r"""(skip) => {
  const out = [];
  const article = document.querySelector("article.bd-article");
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].slice(0, 2).map((c) => "." + c).join("");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || (article && article.contains(el))) continue;
    const text = node.textContent.trim();
    if (text) out.push([describe(el), text]);
  }
  const attributes = ["title", "aria-label", "placeholder", "alt", "data-tooltip",
                      "data-bs-original-title", "data-toggle-hint"];
  for (const el of document.body.querySelectorAll("*")) {
    if (el.closest("[class*='btn-language-switch']")) continue;
    const inArticle = article && article.contains(el);
    for (const name of attributes) {
      const value = el.getAttribute(name);
      if (!value || !value.trim()) continue;
      if (inArticle) {
        // The article's figures' alt texts are its prose; a citation's title is
        // the bibliography entry it cites.
        if (name === "alt") continue;
        if (name === "title" && el.matches("a[href*='references.html']")) continue;
        if (el.closest("code, pre, .math, mjx-container")) continue;
      }
      out.push([describe(el) + "[" + name + "]", value.trim()]);
    }
  }
  if (article) {
    for (const el of article.querySelectorAll(
        ".caption-number, .std-numref, .toggle-button, .toggle-details__summary-text")) {
      out.push([describe(el), el.textContent.replace(/[\d.()\s]+/g, " ").trim()]);
    }
    // A solution's title: its prefix, before the link to the exercise.
    for (const el of article.querySelectorAll(".solution .admonition-title")) {
      const first = el.firstChild;
      if (first && first.nodeType === Node.TEXT_NODE && first.textContent.trim())
        out.push([describe(el), first.textContent.trim()]);
    }
  }
  return out;
}"""

#: Where the page-naming links lead: [where, href].
LINKS_JS = r"""() => [...document.querySelectorAll(
    ".bd-sidenav a, .bd-sidenav__home-link a, .prev-next-area a, link[rel=prev], link[rel=next]")]
  .map((a) => [a.closest(".prev-next-area") ? "previous/next" : a.tagName === "LINK"
               ? "<link rel=" + a.rel + ">" : "sidebar", a.href])"""

#: What menus, drawers and dialogs show once opened: [where, visible text].
OPENED_JS = r"""(skip) => {
  const out = [];
  for (const box of document.querySelectorAll(
      ".dropdown-menu.show, dialog[open], .bd-sidebar-primary")) {
    if (!box.checkVisibility()) continue;
    const where = "opened " + box.tagName.toLowerCase() + "." + [...box.classList][0];
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest(skip) || !el.checkVisibility()) continue;
      if (node.textContent.trim()) out.push([where, node.textContent.trim()]);
    }
  }
  return out;
}"""


def english_words(text):
    """The words in Latin letters of ``text`` that are not ALLOWED."""
    return [w for w in re.findall(r"[A-Za-z]+", text) if w not in ALLOWED]


def han(text):
    return re.findall(r"[\u3400-\u9fff]+", text)


def _open_everything(v, viewport):
    """Open each header menu (and the phone's sidebar drawer); what each then shows."""
    shown = []
    p = v.page
    for menu in ("launch", "download", "source"):
        toggle = p.locator(f".dropdown-{menu}-buttons button.dropdown-toggle")
        if toggle.count() and toggle.first.is_visible():
            toggle.first.click()
            p.locator(f".dropdown-{menu}-buttons .dropdown-menu").wait_for(state="visible")
            shown += p.evaluate(OPENED_JS, SKIP)
            p.keyboard.press("Escape")
    if viewport is PHONE:
        # The header's toggle (pydata-sphinx-theme's own is hidden in a book). With
        # sphinx-book-theme 1.3.0 and pydata-sphinx-theme 0.17.1 it opens nothing
        # (both bind the hidden one); the drawer's words are read from the DOM
        # (INTERFACE_JS) either way, and from the dialog when it opens.
        p.locator("button.primary-toggle:visible").first.click()
        p.wait_for_timeout(300)
        shown += p.evaluate(OPENED_JS, SKIP)
        p.keyboard.press("Escape")
    p.keyboard.press("Control+k")
    p.wait_for_timeout(200)
    shown += p.evaluate("""() => [...document.querySelectorAll("#pst-search-dialog[open] input")]
        .map((i) => ["search dialog[placeholder]", i.placeholder])""")
    return shown


def _interface(visit, page, viewport):
    built_html(page)
    v = visit(f"{page}.html", viewport=viewport, wait="load")
    v.page.wait_for_load_state("networkidle")
    texts = v.page.evaluate(INTERFACE_JS, SKIP)
    opened = _open_everything(v, viewport)
    return v, texts, opened


def _other_edition_links(v, page):
    own = edition_of(page)
    wrong = []
    for where, href in v.page.evaluate(LINKS_JS):
        path = urlparse(href).path.lstrip("/")
        if path.startswith("book/") and edition_of(path.removesuffix(".html")) not in (own, None):
            wrong.append(f"{where} -> {path}")
    return wrong


@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize("page", ZH_PAGES)
def test_zh_tw_interface_is_chinese(visit, page, device):
    v, texts, opened = _interface(visit, page, VIEWPORTS[device])
    assert v.page.evaluate("document.documentElement.lang") == "zh-TW"
    english = sorted({f"{where}: {text!r}" for where, text in texts + opened
                      if english_words(text)})
    assert not english, (f"{page}.html ({device}) shows English in its interface "
                         f"({len(english)}):\n  " + "\n  ".join(english))
    wrong = _other_edition_links(v, page)
    assert not wrong, f"{page}.html ({device}) leads into the English edition: {wrong}"


@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize("page", EN_PAGES)
def test_english_interface_has_no_chinese(visit, page, device):
    v, texts, opened = _interface(visit, page, VIEWPORTS[device])
    chinese = sorted({f"{where}: {text!r}" for where, text in texts + opened if han(text)})
    assert not chinese, (f"{page}.html ({device}) shows Chinese in its interface:\n  "
                         + "\n  ".join(chinese))
    wrong = _other_edition_links(v, page)
    assert not wrong, f"{page}.html ({device}) leads into the zh-TW edition: {wrong}"


def test_zh_tw_search_goes_to_a_chinese_search_page(visit):
    """The search box of a zh-TW page sends to its edition's search page, which speaks Chinese."""
    v = visit("book/zh-TW/18-2.html")
    action = v.page.evaluate("document.querySelector('form.bd-search').action")
    assert urlparse(action).path.endswith("book/zh-TW/search.html"), action
    for query, expect in (("狀態", r"搜尋結束"), ("qzqzqz", r"找不到")):
        v.page.goto(urljoin(v.base, "book/zh-TW/search.html?q=" + query), wait_until="load")
        v.page.wait_for_function("""(pattern) => new RegExp(pattern).test(
            document.querySelector("#search-results .search-summary")?.textContent || "")""",
                                 arg=expect)
        summary = v.page.evaluate("""() => [
            document.querySelector("#search-results h2")?.textContent || "",
            document.querySelector("#search-results .search-summary").textContent]""")
        assert not english_words(" ".join(summary)), summary
        texts = v.page.evaluate(INTERFACE_JS, SKIP)
        english = sorted({f"{w}: {t!r}" for w, t in texts if english_words(t)})
        assert not english, "the zh-TW search page shows English:\n  " + "\n  ".join(english)


def test_zh_tw_copy_buttons_are_named_in_chinese(visit):
    """sphinx-copybutton's icon title (the button's name and hover text) was English."""
    v = visit("book/zh-TW/labs/lab01.html")
    names = v.page.evaluate("""() => [...document.querySelectorAll('button.copybtn')].map(
        (b) => [b.getAttribute('aria-label'), b.querySelector('svg title')?.textContent])""")
    assert names, "lab01 has no copy button"
    for label, title in names:
        assert han(label) and han(title) and not english_words(f"{label} {title}"), (label, title)


@pytest.mark.parametrize("query", ["RNN", "softmax"])
def test_zh_tw_search_lists_only_zh_tw_pages(visit, query):
    """One index serves both editions; the zh-TW search page keeps its own edition's pages."""
    v = visit("book/zh-TW/18-2.html")
    v.page.goto(urljoin(v.base, "book/zh-TW/search.html?q=" + query), wait_until="load")
    v.page.wait_for_function("""() => /搜尋結束|找不到/.test(
        document.querySelector("#search-results .search-summary")?.textContent || "")""")
    hrefs = v.page.locator("#search-results li a").evaluate_all("(a) => a.map((x) => x.href)")
    pages = {urlparse(href).path.split("/book/", 1)[-1] for href in hrefs if "/book/" in href}
    assert pages, f"the zh-TW search for {query!r} found no page"
    assert all(page.startswith("zh-TW/") for page in pages), sorted(pages)
    assert v.console_errors == [], v.console_errors


def test_english_words_and_han_find_what_they_should():
    assert english_words("下載 Notebook 檔（.ipynb）") == ["Notebook"]
    assert english_words("在 Binder 上啟動 Ctrl+K") == []
    assert han("Search this book…") == [] and han("搜尋 · Search") == ["搜尋"]

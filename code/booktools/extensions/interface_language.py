"""The interface of an edition's pages in the edition's language.

A Sphinx extension (listed in _config.yml). The book is one Sphinx project
whose ``language`` is English, so Sphinx, the themes and their JavaScript
speak English on every page. For each page of an edition whose language is
not the project's (the zh-TW edition), this gives the page's templates a
translator for that language and fixes what the templates do not translate:

- the templates' ``_``/``gettext`` (Sphinx, pydata-sphinx-theme) and
  ``translate`` (sphinx-book-theme: its buttons, tooltips, footer) become
  :class:`Translator`: this module's catalog :data:`OWN` first, then the
  catalogs the packages ship for the language (:data:`SHIPPED`);
- figure and equation numbers in the page ("Fig. 18.1" -> "圖 18.1");
- the search box sends the query to a search page of the edition's own
  (``book/zh-TW/search.html``, written from Sphinx's search template);
- the JavaScript strings (Sphinx's search messages, sphinx-togglebutton's
  "Click to show", sphinx-copybutton's "Copy") come from a script that the
  build writes from the same catalog, ``_static/interface-<language>.js``;
- tooltips and accessible names that the templates write in English outside
  gettext, and Sphinx's permalink titles, are translated in the rendered page
  (:func:`translate_attributes`, through a wrapper of Sphinx's page rendering
  that refuses, with an ExtensionError, a Sphinx that renders pages otherwise
  than the 7.4.7 it was written for: :func:`check_render_hook`).

pydata-sphinx-theme's Chinese catalog is Simplified Chinese (not used), and
sphinx-togglebutton's and the Sphinx catalog's wording is not always Taiwan
usage: :data:`OWN` holds the Taiwan wording and fills their gaps.
"""

from __future__ import annotations

import functools
import gettext
import json
import re
from pathlib import Path

from booktools.editions import edition_of, language_of

#: Per edition language: the interface's words where the shipped catalogs lack
#: them or word them otherwise than Taiwan does (msgid -> translation).
OWN = {
    "zh-TW": {
        # pydata-sphinx-theme (its zh catalog is Simplified Chinese)
        "Skip to main content": "跳到主要內容",
        "Back to top": "回到頁首",
        "Search": "搜尋",
        "Site navigation": "網站導覽",
        "Section Navigation": "本節導覽",
        "On this page": "本頁內容",
        "Contents": "目錄",
        "previous": "上一頁",
        "next": "下一頁",
        "previous page": "上一頁",
        "next page": "下一頁",
        "Color mode": "色彩模式",
        "Light": "淺色",
        "Dark": "深色",
        "System Settings": "依系統設定",
        "Version warning": "版本警告",
        "Announcement": "公告",
        "Breadcrumb": "頁面路徑",
        "Home": "首頁",
        "Error": "錯誤",
        "Expand Sidebar": "展開側邊欄",
        "Collapse Sidebar": "收合側邊欄",
        "Please activate JavaScript to enable the search functionality.":
            "請啟用 JavaScript 以使用搜尋功能。",
        "Copyright %(copyright)s": "© 版權所有 %(copyright)s",
        "© Copyright %(copyright)s.": "© 版權所有 %(copyright)s。",
        # sphinx-book-theme (its zh_TW catalog lacks these)
        "By": "作者：",
        "Search this book...": "搜尋本書…",
        "Launch interactive content": "啟動互動內容",
        "Launch on Binder": "在 Binder 上啟動",
        "Launch on Colab": "在 Colab 上啟動",
        "Launch on JupyterHub": "在 JupyterHub 上啟動",
        "Launch Thebe": "在頁面中執行程式碼（Thebe）",
        "Live Code": "即時執行",
        "Source repositories": "原始碼儲存庫",
        "Source repository": "原始碼儲存庫",
        "Repository": "儲存庫",
        "Suggest edit": "建議修改",
        "Open issue": "回報問題",
        "Open an issue": "回報問題",
        "Download this page": "下載本頁",
        "Download notebook file": "下載 Jupyter 筆記本（.ipynb）",
        "Download source file": "下載原始檔（.md）",
        "Print to PDF": "列印成 PDF",
        "Fullscreen mode": "全螢幕模式",
        "logo": "標誌",
        # Attributes the themes' templates write in English (see translate_attributes)
        "Toggle primary sidebar": "顯示或隱藏主側邊欄",
        "Toggle secondary sidebar": "顯示或隱藏本頁內容",
        "Main": "主選單",
        "Page": "本頁",
        # Sphinx (its zh_TW catalog leaves these in English or words them otherwise)
        "Link to this heading": "連結到這個標題",
        "Link to this equation": "連結到這個式子",
        "Link to this image": "連結到這張圖",
        "Link to this table": "連結到這個表格",
        "Link to this code": "連結到這段程式碼",
        "Link to this definition": "連結到這個定義",
        "Link to this term": "連結到這個名詞",
        "Fig. %s": "圖 %s",
        "Table %s": "表 %s",
        "Listing %s": "程式 %s",
        "Index": "索引",
        "Search Results": "搜尋結果",
        # sphinx-togglebutton, sphinx-copybutton (JavaScript; see javascript())
        "Click to show": "點選以顯示",
        "Click to hide": "點選以隱藏",
        "Toggle hidden content": "顯示或隱藏內容",
        "Copy": "複製",
        "Copy to clipboard": "複製到剪貼簿",
        "Copied!": "已複製！",
        "Failed to copy": "複製失敗",
    },
}

def _package_dir(module: str) -> Path:
    return Path(__import__(module).__file__).parent


#: Per edition language: the catalogs the installed packages ship for it, as
#: (package, folder inside it, gettext domain, locale folder name).
SHIPPED = {
    "zh-TW": [
        ("sphinx", "locale", "sphinx", "zh_TW"),
        ("sphinx_book_theme", "theme/sphinx_book_theme/static/locales", "booktheme", "zh_TW"),
    ],
}

#: sphinx-copybutton's message keys -> the English words they stand for.
COPYBUTTON = {"copy": "Copy", "copy_to_clipboard": "Copy to clipboard",
              "copy_success": "Copied!", "copy_failure": "Failed to copy"}


#: Attribute values that page scripts write in English after the page is read.
LATE_ATTRIBUTES = ["Toggle hidden content"]


class Translator:
    """gettext for one language: own words first, then the shipped catalogs, else the msgid."""

    def __init__(self, own: dict[str, str], catalogs=()):
        self.own = dict(own)
        self.catalogs = list(catalogs)

    def gettext(self, message: str) -> str:
        if message in self.own:
            return self.own[message]
        for catalog in self.catalogs:
            translated = catalog.gettext(message)
            if translated != message:
                return translated
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # Chinese has one form; an English plural is only used if nothing translates it.
        translated = self.gettext(singular)
        return translated if translated != singular or n == 1 else plural

    __call__ = gettext


@functools.cache
def translator(language: str) -> Translator | None:
    """The :class:`Translator` for an edition language, or None for the project's own (English)."""
    if language not in OWN:
        return None
    catalogs = []
    for package, folder, domain, locale in SHIPPED.get(language, []):
        try:
            catalogs.append(gettext.translation(domain, _package_dir(package) / folder, [locale]))
        except (ImportError, OSError):
            pass  # a package without the catalog: OWN still speaks the language
    return Translator(OWN[language], catalogs)


def translate_numbers(body: str, numfig_format: dict[str, str], translate) -> str:
    """Figure, table and listing numbers in page HTML (captions and references) translated.

    ``numfig_format`` is Sphinx's (figtype -> "Fig. %s"); only the prefix in
    a caption's number (``<span class="caption-number">``) and in a numbered
    reference (``<span class="std std-numref">``) changes, never prose.
    """
    for english in numfig_format.values():
        translated = translate(english)
        if translated == english or english.count("%s") != 1:
            continue
        before, after = (re.escape(part) for part in english.split("%s"))
        pattern = re.compile(r'(<span class="(?:caption-number|std std-numref)">)'
                             + before + r"(?P<number>[\d.]+)" + after)
        body = pattern.sub(lambda m: m[1] + translated.replace("%s", m["number"]), body)
    return body


#: A tooltip, accessible name or placeholder in page HTML: name="value".
_ATTRIBUTE = re.compile(r'(?P<name>\b(?:title|aria-label|placeholder|alt)=")(?P<value>[^"<>]+)"')


def translate_attributes(html: str, translate) -> str:
    """Tooltips and accessible names in ``html`` whose whole value is a catalog message, translated.

    What the templates write in English outside gettext (sphinx-book-theme's
    sidebar toggles, ``aria-label="Main"``) and Sphinx's writer gives the
    page's permalinks ("Link to this heading"). A value that is not a whole
    message (a figure's alt text, a citation) stays as it is.
    """
    def one(match: re.Match) -> str:
        return match["name"] + translate(match["value"]) + '"'

    return _ATTRIBUTE.sub(one, html)


def javascript(translate, sphinx_messages: dict[str, str]) -> str:
    """The script that gives a page's JavaScript its words in the translator's language.

    ``sphinx_messages``: the messages of Sphinx's own catalog for its scripts
    (searchtools.js, sphinx_highlight.js), each given this book's wording
    where it has one. Run after those scripts load and before the page is
    ready: sphinx-togglebutton and sphinx-copybutton read their words then.
    """
    messages = {msgid: translate(msgid) if translate(msgid) != msgid else text
                for msgid, text in sphinx_messages.items()}
    copy = {key: translate(english) for key, english in COPYBUTTON.items()}
    attributes = {english: translate(english) for english in LATE_ATTRIBUTES}
    return "\n".join([
        "// Written by booktools.extensions.interface_language: this page's interface words.",
        "if (typeof Documentation !== 'undefined') {",
        "  Documentation.addTranslations(" + json.dumps(
            {"messages": messages, "plural_expr": "0", "locale": ""}, ensure_ascii=False,
            sort_keys=True) + ");",
        "}",
        "if (typeof toggleHintShow !== 'undefined') {",
        f"  toggleHintShow = {json.dumps(translate('Click to show'), ensure_ascii=False)};",
        f"  toggleHintHide = {json.dumps(translate('Click to hide'), ensure_ascii=False)};",
        "}",
        "if (typeof messages !== 'undefined' && typeof locale !== 'undefined') {",
        "  messages[document.documentElement.lang] = "
        + json.dumps(copy, ensure_ascii=False, sort_keys=True) + ";",
        "  locale = document.documentElement.lang;",
        "}",
        "// Tooltips and accessible names that scripts add once the page is read",
        "// (sphinx-togglebutton's buttons): this listener runs after theirs.",
        "document.addEventListener('DOMContentLoaded', () => {",
        "  const words = " + json.dumps(attributes, ensure_ascii=False, sort_keys=True) + ";",
        "  document.querySelectorAll('[title], [aria-label]').forEach((el) => {",
        "    for (const name of ['title', 'aria-label']) {",
        "      const value = el.getAttribute(name);",
        "      if (value && words[value]) el.setAttribute(name, words[value]);",
        "    }",
        "  });",
        "});",
        "",
    ])


def sphinx_script_messages(language: str) -> dict[str, str]:
    """The messages of Sphinx's own JavaScript catalog for ``language`` (empty if none)."""
    locale = language.replace("-", "_")
    path = _package_dir("sphinx") / "locale" / locale / "LC_MESSAGES" / "sphinx.js"
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    catalog = json.loads(text[text.index("(") + 1:text.rindex(")")])
    return catalog.get("messages", {})


def script_name(language: str) -> str:
    return f"interface-{language}.js"


def search_page(language_prefix: str) -> str:
    """The document name of an edition's own search page: ``book/zh-TW/search``."""
    return language_prefix + "search"


# --------------------------------------------------------------------------- Sphinx


#: Where a page's context keeps the translator its rendered HTML goes through.
_TRANSLATOR = "booktools_interface_translator"


def _translated_languages(app) -> dict[str, str]:
    """{edition prefix: language} of the editions whose interface this translates."""
    return {prefix: language_of(prefix) for prefix in app.config.edition_prefixes
            if translator(language_of(prefix)) is not None}


def _collect_search_pages(app):
    """An edition search page for each translated edition (Sphinx's search template)."""
    if app.builder.format != "html" or not app.builder.search:
        return
    for prefix in _translated_languages(app):
        yield search_page(prefix), {}, "search.html"


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    prefix = edition_of(pagename, app.config.edition_prefixes)
    language = _translated_languages(app).get(prefix)
    if language is None:
        return
    translate = translator(language)
    for name in ("_", "gettext"):
        context[name] = translate.gettext
    context["ngettext"] = translate.ngettext
    context["translate"] = context[_TRANSLATOR] = translate
    # sphinx-book-theme sets the search box's words in Python, from its catalog.
    context["theme_search_bar_text"] = translate("Search this book...")
    for button in _walk_buttons(context.get("header_buttons", [])):
        for key in ("tooltip", "text"):
            if isinstance(button.get(key), str):
                button[key] = translate(button[key])
    if "body" in context:
        context["body"] = translate_numbers(context["body"], app.config.numfig_format, translate)
    pathto = context["pathto"]
    search = search_page(prefix)

    def edition_pathto(otheruri, *args, **kwargs):
        # The search box (pydata-sphinx-theme: pathto('search')) goes to the edition's search.
        return pathto(search if otheruri == "search" else otheruri, *args, **kwargs)

    context["pathto"] = edition_pathto
    app.add_js_file(script_name(language), priority=900)


#: The Sphinx release whose page rendering _render_translated was written against.
RENDER_HOOK_WRITTEN_FOR = "7.4.7"


def check_render_hook(builder):
    """``builder.templates``, if Sphinx renders pages as :func:`_render_translated` expects.

    That is, as Sphinx 7.4.7 does: the HTML builder's ``handle_page`` renders
    every page with ``self.templates.render(template, context)``. Otherwise
    (a Sphinx release that renders pages another way) an ExtensionError says
    what changed, rather than the zh-TW pages quietly keeping English tooltips.
    """
    import inspect

    import sphinx
    from sphinx.errors import ExtensionError

    def changed(what: str) -> ExtensionError:
        return ExtensionError(
            f"booktools.extensions.interface_language translates the tooltips and accessible names of "
            f"the zh-TW pages by wrapping builder.templates.render(template, context), "
            f"which {type(builder).__name__}.handle_page calls for each page in Sphinx "
            f"{RENDER_HOOK_WRITTEN_FOR}, the release it was written for. In Sphinx "
            f"{sphinx.__version__}, {what}. Adapt _render_translated and check_render_hook "
            f"to this Sphinx, or install the Sphinx of requirements.txt.",
            modname=__name__)

    templates = getattr(builder, "templates", None)
    render = getattr(templates, "render", None)
    if not callable(render):
        raise changed(f"the HTML builder's templates ({type(templates).__name__}) have no "
                      f"render method")
    try:
        parameters = list(inspect.signature(render).parameters)
    except (TypeError, ValueError):
        parameters = None
    if parameters != ["template", "context"]:
        raise changed(f"templates.render takes {parameters}, not ['template', 'context']")
    handle_page = getattr(type(builder), "handle_page", None)
    try:
        source = inspect.getsource(handle_page)
    except (OSError, TypeError):
        raise changed(f"the source of {type(builder).__name__}.handle_page cannot be read "
                      f"to see how it renders a page") from None
    if not re.search(r"\bself\.templates\.render\(", source):
        raise changed(f"{type(builder).__name__}.handle_page no longer calls "
                      f"self.templates.render(...)")
    return templates


def _render_translated(app) -> None:
    """Let a page's HTML pass through translate_attributes once its templates are rendered.

    Sphinx renders a page with ``builder.templates.render(template, context)``
    and offers no event after it; this wraps that call, for the pages whose
    context carries a translator (``_on_page_context``). :func:`check_render_hook`
    first makes sure Sphinx still renders pages that way.
    """
    if app.builder.format != "html":
        return
    templates = check_render_hook(app.builder)
    if getattr(templates, "_booktools_translated", False):
        return
    render = templates.render

    def render_translated(template, context):
        html = render(template, context)
        translate = context.get(_TRANSLATOR)
        return translate_attributes(html, translate) if translate else html

    templates.render = render_translated
    templates._booktools_translated = True


def _walk_buttons(buttons):
    for button in buttons:
        yield button
        yield from _walk_buttons(button.get("buttons", []))


def _write_scripts(app) -> None:
    # Before the pages are written: their <script> tags carry the file's checksum.
    if app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for language in _translated_languages(app).values():
        script = javascript(translator(language), sphinx_script_messages(language))
        (static / script_name(language)).write_text(script, encoding="utf-8")


def _exclude_search_pages_from_sitemap(app, config) -> None:
    excludes = getattr(config, "sitemap_excludes", None)
    if isinstance(excludes, list):
        excludes.extend(search_page(prefix) + ".html"
                        for prefix in config.edition_prefixes
                        if translator(language_of(prefix)) is not None)


def setup(app) -> dict:
    app.setup_extension("booktools.editions")
    app.connect("config-inited", _exclude_search_pages_from_sitemap, priority=900)
    app.connect("builder-inited", _render_translated)
    app.connect("html-collect-pages", _collect_search_pages)
    # After the themes (sphinx-book-theme's buttons: priority 501) and edition_pages (600).
    app.connect("html-page-context", _on_page_context, priority=700)
    app.connect("builder-inited", _write_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

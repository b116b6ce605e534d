"""Navigation that stays inside a reader's edition.

A Sphinx extension (listed in _config.yml). The table of contents holds both
editions one after the other, then the shared references page, so Sphinx's
previous/next links would lead from the last zh-TW page into the English
edition, and every page's sidebar would list both editions. On an edition's
page this

- makes previous/next skip the other editions' pages (:func:`neighbours`): the
  last page of an edition leads to the shared references page, the first
  back to the bilingual landing page;
- shows only the reader's edition (and the shared pages) in the sidebar;
- shows the reader's half of a bilingual text written "中文 · English"
  (:func:`pick_language`): the book's title and author, the references part
  and page.

The landing page keeps Sphinx's navigation: it belongs to both editions.
"""

from __future__ import annotations

import re

from booktools.editions import edition_of, language_of

#: A bilingual title "中文 · English": Chinese (Han characters) before the middle dot.
_BILINGUAL = re.compile(r"^(?P<space>\s*)(?P<zh>[^·]*[\u3400-\u9fff][^·]*?)\s+·\s+"
                        r"(?P<en>[^·\u3400-\u9fff]+?)(?P<end>\s*)$")


def pick_language(text: str, language: str) -> str:
    """The ``language`` half of a bilingual "中文 · English" ``text``; other text as it is.

    A zh language ("zh-TW") gets the Chinese half, any other the English one.
    """
    match = _BILINGUAL.match(text)
    if match is None:
        return text
    half = match["zh"] if language.split("-")[0] == "zh" else match["en"]
    return match["space"] + half + match["end"]


def reading_order(relations: dict, root: str) -> list[str]:
    """The pages in reading order, from Sphinx's relations (docname -> [parent, prev, next])."""
    order, page = [], root
    while page is not None and page not in order:
        order.append(page)
        page = (relations.get(page) or [None, None, None])[2]
    return order


def neighbours(order: list[str], page: str, prefixes) -> tuple[str | None, str | None]:
    """(previous, next) of ``page`` in ``order``, skipping the pages of other editions.

    A page outside the editions (the shared references page) skips every
    edition's pages; the first page of ``order`` (the bilingual landing page)
    keeps its plain neighbours.
    """
    if page not in order:
        raise ValueError(f"{page!r} is not in the reading order {order!r}")
    index = order.index(page)
    if index == 0:
        return None, (order[1] if len(order) > 1 else None)
    own = edition_of(page, prefixes)

    def allowed(doc):
        return edition_of(doc, prefixes) in (own, None)

    previous = next((doc for doc in reversed(order[:index]) if allowed(doc)), None)
    following = next((doc for doc in order[index + 1:] if allowed(doc)), None)
    return previous, following


def own_edition_sidebar(html: str, other_links: set[str], language: str) -> str:
    """The sidebar ``html`` without the parts whose every link is in ``other_links``.

    Each part of the sidebar is a caption (``<p class="caption">``) and the
    list after it; the bilingual texts left keep the ``language`` half.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for caption in soup.select("p.caption"):
        part = caption.find_next_sibling("ul")
        links = {a.get("href", "").split("#")[0] for a in part.select("a")} if part else set()
        if links and links <= other_links:
            caption.decompose()
            part.decompose()
    for text in soup.find_all(string=_BILINGUAL):
        text.replace_with(pick_language(str(text), language))
    return str(soup)


# --------------------------------------------------------------------------- Sphinx


def _on_page_context(app, pagename, templatename, context, doctree) -> None:
    prefixes = app.config.edition_prefixes
    root = app.config.root_doc
    builder = app.builder
    if pagename == root or "pathto" not in context:
        return
    prefix = edition_of(pagename, prefixes)
    order = reading_order(builder.env.collect_relations(), root)
    if pagename in order:
        previous, following = neighbours(order, pagename, prefixes)
        for key, doc in (("prev", previous), ("next", following)):
            title = builder.render_partial(builder.env.titles[doc])["title"] if doc else None
            context[key] = None if doc is None else {
                "link": builder.get_relative_uri(pagename, doc),
                # A shared page keeps bilingual titles; an edition's page shows its half.
                "title": pick_language(title, language_of(prefix)) if prefix else title,
            }
    if prefix is None:
        return
    language = language_of(prefix)
    for key in ("docstitle", "root_title", "author"):
        if isinstance(context.get(key), str):
            context[key] = pick_language(context[key], language)
    pathto = context["pathto"]
    other_links = {pathto(doc) for doc in builder.env.all_docs
                   if edition_of(doc, prefixes) not in (prefix, None)}
    generate = context.get("generate_toctree_html")
    if generate is not None:
        def own_edition(*args, **kwargs):
            html = generate(*args, **kwargs)
            if kwargs.get("kind", args[0] if args else None) != "sidebar":
                return html
            return own_edition_sidebar(str(html), other_links, language)

        context["generate_toctree_html"] = own_edition


def setup(app) -> dict:
    app.setup_extension("booktools.editions")
    # After pydata-sphinx-theme's handlers (priority 500) have filled the context.
    app.connect("html-page-context", _on_page_context, priority=650)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

"""The glossaries of both editions, read from the Markdown sources (no build needed).

Each edition has book/<edition>/glossary.md with a Sphinx ``glossary`` directive;
the two define the same number of terms, every {term} role names a term of its
own edition's glossary, every term is linked from some page, and each edition
cites every entry of book/references.bib. Sphinx compares terms case-insensitively
and across the whole project, so a zh-TW headword may not repeat an English one.
"""

import re

import pytest
from conftest import ROOT

from booktools.extensions.search_words import glossary_terms

BOOK = ROOT / "book"
EDITIONS = ["zh-TW", "en"]
TERM_ROLE = re.compile(r"\{term\}`([^`]+)`")
CITE_ROLE = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")
BIB_KEY = re.compile(r"^@\w+\{([^,\s]+),", re.M)


def _terms(edition):
    """The headwords of an edition's glossary (as the search words are read)."""
    path = BOOK / edition / "glossary.md"
    assert path.exists(), f"{path.relative_to(ROOT)} is missing"
    return glossary_terms(path.read_text(encoding="utf-8"))


def _targets(page):
    """The terms a page links: `{term}`text <target>`` or `{term}`target``, lower-cased."""
    found = []
    for text in TERM_ROLE.findall(page.read_text(encoding="utf-8")):
        match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", text, re.S)
        found.append(" ".join((match.group(2) if match else text).split()).lower())
    return found


def _edition_of(page):
    return next((edition for edition in EDITIONS if BOOK / edition in page.parents), None)


def test_both_glossaries_define_the_same_number_of_terms():
    zh, en = _terms("zh-TW"), _terms("en")
    assert en, "book/en/glossary.md defines no terms"
    assert len(zh) == len(en), f"zh-TW defines {len(zh)} terms, en {len(en)}"


def test_no_headword_is_defined_twice_in_the_project():
    words = [term.lower() for edition in EDITIONS for term in _terms(edition)]
    assert not {w for w in words if words.count(w) > 1}, "duplicate glossary terms"


@pytest.mark.parametrize("page", sorted(BOOK.rglob("*.md")), ids=lambda p: str(p.relative_to(BOOK)))
def test_every_term_role_names_a_term_of_its_edition(page):
    edition = _edition_of(page)
    defined = {t.lower() for e in ([edition] if edition else EDITIONS) for t in _terms(e)}
    unknown = sorted(set(_targets(page)) - defined)
    glossary = f"book/{edition}/glossary.md" if edition else "either glossary"
    assert not unknown, f"{page.relative_to(ROOT)} links terms not in {glossary}: {unknown}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_glossary_term_is_linked_from_a_page(edition):
    linked = {target for page in (BOOK / edition).rglob("*.md") if page.name != "glossary.md"
              for target in _targets(page)}
    unlinked = [term for term in _terms(edition) if term.lower() not in linked]
    assert not unlinked, f"no page of book/{edition} links these glossary terms: {unlinked}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_reference_is_cited_in_each_edition(edition):
    keys = BIB_KEY.findall((BOOK / "references.bib").read_text(encoding="utf-8"))
    assert keys, "book/references.bib has no entries"
    cited = {key.strip() for page in (BOOK / edition).rglob("*.md")
             for group in CITE_ROLE.findall(page.read_text(encoding="utf-8"))
             for key in group.split(",")}
    missing = sorted(set(keys) - cited)
    assert not missing, f"no page of book/{edition} cites {missing}"

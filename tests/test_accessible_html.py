"""Bibliographies read as lists of references (booktools.extensions.accessible_html)."""

from booktools.extensions.accessible_html import bibliography_as_list


def test_bibliography_entries_become_items_of_their_list():
    body = ('<div role="list" class="citation-list">\n'
            '<div class="citation" id="id3" role="doc-biblioentry">\n<p>Elman</p></div>\n'
            '<div class="citation" id="id5" role="doc-biblioentry">\n<p>Goodfellow</p></div>\n'
            '</div>')
    mended = bibliography_as_list(body)
    assert mended.count('role="listitem"') == 2
    assert "doc-biblioentry" not in mended
    assert '<div role="list" class="citation-list">' in mended


def test_other_roles_and_pages_without_a_bibliography_are_left_alone():
    body = '<div class="note" role="doc-biblioentry"><p>not a citation</p></div>'
    assert bibliography_as_list(body) == body

"""Each edition's pages in their own language (booktools.extensions.edition_pages)."""

import pytest

from booktools.extensions.edition_pages import keep_own_language, translate_titles
from booktools.editions import counterparts, edition_of, language_of

PREFIXES = ["book/zh-TW/", "book/en/"]
DOCNAMES = {"book/zh-TW/18-1", "book/en/18-1", "book/en/labs/lab01", "book/zh-TW/labs/lab01",
            "book/en/only-en", "book/index"}


def test_edition_of_is_the_prefix_a_page_starts_with():
    assert edition_of("book/zh-TW/18-1", PREFIXES) == "book/zh-TW/"
    assert edition_of("book/en/labs/lab01", PREFIXES) == "book/en/"
    assert edition_of("book/index", PREFIXES) is None
    assert edition_of("book/english/18-1", PREFIXES) is None      # a prefix, not a start of name
    with pytest.raises(TypeError, match="pagename must be a str such as 'book/en/18-1', got None"):
        edition_of(None, PREFIXES)


def test_language_of_is_the_folder_name():
    assert language_of("book/zh-TW/") == "zh-TW"
    assert language_of("book/en/") == "en"
    assert language_of("en") == "en"
    for prefix in ("book/chinese/", "book/EN/", "book/"):
        with pytest.raises(ValueError, match=f"edition folder '{prefix}' is not named after a "
                                             "language tag"):
            language_of(prefix)


def test_counterparts_are_the_existing_pages_of_the_other_editions():
    assert counterparts("book/zh-TW/18-1", PREFIXES, DOCNAMES) == {"en": "book/en/18-1"}
    assert counterparts("book/en/labs/lab01", PREFIXES, DOCNAMES) == {
        "zh-TW": "book/zh-TW/labs/lab01"}
    assert counterparts("book/en/only-en", PREFIXES, DOCNAMES) == {}
    assert counterparts("book/index", PREFIXES, DOCNAMES) == {}
    three = PREFIXES + ["book/ja/"]
    assert counterparts("book/en/18-1", three, DOCNAMES | {"book/ja/18-1"}) == {
        "zh-TW": "book/zh-TW/18-1", "ja": "book/ja/18-1"}


def test_exercise_titles_are_translated_in_the_zh_tw_edition():
    title = '<span class="caption-number">Exercise 18.1 </span>'
    assert translate_titles(title, "zh-TW") == '<span class="caption-number">練習 18.1 </span>'
    solution = '<p class="admonition-title">Solution to<a href="#ex">Exercise 18.1</a></p>'
    assert translate_titles(solution, "zh-TW") == (
        '<p class="admonition-title">解答<a href="#ex">練習 18.1</a></p>')
    assert translate_titles("<p>\n  Exercise 2</p>", "zh-TW") == "<p>\n  練習 2</p>"


def test_prose_and_the_english_edition_are_left_alone():
    prose = "<p>Exercises are fun. Try the Exercise 18.1 and the Solution to it.</p>"
    assert translate_titles(prose, "zh-TW") == prose
    body = '<span class="caption-number">Exercise 18.1 </span><p>Solution to</p>'
    assert translate_titles(body, "en") == body


def test_note_titles_are_translated_but_notes_in_prose_are_not():
    title = '<p class="admonition-title">Note</p>'
    assert translate_titles(title, "zh-TW") == '<p class="admonition-title">注意</p>'
    assert translate_titles("<p>Notebook pages</p>", "zh-TW") == "<p>Notebook pages</p>"


def test_each_page_keeps_only_its_own_language_of_an_output():
    from rnnbook.show.language import ALL, Text, set_language, to_html

    set_language(ALL)
    try:
        output = f'<div class="output">{to_html(Text("`axis` is wrong", "`axis`不對"))}</div>'
    finally:
        set_language(None)
    zh, en = keep_own_language(output, "zh-TW"), keep_own_language(output, "en")
    assert zh == '<div class="output"><span class="rnnbook-text" lang="zh-TW"><code>axis</code>不對</span></div>'
    assert "is wrong" in en and "不對" not in en
    assert keep_own_language("<p>no outputs</p>", "en") == "<p>no outputs</p>"

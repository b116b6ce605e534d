"""The zh-TW glossary's terms become words of the Chinese search (booktools.extensions.search_words)."""

import jieba
import pytest
from conftest import ROOT

from booktools.extensions.search_words import chinese_words, glossary_terms, write_user_dict

PAGE = "# G\n\n```{glossary}\n:sorted:\n\n時間步\n  定義。\n\ntf.stack函式\n  定義。\n```\n"


def test_headwords_are_read_from_the_glossary_directive():
    assert glossary_terms(PAGE) == ["時間步", "tf.stack函式"]


def test_bad_pages_are_rejected():
    with pytest.raises(ValueError, match="no ```{glossary} directive"):
        glossary_terms("# no glossary\n")
    with pytest.raises(TypeError, match="must be the str"):
        glossary_terms(None)


def test_only_chinese_runs_of_two_characters_or_more_become_words():
    assert chinese_words(["時間步", "tf.stack函式", "softmax函數", "時間步", "步"]) == [
        "時間步", "函式", "函數"]


def test_the_chapter_s_terms_stay_whole_for_the_search(tmp_path):
    terms = glossary_terms((ROOT / "book" / "zh-TW" / "glossary.md").read_text(encoding="utf-8"))
    path = write_user_dict(chinese_words(terms), tmp_path / "words.txt")
    tokenizer = jieba.Tokenizer()
    with path.open("rb") as words_file:  # as Sphinx's splitter does, from a path
        tokenizer.load_userdict(words_file)
    words = set(tokenizer.cut_for_search("每個時間步都更新狀態大小固定的狀態，字元模型預測下一個字元"))
    assert {"時間步", "狀態大小", "字元模型"} <= words

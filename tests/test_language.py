"""rnnbook.show.language: what a cell says, in the page's language (or every language in the build)."""

import pytest

from rnnbook.show import language
from rnnbook.show.language import (
    ALL,
    Text,
    current_language,
    language_of_folder,
    set_language,
    to_html,
)


@pytest.fixture(autouse=True)
def no_choice(monkeypatch):
    monkeypatch.delenv(language.ENVIRONMENT, raising=False)
    set_language(None)
    yield
    set_language(None)


def test_the_folder_decides_when_nothing_else_does(monkeypatch, tmp_path):
    zh = tmp_path / "book" / "zh-TW" / "labs"
    zh.mkdir(parents=True)
    monkeypatch.chdir(zh)
    assert current_language() == "zh-TW"
    monkeypatch.chdir(tmp_path)
    assert current_language() == "en"
    assert language_of_folder(tmp_path / "book" / "en") == "en"


def test_an_explicit_choice_beats_the_environment_which_beats_the_folder(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(language.ENVIRONMENT, "zh-TW")
    assert current_language() == "zh-TW"
    set_language("en")
    assert current_language() == "en"


def test_text_in_one_language_and_in_all():
    text = Text("`axis` is wrong", "`axis` 不對")
    set_language("zh-TW")
    assert str(text) == "`axis` 不對"
    assert to_html(text) == '<span class="rnnbook-text" lang="zh-TW"><code>axis</code> 不對</span>'
    set_language(ALL)
    assert str(text) == "`axis` 不對 / `axis` is wrong"
    html = to_html(text)
    assert 'lang="zh-TW"' in html and 'lang="en"' in html and html.count("<span") == 2


def test_texts_join():
    assert (Text("a", "甲") + Text("b", "乙")) == Text("ab", "甲乙")


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="language must be one of"):
        set_language("fr")
    with pytest.raises(TypeError, match="Text.zh_TW must be a str"):
        Text("a", None)

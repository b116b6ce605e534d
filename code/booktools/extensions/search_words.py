"""Chinese search that finds the chapter's own terms (時間步, 狀態大小, 字元模型, ...).

A Sphinx extension (listed in _config.yml). The search index splits Chinese
text into words with jieba, whose dictionary does not know the chapter's terms:
it cuts 時間步 into 時間 + 步 and 字元 into 字 + 元, so a search for the term
misses the pages that teach it. The headwords of the Chinese glossaries
(``book/<zh-...>/glossary.md``) become jieba's user dictionary, so the glossary
is the one list of terms.
"""

from __future__ import annotations

import re
from pathlib import Path

from booktools.editions import language_of

_GLOSSARY = re.compile(r"^```\{glossary\}\n(.*?)^```", re.M | re.S)


def glossary_terms(text: str) -> list[str]:
    """The headwords of the ``glossary`` directive in a MyST page's text."""
    if not isinstance(text, str):
        raise TypeError(f"text must be the str of a MyST page, got {type(text).__name__}")
    block = _GLOSSARY.search(text)
    if block is None:
        raise ValueError("the page has no ```{glossary} directive")
    # A headword may carry a classifier, "狀態 : state" (Sphinx's index key, which
    # booktools.extensions.glossary_anchors names the anchor after): the term is before it.
    return [re.split(r"\s+:\s+", line.strip())[0] for line in block.group(1).splitlines()
            if line.strip() and not line[0].isspace() and not line.startswith(":")]


def chinese_words(terms) -> list[str]:
    """The runs of Chinese characters in the terms (``tf.stack函式`` -> ``函式``), once each."""
    words = []
    for term in terms:
        for word in re.findall(r"[\u3400-\u9fff]+", term):
            if len(word) > 1 and word not in words:
                words.append(word)
    return words


def write_user_dict(words, path: Path) -> Path:
    """jieba's user dictionary: one word per line (jieba picks a frequency that keeps it whole)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{word}\n" for word in words), encoding="utf-8")
    return path


def _on_config_inited(app, config) -> None:
    if not str(config.html_search_language or "").startswith("zh"):
        return
    terms = []
    for prefix in config.edition_prefixes:
        glossary = Path(app.srcdir) / prefix / "glossary.md"
        if language_of(prefix).startswith("zh") and glossary.is_file():
            terms += glossary_terms(glossary.read_text(encoding="utf-8"))
    path = write_user_dict(chinese_words(terms), Path(app.doctreedir) / "search_words.txt")
    # Sphinx's Chinese splitter loads this file by path (it must be absolute).
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}


def setup(app) -> dict:
    app.setup_extension("booktools.editions")
    app.connect("config-inited", _on_config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

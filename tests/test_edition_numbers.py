"""Figures and exercises are numbered within each edition (booktools.edition_numbers)."""

from types import SimpleNamespace

from booktools.edition_numbers import renumber


def test_each_edition_counts_from_one_in_table_of_contents_order():
    env = SimpleNamespace(toc_fignumbers={
        "book/zh-TW/18-1": {"figure": {"a": (1,), "b": (2,)}},
        "book/zh-TW/18-2": {"figure": {"c": (3,)}, "exercise": {"e": (1,)}},
        "book/en/18-1": {"figure": {"a": (4,), "b": (5,)}},
        "book/en/18-2": {"figure": {"c": (6,)}, "exercise": {"e": (2,)}},
        "book/index": {},
    })
    app = SimpleNamespace(config=SimpleNamespace(edition_chapter=18,
                                                 edition_prefixes=["book/zh-TW/", "book/en/"]))
    changed = renumber(app, env)
    for edition in ("zh-TW", "en"):
        numbers = env.toc_fignumbers
        assert numbers[f"book/{edition}/18-1"]["figure"] == {"a": (18, 1), "b": (18, 2)}
        assert numbers[f"book/{edition}/18-2"]["figure"] == {"c": (18, 3)}
        assert numbers[f"book/{edition}/18-2"]["exercise"] == {"e": (18, 1)}
    assert "book/en/18-1" in changed and "book/index" not in changed
    assert renumber(app, env) == []       # a second pass changes nothing

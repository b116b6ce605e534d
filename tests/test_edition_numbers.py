"""Figures and exercises are numbered within each edition (booktools.extensions.edition_numbers)."""

from types import SimpleNamespace

import copy

from booktools.extensions.edition_numbers import give_back_sphinx_numbers, renumber


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


def _sphinx_numbers():
    return {"book/zh-TW/18-1": {"figure": {"a": (1,)}}, "book/zh-TW/18-2": {"figure": {"c": (2,)}},
            "book/en/18-1": {"figure": {"a": (3,)}}, "book/en/18-2": {"figure": {"c": (4,)}}}


def _build(app, env, sphinx_numbers):
    """One build's numbering: ours first, Sphinx's collector, ours again (as the events run)."""
    give_back_sphinx_numbers(app, env)
    old = env.toc_fignumbers
    env.toc_fignumbers = copy.deepcopy(sphinx_numbers)
    sphinx_rewrites = sorted(doc for doc in sphinx_numbers if sphinx_numbers[doc] != old.get(doc))
    return sphinx_rewrites + renumber(app, env)


def test_an_unchanged_book_rewrites_no_page_and_a_new_figure_only_its_editions():
    env = SimpleNamespace(toc_fignumbers={})
    app = SimpleNamespace(config=SimpleNamespace(edition_chapter=18,
                                                 edition_prefixes=["book/zh-TW/", "book/en/"]))
    assert len(set(_build(app, env, _sphinx_numbers()))) == 4        # the first build
    assert _build(app, env, _sphinx_numbers()) == []                 # nothing changed
    numbers = _sphinx_numbers()
    numbers["book/zh-TW/18-1"]["figure"]["z"] = (0,)                  # a new first figure
    numbers["book/en/18-1"]["figure"]["z"] = (0,)
    rewritten = set(_build(app, env, numbers))
    assert {"book/zh-TW/18-2", "book/en/18-2"} <= rewritten           # their numbers moved up
    assert env.toc_fignumbers["book/en/18-2"]["figure"] == {"c": (18, 3)}

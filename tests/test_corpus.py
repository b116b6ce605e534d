"""The Shakespeare corpus of 18-3: every play parsed, plain text, held-out plays apart."""

import re

import pytest

from rnnbook.data.shakespeare import (
    VALIDATION_PLAYS,
    Corpus,
    load_shakespeare,
    markdown_to_speeches,
    play_text,
    play_titles,
)

SPEAKER = re.compile(r"^[A-Z][A-Z .'\-]+:$")


@pytest.fixture(scope="module")
def corpus():
    return load_shakespeare()


def test_every_play_is_parsed():
    titles = play_titles()
    assert len(titles) == 38                      # the 37 First Folio plays and Edward III
    assert {"Hamlet", "Twelfth Night", "Measure for Measure", "Henry IV, Part 1",
            "Henry IV, Part 2", "Edward III"} <= set(titles)
    for title in titles:
        text = play_text(title)
        assert len(text) > 50_000, title
        assert text.endswith("\n\n") and not text.startswith("\n"), title


def test_speeches_are_in_tiny_shakespeare_form(corpus):
    for text in (corpus.train, corpus.validation):
        for speech in text[:-2].split("\n\n"):
            name, *lines = speech.split("\n")
            assert SPEAKER.match(name), name
            assert lines and all(line and line == line.strip() for line in lines), speech[:200]


def test_no_markdown_marks_or_stage_directions_remain(corpus):
    text = corpus.train + corpus.validation
    for mark in "#*_[]\\\u2014\"":
        assert mark not in text, mark
    assert "Exeunt" not in text
    assert "  " not in text
    assert "\n\n\n" not in text


def test_the_seed_speakers_are_there(corpus):
    for name in ("PANDARUS:", "SECOND SENATOR:", "DUKE VINCENTIO:", "SECOND LORD:", "CLOWN:",
                 "VIOLA:"):
        assert f"\n{name}\n" in corpus.train, name


def test_twelfth_night_opens_as_expected():
    assert play_text("Twelfth Night").startswith(
        "DUKE ORSINO:\nIf music be the food of love, play on;\n")


def test_conversion_rules_on_a_small_play():
    markdown = (
        "# A Play\n\n## ACT I\n\n### SCENE I. A room.\n\n_Enter CURIO and Lords_\n\n"
        "**CURIO**  \nWill you go hunt, my lord?  \n_\\[Aside]_  \nThe hart.\\--\n\n"
        "_Exit_\n\nHow now! what news?\n\n*Sound a horn.*\n\n"
        "**First Lord & Second Lord**  \nWe come \u2014 \"we\" come.\n\n"
        "_\\[To CURIO]_  \n**VIOLA**  \n_\\[Reads]_  \n'To the unknown beloved'\n\n"
        "### SCENE II. Nowhere.\n\nNo one says this.\n"
    )
    assert markdown_to_speeches(markdown) == (
        "CURIO:\nWill you go hunt, my lord?\nThe hart.--\nHow now! what news?\n\n"
        "FIRST LORD AND SECOND LORD:\nWe come -- 'we' come.\n\n"
        "VIOLA:\n'To the unknown beloved'\n\n"
    )


def test_validation_plays_are_held_out(corpus):
    assert corpus.validation_plays == tuple(sorted(VALIDATION_PLAYS))
    assert set(corpus.train_plays).isdisjoint(corpus.validation_plays)
    assert set(corpus.train_plays) | set(corpus.validation_plays) == set(play_titles())
    for title in corpus.validation_plays:
        text = play_text(title)
        assert text in corpus.validation
        assert text[:2000] not in corpus.train, title
    assert "MACBETH:" not in corpus.train and "MACBETH:" in corpus.validation


def test_sizes(corpus):
    total = len(corpus.train) + len(corpus.validation)
    print(f"\ntrain {len(corpus.train):,} characters, validation {len(corpus.validation):,} "
          f"({len(corpus.validation) / total:.1%}), {len(corpus.characters)} distinct characters")
    assert 4_000_000 < len(corpus.train) < 5_000_000
    assert 0.08 <= len(corpus.validation) / total <= 0.10
    assert set(corpus.validation) <= set(corpus.train)
    assert len(corpus.characters) < 80


def test_corpus_is_cached_and_digest_is_stable(corpus):
    assert load_shakespeare() is corpus
    assert len(corpus.digest) == 64 and corpus.digest == load_shakespeare().digest
    other = load_shakespeare(("Hamlet",))
    assert other.validation_plays == ("Hamlet",) and other.digest != corpus.digest
    swapped = Corpus(corpus.validation, corpus.train, (), ())
    assert swapped.digest != corpus.digest


def test_bad_input_names_the_valid_titles():
    with pytest.raises(ValueError, match=r"'Hamlet, Prince of Denmark' is not a play.*"
                                         r"valid titles: .*Hamlet"):
        play_text("Hamlet, Prince of Denmark")
    with pytest.raises(ValueError, match="is not a play of the corpus; valid titles"):
        load_shakespeare(("Macbeth", "Cardenio"))
    with pytest.raises(ValueError, match="leave no play for training; hold out fewer of: "):
        load_shakespeare(play_titles())
    with pytest.raises(ValueError, match="must name at least one play; valid titles"):
        load_shakespeare(())
    with pytest.raises(TypeError, match="not one str"):
        load_shakespeare("Macbeth")
    with pytest.raises(TypeError, match="must be a play title"):
        play_text(3)


@pytest.mark.parametrize("function, argument, message", [
    (play_text, None, r"title must be a play title \(str\), got NoneType"),
    (play_text, b"Macbeth", r"title must be a play title \(str\), got bytes"),
    (markdown_to_speeches, None, r"markdown must be the Markdown text of a play \(str\), "
                                 "got NoneType"),
    (markdown_to_speeches, b"# A Play", "markdown must be .* got bytes"),
    (load_shakespeare, None, r"validation_plays must be a tuple of play titles \(str\), "
                             "got NoneType"),
    (load_shakespeare, 3, "validation_plays must be a tuple of play titles .* got int"),
    (load_shakespeare, ("Macbeth", None), r"validation play must be a play title \(str\), "
                                          "got NoneType"),
])
def test_wrong_types_name_the_argument_and_the_expected_type(function, argument, message):
    with pytest.raises(TypeError, match=message):
        function(argument)


def test_a_list_of_titles_is_accepted_like_a_tuple():
    assert load_shakespeare(["Hamlet"]).validation_plays == ("Hamlet",)


@pytest.mark.parametrize("fields, message", [
    ((None, "", (), ()), r"train must be text in tiny-shakespeare form \(str\), got NoneType"),
    (("", b"", (), ()), "validation must be text .* got bytes"),
    (("", "", None, ()), r"train_plays must be a tuple of play titles \(str\), got None"),
    (("", "", (), ["Macbeth"]), r"validation_plays must be a tuple .* got \['Macbeth'\]"),
    (("", "", ("Macbeth", 3), ()), r"train_plays must be .* got \('Macbeth', 3\)"),
])
def test_corpus_checks_its_fields(fields, message):
    with pytest.raises(TypeError, match=message):
        Corpus(*fields)

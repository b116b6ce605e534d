"""rnnbook.glue: pages keep their numbers for the prose in the build, and run anywhere else."""

import subprocess
import sys
import textwrap

import pytest

from rnnbook.glue import glue

WITHOUT_MYST_NB = """
import sys
class Blocked:
    def find_spec(self, name, path=None, target=None):
        if name == "myst_nb" or name.startswith("myst_nb."):
            raise ImportError("no myst-nb here (a Colab runtime)")
sys.meta_path.insert(0, Blocked())
"""


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", WITHOUT_MYST_NB + textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=120)


def test_without_myst_nb_glue_shows_nothing_unless_asked():
    result = _run("""
        from rnnbook.glue import glue
        glue("accuracy", 0.97, display=False)
        glue("shown", 42)
        import myst_nb
    """)
    assert "ModuleNotFoundError" not in result.stderr
    assert "no myst-nb here" in result.stderr, "the blocker did not block"
    assert result.stdout.strip() == "42"


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

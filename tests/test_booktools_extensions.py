"""booktools' Sphinx extensions and _config.yml's list of them cannot drift apart.

An extension is a booktools module with a top-level ``setup(app)`` (found by
reading the sources, wherever in the package they sit). Each is registered in
_config.yml's ``sphinx.extra_extensions``, or set up by a registered one
(``app.setup_extension("booktools...")``); each booktools entry of that list is
such a module.
"""

import ast
import re
from pathlib import Path

import booktools
from booktools.book import book_config

PACKAGE = Path(booktools.__file__).parent
SETS_UP = re.compile(r"""app\.setup_extension\(\s*["'](booktools(?:\.\w+)+)["']\s*\)""")


def extension_modules(package: Path = PACKAGE) -> dict[str, str]:
    """{module name: source} of the package's modules with a top-level setup()."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if any(isinstance(node, ast.FunctionDef) and node.name == "setup"
               for node in ast.parse(source).body):
            parts = path.relative_to(package.parent).with_suffix("").parts
            found[".".join(parts).removesuffix(".__init__")] = source
    return found


def disagreements(registered: list[str], modules: dict[str, str]) -> dict[str, list[str]]:
    """What the list and the modules disagree on: unregistered modules, unknown entries."""
    ours = [name for name in registered if name.split(".")[0] == "booktools"]
    reached = set(ours)
    for name in ours:                        # and whatever a registered one sets up
        reached |= set(SETS_UP.findall(modules.get(name, "")))
    return {"extensions _config.yml does not register": sorted(set(modules) - reached),
            "entries of _config.yml that are no booktools extension": sorted(set(ours)
                                                                             - set(modules))}


def registered_extensions() -> list[str]:
    return (book_config().get("sphinx") or {}).get("extra_extensions") or []


def test_every_booktools_extension_is_registered_and_every_entry_is_one():
    problems = disagreements(registered_extensions(), extension_modules())
    assert problems == {key: [] for key in problems}, (
        "_config.yml's sphinx.extra_extensions and the booktools modules with a setup(app) "
        f"disagree: {problems}")


def test_the_check_finds_a_dropped_entry_and_a_stale_one():
    registered = registered_extensions()
    modules = extension_modules()
    dropped = [name for name in registered if name != "booktools.extensions.model_export"]
    assert disagreements(dropped, modules)["extensions _config.yml does not register"] == [
        "booktools.extensions.model_export"]
    stale = disagreements(registered + ["booktools.gone"], modules)
    assert stale["entries of _config.yml that are no booktools extension"] == ["booktools.gone"]
    # An extension reached only through another's setup_extension is registered.
    assert "booktools.editions" in modules and "booktools.editions" not in registered


def test_the_package_docstring_points_to_the_list_and_this_check():
    assert "sphinx.extra_extensions" in booktools.__doc__
    assert Path(__file__).name in booktools.__doc__

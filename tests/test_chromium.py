"""`make test` finds a Chromium, gets Playwright's, or stops at once saying how.

The script under test is tests/chromium.py.
"""

import pytest
from chromium import (DOWNLOAD, ChromiumNotFound, ensure_chromium, find_chromium, install_command,
                      main)
from conftest import ROOT


def _none(*_):
    return None


def test_chromium_names_the_binary_first(tmp_path):
    binary = tmp_path / "chrome"
    binary.touch()
    assert find_chromium({"CHROMIUM": str(binary)}, which=_none, debian=tmp_path / "no",
                         bundled=_none) == str(binary)


def test_a_chromium_variable_naming_no_file_is_an_error(tmp_path):
    with pytest.raises(ChromiumNotFound, match="CHROMIUM=.*names no file"):
        find_chromium({"CHROMIUM": str(tmp_path / "missing")})


def test_debian_then_path_then_playwrights(tmp_path):
    debian = tmp_path / "chromium"
    debian.touch()
    assert find_chromium({}, which=_none, debian=debian, bundled=_none) == str(debian)
    on_path = find_chromium({}, which=lambda name: f"/opt/{name}", debian=tmp_path / "no",
                            bundled=_none)
    assert on_path == "/opt/chromium"
    assert find_chromium({}, which=_none, debian=tmp_path / "no",
                         bundled=lambda: "/pw/chrome") == "/pw/chrome"
    assert find_chromium({}, which=_none, debian=tmp_path / "no", bundled=_none) is None


def test_a_missing_chromium_is_downloaded(tmp_path):
    calls = []
    script = tmp_path / "fetch.py"
    script.write_text("pass\n")

    def find():
        calls.append("find")
        return "/pw/chrome" if len(calls) > 1 else None

    assert ensure_chromium(find, download=["python3", str(script)]) == "/pw/chrome"
    assert calls == ["find", "find"]


def test_offline_it_stops_at_once_with_the_install_command(monkeypatch, tmp_path, capsys):
    """Playwright's real download, pointed at a closed local port as on a machine offline."""
    monkeypatch.setenv("PLAYWRIGHT_DOWNLOAD_HOST", "http://127.0.0.1:9")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "browsers"))
    assert main(find=_none) == 2
    error = capsys.readouterr().err
    assert "could not download" in error
    assert install_command() in error
    assert DOWNLOAD[-3:] == ["playwright", "install", "chromium"]


@pytest.mark.parametrize(("system", "apt", "expected"), [
    ("Linux", True, "sudo apt-get install chromium fonts-noto-cjk"),
    ("Darwin", False, "brew install --cask chromium"),
    ("Linux", False, "-m playwright install chromium"),
])
def test_the_install_command_fits_the_machine(system, apt, expected):
    which = (lambda name: "/usr/bin/apt-get") if apt else _none
    assert expected in install_command(system, which)


def test_make_test_looks_for_chromium_before_anything_else():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\ntest: ", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert "tests/chromium.py" in recipe[0], recipe

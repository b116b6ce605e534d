"""Find the Chromium the browser tests drive, or get one: `make test`'s first step.

Looked for in this order: the CHROMIUM variable, Debian's /usr/bin/chromium (or
chromium, chromium-browser on PATH), then Playwright's own download. When none
is there, `python tests/chromium.py` asks Playwright to download its Chromium
(where the network allows) and otherwise stops at once, before the tests and
the build, with the one command that installs a Chromium.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
DOWNLOAD = [sys.executable, "-m", "playwright", "install", "chromium"]


class ChromiumNotFound(RuntimeError):
    """No Chromium could be found or fetched; the message says how to get one."""


def playwright_chromium() -> str | None:
    """The path of Playwright's downloaded Chromium, if it has been downloaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        path = p.chromium.executable_path
    return path if path and Path(path).exists() else None


def find_chromium(environ=os.environ, which=shutil.which, debian=DEBIAN_CHROMIUM,
                  bundled=playwright_chromium) -> str | None:
    """The Chromium to drive, or None. A CHROMIUM that names no file is an error."""
    named = environ.get("CHROMIUM")
    if named:
        if not Path(named).exists():
            raise ChromiumNotFound(f"CHROMIUM={named} names no file: point it at a Chrome "
                                   "or Chromium binary, or unset it")
        return named
    if debian.exists():
        return str(debian)
    return which("chromium") or which("chromium-browser") or bundled()


def install_command(system: str = platform.system(), which=shutil.which) -> str:
    """The one command that installs a Chromium on this kind of machine."""
    if system == "Linux" and which("apt-get"):
        return "sudo apt-get install chromium fonts-noto-cjk"
    if system == "Darwin":
        return "brew install --cask chromium"
    return f"{Path(sys.executable).name} -m playwright install chromium  (needs the network)"


def ensure_chromium(find=find_chromium, download=DOWNLOAD, command=install_command) -> str:
    """Return a Chromium, downloading Playwright's if none is there, or raise."""
    found = find()
    if found:
        return found
    print("No Chromium for the browser tests; asking Playwright for its own "
          f"({' '.join(download[1:])}) ...", file=sys.stderr, flush=True)
    fetched = subprocess.run(download, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, timeout=900)
    found = find() if fetched.returncode == 0 else None
    if not found:
        raise ChromiumNotFound(
            "make test needs Chromium for its browser tests, none was found and Playwright "
            f"could not download one (no network?). Install it with:\n    {command()}\n"
            "or set CHROMIUM=/path/to/chrome")
    return found


def main(find=find_chromium) -> int:
    try:
        print(f"Chromium for the browser tests: {ensure_chromium(find)}")
    except ChromiumNotFound as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

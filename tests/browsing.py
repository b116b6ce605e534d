"""What the browser tests share: the built site served over HTTP, one Chromium,
and fresh offline visits of its pages (the fixtures `site`, `browser`, `visit`,
which tests/conftest.py makes available to every test module). One server and
one Chromium serve the whole run (session scope); each visit has a fresh context.

The pages of the book come from _toc.yml (PAGES), the editions' pages from
their folders (EDITION_PAGES); DESKTOP and PHONE are the two widths every page
is checked at.
"""

import functools
import http.server
import re
import threading
from urllib.parse import urljoin, urlparse

import pytest
import yaml
from chromium import ChromiumNotFound, find_chromium

from booktools.book import ROOT, toc_pages

HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
EDITIONS = ("zh-TW", "en")
TIMEOUT_MS = 20_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


PAGES = toc_pages(ROOT)
EDITION_PAGES = [p for p in PAGES if p.split("/")[:2] in (["book", e] for e in EDITIONS)]


def source(page):
    return (ROOT / f"{page}.md").read_text(encoding="utf-8")


EXECUTABLE_PAGES = [p for p in PAGES if "```{code-cell}" in source(p)]


def edition_of(page):
    parts = page.split("/")
    return parts[1] if len(parts) > 2 and parts[1] in EDITIONS else None


def counterpart(page):
    edition = edition_of(page)
    other = EDITIONS[1 - EDITIONS.index(edition)]
    return page.replace(f"book/{edition}/", f"book/{other}/", 1)


def built_html(page):
    path = HTML / f"{page}.html"
    if not path.is_file():
        pytest.fail(f"{page}.html was not built; build the book first: make book")
    return path.read_text(encoding="utf-8")


def record_measurements(path, **values):
    """Add ``values`` to the JSON file at ``path`` (what a browser test measured)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    recorded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    recorded.update(values)
    path.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def repository():
    """owner, repo and branch of the book's repository, from _config.yml."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    url = config["repository"]["url"].rstrip("/").removesuffix(".git")
    owner, repo = urlparse(url).path.strip("/").split("/")[:2]
    return owner, repo, config["repository"].get("branch", "main")


# --------------------------------------------------------------------------- fixtures


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a browser closing a connection early is not an error of the site


@pytest.fixture(scope="session")
def site():
    """Base URL ("http://127.0.0.1:<port>/") of _build/html, served over HTTP."""
    if not (HTML / "index.html").is_file():
        pytest.fail("build the book first: make book")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _chromium_path():
    try:
        found = find_chromium()
    except ChromiumNotFound as error:
        pytest.fail(str(error))
    if not found:
        pytest.fail("no Chromium found for the browser tests: `make test` gets one "
                    "(tests/chromium.py), or set CHROMIUM=/path/to/chrome")
    return found


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = _chromium_path()  # before sync_playwright: the lookup may start its own
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """One page opened in a fresh context, with what happened while it loaded."""

    def __init__(self, page, context, base):
        self.page, self.context, self.base = page, context, base
        self.console_errors, self.failed, self.bad_responses, self.third_party = [], [], [], []
        page.on("console", self._console)
        page.on("pageerror", self._page_error)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("request", self._request)

    def _local(self, url):
        return url.startswith(self.base) or not url.startswith(("http:", "https:", "ws:", "wss:"))

    def _console(self, message):
        if message.type == "error":
            location = message.location or {}
            self.console_errors.append(f"{message.text} ({location.get('url', '')})")

    def _page_error(self, error):
        self.console_errors.append(f"uncaught {error.name}: {error.message}")

    def _failed(self, request):
        if self._local(request.url):
            self.failed.append(f"{request.url}: {request.failure}")

    def _response(self, response):
        if response.status >= 400:
            self.bad_responses.append(f"{response.status} {response.url}")

    def _request(self, request):
        if not self._local(request.url):
            self.third_party.append(request.url)

    def goto(self, path, wait="networkidle"):
        """Open `path`; wait for "networkidle", "load" or "domcontentloaded"."""
        response = self.page.goto(urljoin(self.base, path),
                                  wait_until="load" if wait == "networkidle" else wait)
        assert response is not None and response.ok, \
            f"{path}: HTTP {response and response.status}"
        if wait == "networkidle":
            self.page.wait_for_load_state("networkidle")
        return response

    def path(self):
        return urlparse(self.page.url).path.lstrip("/")


def open_page(browser, site, contexts, path, *, viewport=DESKTOP, dark=False,
              wait="networkidle", **options):
    """Open `path` in a fresh context (offline: other hosts fail at once)."""
    context = browser.new_context(viewport=viewport, **options)
    contexts.append(context)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    # Offline: anything not served by the local server fails at once (and is
    # recorded as third-party by Visit), as it would without a network.
    context.route(re.compile(r"^(?!" + re.escape(site) + r")(https?|wss?)://"),
                  lambda route: route.abort("internetdisconnected"))
    if dark:
        context.add_init_script(
            "try { localStorage.setItem('mode', 'dark');"
            " localStorage.setItem('theme', 'dark'); } catch (e) {}")
    v = Visit(context.new_page(), context, site)
    if path is not None:
        v.goto(path, wait=wait)
    return v


@pytest.fixture
def visit(browser, site):
    """Open pages in a fresh context: visit(path, viewport=..., dark=...)."""
    contexts = []
    yield functools.partial(open_page, browser, site, contexts)
    for context in contexts:
        context.close()



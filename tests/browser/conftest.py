"""Browser tests: Playwright for Python driving Debian's Chromium against the live server.

They are marked ``browser`` and skipped when no Chromium is installed; `.ci/run`
installs it. Playwright's own browser download is never used.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}; .ci/run installs it"
        if os.environ.get("ASRHUB_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class PageProblems:
    """Console errors, CSP violations and requests to other origins seen by a page."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.console_errors: list[str] = []
        self.csp_violations: list[str] = []
        self.foreign_requests: list[str] = []

    def watch(self, page) -> None:
        page.on("console", self._on_console)
        page.on("request", self._on_request)

    def _on_console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.csp_violations.append(text)
        elif message.type == "error":
            self.console_errors.append(text)

    def _on_request(self, request) -> None:
        url = request.url
        if url.startswith(("http://", "https://")) and not url.startswith(self.origin):
            self.foreign_requests.append(url)


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context, live_server):
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = PageProblems(live_server.url)
    problems.watch(page)
    page.problems = problems
    yield page
    page.close()

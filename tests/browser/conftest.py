"""Browser tests: Playwright driving Debian's Chromium, headless, against a live server.

Chromium comes from Debian's package (`make test` installs it when missing), not from
`playwright install`. Without it the tests skip locally but fail in CI (CI=true)."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

from registry.seeding import seed

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        message = "Debian's chromium is not installed (make test installs it)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are
    # still synchronous and safe here.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()
        # While Playwright's loop runs in this thread, the ORM's connections are others (asgiref
        # keeps them apart by the running loop): closed here, or PostgreSQL could not drop the
        # test database at the end ("being accessed by other users").
        connections.close_all()


# Reports every Content-Security-Policy violation to the console (injected by Playwright, which
# the page's own policy does not govern).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


@pytest.fixture
def page(browser):
    """A page whose console is recorded: any Content-Security-Policy violation fails the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(REPORT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_messages_seen = messages = []
    page.on("console", lambda message: messages.append(message.text))
    yield page
    context.close()
    violations = [text for text in messages if "CSP violation" in text or "Content Security Policy" in text]
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def seeded(transactional_db):
    """The live server needs committed data: load the fixtures (idempotent) in this test."""
    seed(settings.REGISTRY_FIXTURES_DIR)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from npm by `make test` (tests/browser/package.json) and read
    from the disk: evaluated in the page through the browser's devtools protocol, so it needs no
    exception to the pages' Content-Security-Policy and nothing is fetched from a CDN."""
    if not AXE.exists():
        message = "axe-core is not installed (make test installs it: npm ci --prefix tests/browser)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")

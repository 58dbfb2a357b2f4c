"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium) against WSGI apps
served on 127.0.0.1. Playwright never downloads a browser here.

Fixtures: ``chromium_path``, ``browser`` (one per session), ``page`` (a fresh context per test,
nb-NO, Europe/Oslo, 1280x900; ``page.console_errors`` lists console errors and uncaught page
errors, ``page.page_errors`` the uncaught ones only), ``live_server_factory`` (serve a WSGI app,
get its base URL, stopped at teardown) and ``vendor_assets`` (fails unless ``make setup`` has
copied the front-end packages into web/static/vendor/).

Helpers: ``serve_wsgi(app)`` and ``require_vendor_assets()``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[3]
STATIC = ROOT / "web" / "static"
VENDOR = STATIC / "vendor"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VENDOR_FILES = (
    "bpmn-js/bpmn-navigated-viewer.production.min.js",
    "bpmn-js/bpmn-viewer.production.min.js",
    "bpmn-js/bpmn-modeler.production.min.js",
    "bpmn-js/assets/diagram-js.css",
    "bpmn-js/assets/bpmn-js.css",
    "dmn-js/dmn-viewer.production.min.js",
    "dmn-js/dmn-modeler.production.min.js",
    "htmx/htmx.min.js",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Debian's Chromium with Playwright")


def _browser_required() -> bool:
    return bool(os.environ.get("KOORDINATOR_REQUIRE_BROWSER") or os.environ.get("CI"))


def require_vendor_assets() -> Path:
    """web/static/vendor, or a test failure that says how to fill it."""
    missing = [name for name in VENDOR_FILES if not (VENDOR / name).is_file()]
    if missing:
        shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
        pytest.fail(
            f"front-end assets missing in {VENDOR} ({shown}): run `make setup` "
            "(it runs npm ci and copies bpmn-js, dmn-js and htmx there)",
            pytrace=False,
        )
    return VENDOR


class ServedApp(str):
    """The base URL of a WSGI app served in a background thread (``http://127.0.0.1:PORT``);
    a ``str``, so it can be used as the URL directly. ``shutdown()`` stops the server."""

    server: object
    thread: threading.Thread

    def shutdown(self) -> None:
        self.server.shutdown()  # type: ignore[attr-defined]
        self.server.server_close()  # type: ignore[attr-defined]
        self.thread.join(timeout=10)


def serve_wsgi(app: Callable, host: str = "127.0.0.1") -> ServedApp:
    """Serve any WSGI app on ``host`` at an ephemeral port; returns the base URL (call
    ``.shutdown()`` on it when done, or use the ``live_server_factory`` fixture instead)."""
    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="wsgi-test-server", daemon=True)
    thread.start()
    served = ServedApp(f"http://{host}:{server.server_port}")
    served.server = server
    served.thread = thread
    return served


@pytest.fixture
def live_server_factory() -> Iterator[Callable[[Callable], ServedApp]]:
    """``live_server_factory(app)`` serves ``app`` and returns its base URL; every server it
    started is shut down at the end of the test."""
    started: list[ServedApp] = []

    def factory(app: Callable) -> ServedApp:
        served = serve_wsgi(app)
        started.append(served)
        return served

    yield factory
    for served in reversed(started):
        served.shutdown()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (apt-get install chromium); .ci/run installs it"
        if _browser_required():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
    except Exception:
        playwright.stop()
        raise
    yield launched
    try:
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(
        locale="nb-NO", timezone_id="Europe/Oslo", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    console_errors: list[str] = []
    page_errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            console_errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    def on_page_error(error) -> None:
        text = f"uncaught: {error}"
        page_errors.append(text)
        console_errors.append(text)

    new_page.on("console", on_console)
    new_page.on("pageerror", on_page_error)
    new_page.console_errors = console_errors
    new_page.page_errors = page_errors
    yield new_page
    context.close()


@pytest.fixture
def vendor_assets() -> Path:
    return require_vendor_assets()

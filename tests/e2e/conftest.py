"""Browser tests: the real app on a live server, driven by Debian's Chromium through Playwright.

Fixtures:
- `live_server`: the app on http://127.0.0.1:<free port> with a fresh SQLite file, one per session;
  its email goes to the session's SMTP server (`tests/mail_server.py`).
- `launch_chromium(extra_args=())`: start another Chromium (e.g. with fake-camera flags);
  closed at the end of the session.
- `browser`: the shared headless Chromium, started once per session.
- `new_phone(browser=None, **options)`: a fresh 390×844 touch context with its own cookies;
  `phone` is one of them and `page` a tab in it.

Every context records JavaScript errors and console errors (a CSP violation is one) and
the test fails on them, as it does when the server logged an unhandled exception.
"""

import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from eventmate import create_app
from eventmate.extensions import db
from tests.conftest import FAST_TEST_HASH, MAIL_FROM

CHROMIUM_MISSING = "Debian chromium not installed: run bash scripts/test.sh, which installs it"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
# A phone held in one hand; scale 1 keeps screenshots small and the tests fast.
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "locale": "en-GB",
    "timezone_id": "Europe/Lisbon",
}
# Chromium reports an HTTP error status of the page itself as a console error; the tests
# check those statuses on purpose (a rotated card answers 410, a bad form 400 or 422).
EXPECTED_CONSOLE = ("Failed to load resource: the server responded with a status of 4",)


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__) + os.sep
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.e2e)


class QuietHandler(WSGIRequestHandler):
    """No line per request in the test output; errors are still logged."""

    def log_request(self, *args, **kwargs):
        pass


class ErrorRecorder(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@dataclass
class LiveServer:
    app: Flask
    url: str
    errors: ErrorRecorder

    def take_errors(self) -> list[str]:
        """What the server logged as errors since the last call, then forget it."""
        found = [
            f"{record.getMessage()} ({record.exc_info[1]!r})"
            if record.exc_info
            else record.getMessage()
            for record in self.errors.records
        ]
        self.errors.records.clear()
        return found


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, smtp_url) -> Iterator[LiveServer]:
    database = tmp_path_factory.mktemp("e2e") / "eventmate.sqlite3"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EVENTMATE_ENV", "development")  # cookies without https, no redirect
        for name in (
            "DATABASE_URL", "PUBLIC_BASE_URL", "SECRET_KEY", "RATELIMIT_STORAGE_URI", "SMTP_URL",
            "MAIL_FROM",
        ):  # fmt: skip
            patch.delenv(name, raising=False)
        app = create_app(
            {
                "SECRET_KEY": "e2e-secret-key-not-for-production",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "RATELIMIT_ENABLED": False,
                "PASSWORD_HASH_METHOD": FAST_TEST_HASH,
                "SMTP_URL": smtp_url,  # sign-up codes go to the tests' SMTP server
                "MAIL_FROM": MAIL_FROM,
            }
        )
    with app.app_context():
        db.create_all()
    errors = ErrorRecorder()
    app.logger.addHandler(errors)
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=f"http://127.0.0.1:{server.server_port}", errors=errors)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        app.logger.removeHandler(errors)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    if shutil.which("chromium") is None:
        pytest.skip(CHROMIUM_MISSING)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def launch_chromium(playwright_session) -> Iterator[Callable[..., Browser]]:
    """`launch_chromium(extra_args=())` starts a headless Debian Chromium with our flags plus
    `extra_args`, e.g. `["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--use-file-for-fake-video-capture=/path/clip.y4m"]`."""
    launched: list[Browser] = []

    def launch(extra_args: Sequence[str] = ()) -> Browser:
        executable = shutil.which("chromium")
        if executable is None:
            pytest.skip(CHROMIUM_MISSING)
        browser = playwright_session.chromium.launch(
            executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, *extra_args]
        )
        launched.append(browser)
        return browser

    yield launch
    for browser in launched:
        browser.close()


@pytest.fixture(scope="session")
def browser(launch_chromium) -> Browser:
    return launch_chromium()


@dataclass
class PageProblems:
    """JavaScript exceptions and console errors seen in a browser context."""

    messages: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self._console(page, message))

    def _console(self, page: Page, message) -> None:
        if message.type == "error" and not message.text.startswith(EXPECTED_CONSOLE):
            self.messages.append(f"{page.url}: console error: {message.text}")


@pytest.fixture
def new_phone(browser, live_server) -> Iterator[Callable[..., BrowserContext]]:
    """`new_phone(browser=None, **options)`: another phone with its own cookies (a second person).

    Options override the phone defaults (e.g. `permissions=["camera"]`). The test fails when a
    page threw, logged a console error, or the server logged an error.
    """
    shared = browser
    contexts: list[BrowserContext] = []
    problems = PageProblems()
    live_server.take_errors()

    def make(browser: Browser | None = None, **options) -> BrowserContext:
        context = (browser or shared).new_context(
            base_url=live_server.url, accept_downloads=True, **(PHONE | options)
        )
        context.set_default_timeout(10_000)
        context.on("page", problems.watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    server_errors = live_server.take_errors()
    assert not server_errors, f"the server logged errors: {server_errors}"
    assert not problems.messages, "the browser reported problems:\n" + "\n".join(problems.messages)


@pytest.fixture
def phone(new_phone) -> BrowserContext:
    return new_phone()


@pytest.fixture
def page(phone) -> Page:
    return phone.new_page()

"""A live server on a free local port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import app_config, dispose_engines
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark browser tests; without Chromium they skip locally and fail in CI."""
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is not installed"))


@pytest.fixture(scope="session")
def live_server(db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app, with CSRF on as in production, on 127.0.0.1 and a free port."""
    from app import create_app

    instance = tmp_path_factory.mktemp("instance")
    application = create_app(app_config(db_url, WTF_CSRF_ENABLED=True, INSTANCE_PATH=str(instance)))
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    dispose_engines(application)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app) -> Iterator[object]:
    """A fresh browser context (no cookies) and page per test, 1280×860."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(
    page,
    base_url: str,
    email: str,
    password: str = PASSWORD,
    *,
    lands_on: str | None = None,
    open_login: bool = True,
) -> None:
    """Sign in through the real login page: fill in e-mail and password, press Sign in.

    Then wait for the page at `lands_on` (a path) or, without it, for the next page to
    load. `open_login=False` uses the login page already open.
    """
    if open_login:
        page.goto(f"{base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if lands_on is None:
        page.wait_for_load_state()
    else:
        page.wait_for_url(f"{base_url}{lands_on}")


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under tests/e2e/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path

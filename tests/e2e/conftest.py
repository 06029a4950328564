"""A live server on a free local port and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.models import SYSTEM
from app.services.bank_import import ImportOptions, import_files
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


# One published Foundation question of every type the learner pages offer, on clause
# 8.6.1, two of them on a case: the accessibility and keyboard journeys answer them all.
EVERY_TYPE_BANK = """\
bank: {id: every-type, title: One of each type}
scenarios:
  - id: night-desk
    title: The night desk
    text: A service desk runs overnight with two analysts and logs every call it takes.
questions:
  - id: et-single
    type: single_choice
    level: foundation
    clauses: ["8.6.1"]
    stem: Which record does the service desk open for a **printer that stopped working**?
    options:
      - {id: a, text: An incident record, correct: true, feedback: "Right: a service failed."}
      - {id: b, text: A change record, feedback: Nothing is being changed.}
      - {id: c, text: A problem record}
    explanation: A loss of service is an incident (clause 8.6.1).
  - id: et-multiple
    type: multiple_response
    level: foundation
    clauses: ["8.6.1"]
    stem: Which TWO does an incident record hold?
    options:
      - {id: a, text: Its priority, correct: true}
      - {id: b, text: Its classification, correct: true}
      - {id: c, text: The auditor's name}
    explanation: Incidents are recorded, classified and prioritized.
  - id: et-true-false
    type: true_false
    level: foundation
    clauses: ["8.6.1"]
    scenario: night-desk
    stem: The night desk should prioritize the incidents it records.
    answer: true
    explanation: Clause 8.6.1 asks for incidents to be prioritized.
  - id: et-matching
    type: matching
    level: foundation
    clauses: ["8.6.1"]
    stem: Match each record to what it is for.
    pairs:
      - {id: p1, prompt: Incident, match: Restore the service}
      - {id: p2, prompt: Service request, match: Fulfil what was asked}
    extra_matches: [Approve a change]
    explanation: Incidents restore; requests fulfil.
  - id: et-ordering
    type: ordering
    level: foundation
    clauses: ["8.6.1"]
    scenario: night-desk
    stem: Put the night desk's handling of a call in order.
    steps:
      - {id: s1, text: Record the incident}
      - {id: s2, text: Classify and prioritize it}
      - {id: s3, text: Resolve it}
    explanation: Record, classify, then resolve.
  - id: et-short
    type: short_answer
    level: foundation
    clauses: ["8.6.1"]
    stem: What kind of record does an unplanned loss of service get? One word.
    answers: [incident]
    explanation: An incident record.
  - id: et-essay
    type: essay
    level: foundation
    clauses: ["8.6.1"]
    stem: Describe how the desk should handle a major incident.
    rubric:
      - {criterion: Names the procedure, marks: 2}
    explanation: A documented procedure for major incidents.
  - id: et-sorting
    type: classification
    level: foundation
    clauses: ["8.6.1"]
    stem: Sort each record the desk received.
    categories: [{id: inc, text: Incident}, {id: req, text: Service request}]
    items:
      - {id: i1, text: The VPN drops every hour, category: inc}
      - {id: i2, text: A new starter needs a laptop, category: req}
    explanation: Clause 8.6.1 covers incidents; requests have their own clause.
"""


@pytest.fixture
def every_type_bank(reference) -> list[str]:
    """The bank above, imported and published; the question types it holds."""
    report = import_files(
        SYSTEM, [("every.yaml", EVERY_TYPE_BANK.encode())], ImportOptions(publish=True)
    )
    assert report.ok and report.written, [i for f in report.files for i in f.problems]
    return [
        "single_choice",
        "multiple_response",
        "true_false",
        "matching",
        "ordering",
        "short_answer",
        "essay",
        "classification",
    ]

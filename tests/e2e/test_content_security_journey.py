"""Every audience's main pages run under the Content-Security-Policy without one violation,
and a remote image in imported content never makes the browser call an outside address."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import SYSTEM, Bank, Question, Role, Team, TeamMembership
from app.services import answering, attempts
from app.services.bank_import import ImportOptions, import_files
from app.services.demo_seed import seed_demo
from tests.e2e.conftest import sign_in

# The app has no favicon, and the journey opens a missing page on purpose.
EXPECTED_MISSING = ("/favicon.ico", "/nope")
LISTEN_FOR_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


@dataclass
class Watch:
    """What the browser reported while the test drove it."""

    origin: str
    violations: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    unprotected: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        """Listen to the page's console, script errors and requests."""
        page.add_init_script(LISTEN_FOR_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, message) -> None:
        url = message.location.get("url") or ""
        if message.type == "error" and not url.endswith(EXPECTED_MISSING):
            self.console_errors.append(f"{message.text} ({url})")

    def _request(self, request) -> None:
        if not request.url.startswith((self.origin, "data:")):
            self.outside_requests.append(request.url)

    def _response(self, response) -> None:
        """Every document the app serves must carry the policy, or the test proves nothing."""
        if response.request.resource_type == "document" and response.url.startswith(self.origin):
            policy = response.headers.get("content-security-policy", "")
            if "script-src 'self'" not in policy or "style-src 'self'" not in policy:
                self.unprotected.append(response.url)

    def settle(self, page) -> None:
        """Collect the violations the current document saw."""
        page.wait_for_load_state("load")
        where = page.url.removeprefix(self.origin)
        self.violations += [f"{where}: {v}" for v in page.evaluate("window.__violations")]
        self.pages.append(where)

    def visit(self, page, path: str) -> None:
        """Open a page of the app and collect what it reported."""
        page.goto(f"{self.origin}{path}")
        self.settle(page)

    def assert_clean(self) -> None:
        """Nothing was blocked, logged as an error, or fetched from elsewhere."""
        assert self.unprotected == []
        assert self.violations == []
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.outside_requests == []


@pytest.fixture
def watch(page, live_server) -> Watch:
    """A Watch attached to the test's page."""
    watcher = Watch(live_server)
    watcher.attach(page)
    return watcher


def _sign_in(page, watch: Watch, email: str) -> None:
    """Sign in with the login page watched too."""
    watch.visit(page, "/login")
    sign_in(page, watch.origin, email, open_login=False)
    watch.settle(page)


def _sign_out(page, watch: Watch) -> None:
    page.get_by_role("button", name="Sign out").click()
    watch.settle(page)


def _learner_pages(page, watch: Watch, learner) -> None:
    """Home, a mock exam with an autosaved answer, history, a result, the profile."""
    finished = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=3))
    answering.submit_attempt(learner, finished.id)
    _sign_in(page, watch, learner.email)
    page.locator(".card", has_text="Foundation mock exam").get_by_role(
        "button", name="Start"
    ).click()
    page.wait_for_url("**/learn/attempts/*")
    watch.settle(page)
    page.locator("#q1 form.cw-answer input.form-check-input").first.check()
    page.locator('.cw-cell[data-position="1"].is-answered').wait_for()  # autosaved
    page.get_by_role("link", name="All on one page").click()
    watch.settle(page)
    for path in ("/learn/history", f"/learn/attempts/{finished.id}/result", "/profile", "/nope"):
        watch.visit(page, path)
    _sign_out(page, watch)


def _trainer_pages(page, watch: Watch, trainer) -> None:
    """Banks, a bank, a question, the editor with its live preview, import, analysis."""
    bank_id = db.session.scalars(select(Bank.id).order_by(Bank.id)).first()
    question_id = db.session.scalars(select(Question.id).where(Question.bank_id == bank_id)).first()
    _sign_in(page, watch, trainer.email)
    for path in (
        "/train/",
        f"/train/banks/{bank_id}",
        f"/train/questions/{question_id}",
        "/train/import",
        "/train/analysis?scheme=foundation",
        "/train/review",
        "/train/marking",
    ):
        watch.visit(page, path)
    watch.visit(page, f"/train/questions/{question_id}/edit")
    page.get_by_label("Question", exact=True).fill("Which clause covers **change**?")
    page.locator("#item-preview .cw-stem strong").wait_for()  # the live preview answered
    _sign_out(page, watch)


def _manager_pages(page, watch: Watch, manager) -> None:
    """Teams, the readiness dashboard (sorting a table), a learner, evidence, people."""
    team_id = db.session.scalars(
        select(TeamMembership.team_id).where(TeamMembership.user_id == manager.id)
    ).first()
    member_id = db.session.scalars(
        select(TeamMembership.user_id).where(
            TeamMembership.team_id == team_id, TeamMembership.role == "member"
        )
    ).first()
    _sign_in(page, watch, manager.email)
    watch.visit(page, "/manage/")
    watch.visit(page, f"/manage/teams/{team_id}")
    page.locator("table.cw-members thead th").first.click()  # sort.js
    for path in (
        f"/manage/teams/{team_id}/learners/{member_id}",
        f"/manage/teams/{team_id}/evidence",
        f"/manage/teams/{team_id}/people",
    ):
        watch.visit(page, path)
    _sign_out(page, watch)


def _admin_pages(page, watch: Watch, admin, other) -> None:
    """Accounts, a new account form, an account to edit."""
    _sign_in(page, watch, admin.email)
    for path in ("/admin/", "/admin/users/new", f"/admin/users/{other.id}"):
        watch.visit(page, path)
    _sign_out(page, watch)


def test_every_audience_works_under_the_content_security_policy(page, watch, make_user, banks):
    learner = make_user(role=Role.LEARNER, email="learner@clausewise.test")
    manager = make_user(role=Role.MANAGER, email="manager@clausewise.test")
    trainer = make_user(role=Role.TRAINER)
    admin = make_user(role=Role.ADMIN)
    seed_demo(learners=6, teams=3, days=28, mocks=1)
    assert db.session.scalar(select(Team.id)) is not None

    _learner_pages(page, watch, learner)
    _trainer_pages(page, watch, trainer)
    _manager_pages(page, watch, manager)
    _admin_pages(page, watch, admin, learner)

    assert len(watch.pages) >= 30
    watch.assert_clean()


class _Recorder(BaseHTTPRequestHandler):
    """An outside server that notes every request the browser makes to it."""

    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *_args) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def outside() -> Iterator[str]:
    """The base URL of a recording server on another origin."""
    _Recorder.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _bank_with_remote_images(outside: str) -> str:
    return f"""\
bank: {{id: remote, title: Remote images}}
questions:
  - id: remote-1
    type: single_choice
    level: foundation
    clauses: ["8.6.1"]
    stem: |
      <img src="{outside}/html.png" alt="diagram from an HTML import">
      ![diagram from Markdown]({outside}/markdown.png)
      <div class="position-fixed top-0 start-0 w-100 h-100 bg-white"
        style="z-index:2000;background:url({outside}/style.png)">Sign in again</div>
      Which process records incidents first?
    options:
      - id: a
        text: 'Incident management <img src="{outside}/option.png" alt="o">'
        correct: true
      - {{id: b, text: Supplier management}}
    explanation: Clause 8.6.1 covers incidents.
"""


def test_remote_images_in_imported_content_are_never_fetched(
    page, watch, make_user, reference, outside
):
    trainer = make_user(role=Role.TRAINER)
    learner = make_user(role=Role.LEARNER)
    source = _bank_with_remote_images(outside)
    assert import_files(SYSTEM, [("remote.yaml", source.encode())], ImportOptions(publish=True)).ok
    question = Question.query.filter_by(key="remote-1").one()
    practice = attempts.StartOptions(mode="practice", clauses=["8.6.1"], count=1, seed=1)
    attempt = attempts.start_attempt(learner, "foundation", practice)

    _sign_in(page, watch, trainer.email)
    watch.visit(page, f"/train/questions/{question.id}")
    watch.visit(page, f"/train/questions/{question.id}/edit")
    page.get_by_label("Question", exact=True).fill(f"Preview ![p]({outside}/preview.png) **now**")
    page.locator("#item-preview .cw-stem strong").wait_for()  # the live preview answered
    _sign_out(page, watch)
    _sign_in(page, watch, learner.email)
    watch.visit(page, f"/learn/attempts/{attempt.id}")
    assert page.get_by_text("Which process records incidents first?").is_visible()
    assert page.locator("img[alt='diagram from an HTML import']").count() == 1
    assert page.locator(".position-fixed").count() == 0

    assert _Recorder.hits == []
    watch.assert_clean()

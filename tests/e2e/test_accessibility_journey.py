"""axe-core checks every learner page against the WCAG 2.1 A and AA rules, on the way a
learner uses them: signing in, starting, answering every question type in both layouts,
checking a practice answer, reviewing, submitting and reading the result, the history and
the progress page; the mock exam also at a phone's size. Any violation fails the test and
names the rule, the elements and what is wrong.

axe runs as a script in the page, which the Content-Security-Policy forbids: only these
tests' browser contexts bypass it."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from app.domain import question_types
from app.extensions import db
from app.models import Attempt, Bank, Question, Role
from app.queries import banks as bank_queries
from app.services import answering, attempts, team_membership, teams
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import ESSAY_ANSWER, join_team, make_team, public_answer, sit_exam

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
axe = Axe()


def violations(page) -> list[str]:
    """axe's WCAG 2.1 A/AA violations on the page as it is now, one line per rule: its
    id, the selectors of the elements that break it, and axe's summary of what is wrong."""
    page.wait_for_load_state("load")
    found = axe.run(page, options=AXE_OPTIONS).response["violations"]
    lines = []
    for rule in found:
        targets = ", ".join(" ".join(node["target"]) for node in rule["nodes"])
        summary = rule["nodes"][0].get("failureSummary", "").replace("\n", " ")
        lines.append(f"{rule['id']} ({rule['impact']}) on {targets}: {rule['help']}. {summary}")
    return lines


class Audit:
    """The pages checked so far and what axe found on each."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def check(self, page, name: str) -> None:
        """Run axe on the page and keep what it found under `name`; take a screenshot."""
        self.found[name] = violations(page)
        screenshot(page, f"a11y-{name}", full_page=True)

    def assert_clean(self) -> None:
        """Fail listing every page with a violation, and each violation."""
        failed = {name: lines for name, lines in self.found.items() if lines}
        report = "\n".join(f"{name}:\n  " + "\n  ".join(lines) for name, lines in failed.items())
        assert not failed, f"axe found WCAG 2.1 AA violations:\n{report}"


@pytest.fixture
def audit() -> Audit:
    """Collects axe's findings page by page; the test asserts at its end."""
    return Audit()


def _context(browser, viewport=DESKTOP, **extra):
    """A browser context that lets axe's script run despite the CSP."""
    context = browser.new_context(viewport=viewport, bypass_csp=True, **extra)
    context.set_default_timeout(10_000)
    return context


def test_every_learner_page_of_a_practice_set_passes_axe(
    browser, live_server, make_user, every_type_bank, audit
):
    learner = make_user(role=Role.LEARNER)
    context = _context(browser)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    audit.check(page, "sign-in")
    sign_in(page, live_server, learner.email, lands_on="/learn/", open_login=False)
    audit.check(page, "home-empty")

    # Start a practice set of every type, all on one page, from the home page.
    card = page.locator(".card", has_text="Foundation mock exam")
    card.get_by_label("Mode").select_option("practice")
    card.locator("summary").click()
    card.get_by_label("Clauses for practice").fill("8.6.1")
    card.get_by_label("Layout").select_option("all")
    card.get_by_role("button", name="Start").click()
    page.wait_for_url(f"{live_server}/learn/attempts/*")
    url = page.url.split("?")[0].split("#")[0]
    assert page.locator("article.cw-question").count() == len(every_type_bank)
    assert page.locator("details.cw-scenario").count() == 2
    audit.check(page, "practice-all-on-one-page")

    # One per page; then a choice checked, with its feedback shown.
    page.goto(f"{url}?layout=single&q=1")
    audit.check(page, "practice-single")
    attempt = Attempt.query.one()
    single = next(i for i in attempt.items if i.version.type == "single_choice")
    page.goto(f"{url}?layout=single&q={single.position}")
    page.locator(f"#q{single.position} input.form-check-input").first.check()
    page.locator(f'.cw-cell[data-position="{single.position}"].is-answered').wait_for()
    page.get_by_role("button", name="Check answer").click()
    page.locator(f"#q{single.position} .cw-option-note .badge").first.wait_for()
    audit.check(page, "practice-checked")
    scenario = next(i for i in attempt.items if i.version.type == "ordering")
    page.goto(f"{url}?layout=single&q={scenario.position}")
    audit.check(page, "practice-scenario")

    # The same again from the home page: it offers to resume or discard the open one.
    page.goto(f"{live_server}/learn/")
    audit.check(page, "home-with-open-attempt")
    card = page.locator(".card", has_text="Foundation mock exam")
    card.get_by_label("Mode").select_option("practice")
    card.get_by_role("button", name="Start").click()
    page.get_by_role("heading", name="You have one of these open").wait_for()
    audit.check(page, "open-attempt")

    _answer_the_rest(learner, attempt.id)
    page.goto(f"{url}/submit")
    audit.check(page, "review-and-submit")
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_url(f"{url}/result")
    audit.check(page, "result")
    page.get_by_role("link", name=re.compile(r"^Wrong or not answered")).click()
    page.wait_for_url("**show=wrong*")
    audit.check(page, "result-wrong")
    page.goto(f"{live_server}/learn/history")
    audit.check(page, "history")
    page.goto(f"{live_server}/learn/progress")
    audit.check(page, "progress")
    page.goto(f"{live_server}/learn/schemes/foundation/custom")
    page.get_by_text("Choose within clause 8 ").click()
    audit.check(page, "custom-test")
    page.goto(f"{live_server}/learn/reviews")
    audit.check(page, "reviews")
    context.close()
    audit.assert_clean()


def _answer_the_rest(learner, attempt_id: int) -> None:
    """Answer every unchecked item of the attempt with its key (essays with some text),
    so that the result shows each type's answer."""
    db.session.expire_all()  # the browser has checked an answer since the test read it
    attempt = db.session.get(Attempt, attempt_id)
    records = bank_queries.version_records([item.version_id for item in attempt.items])
    for item in attempt.items:
        record = records[item.version_id]
        if item.checked_at is not None:
            continue
        if record.type == "essay":
            answer: object = ESSAY_ANSWER
        else:
            key = question_types.get(record.type).correct_response(record)
            answer = public_answer(attempt, item, key)
        answering.record_answer(learner, attempt_id, item.position, answer)


def _learner_with_a_past(make_user):
    """A learner with a passed mock and a finished drill behind them, two drills from
    their manager (one done), and an invitation to a second team still to answer."""
    learner = make_user(role=Role.LEARNER)
    manager = make_user(role=Role.MANAGER)
    team = make_team(manager, "Service desk")
    join_team(manager, team.id, learner)
    teams.assign_drill(manager, team.id, "foundation", "8.6.1", questions=5)
    teams.assign_drill(manager, team.id, "foundation", "8.5.1", questions=5, note="Before May")
    sit_exam(learner, right=True)
    sit_exam(learner, mode="drill", clauses=["8.6.1"], count=5, right=True)
    other = make_team(manager, "Change and release")
    team_membership.add_person(manager, other.id, learner.email)
    return learner


def test_the_mock_exam_pages_pass_axe_on_a_computer_and_a_phone(
    browser, live_server, make_user, banks, audit
):
    learner = _learner_with_a_past(make_user)
    options = attempts.StartOptions(mode="mock", layout="single", seed=7)
    mock = attempts.start_attempt(learner, "foundation", options)
    answering.set_flag(learner, mock.id, 2, True)
    url = f"{live_server}/learn/attempts/{mock.id}"
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = _context(browser, viewport, has_touch=viewport is PHONE)
        page = context.new_page()
        sign_in(page, live_server, learner.email, lands_on="/learn/")
        assert page.locator("section.cw-assigned li").count() == 2
        audit.check(page, f"home-with-a-past-{name}")
        page.goto(f"{url}?q=2")
        page.locator("#timer", has_text=re.compile(r"^\d+:\d\d$")).wait_for()
        audit.check(page, f"mock-{name}")
        if viewport is PHONE:
            page.locator("details.cw-navigator > summary").click()
            audit.check(page, "mock-phone-navigator")
        page.goto(f"{url}?layout=all")
        audit.check(page, f"mock-all-{name}")
        page.goto(f"{url}/submit")
        audit.check(page, f"mock-review-and-submit-{name}")
        context.close()
    context = _context(browser)
    page = context.new_page()
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.goto(f"{url}/submit")
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_url(f"{url}/result")
    audit.check(page, "mock-result")
    page.get_by_role("link", name=re.compile(r"^Wrong or not answered")).click()
    audit.check(page, "mock-result-wrong")
    page.goto(f"{live_server}/learn/history")
    audit.check(page, "history-with-a-past")
    page.goto(f"{live_server}/learn/progress")
    assert page.locator("svg.cw-chart").count() >= 1
    audit.check(page, "progress-with-a-past")
    context.close()
    audit.assert_clean()


def test_the_staff_pages_with_outline_buttons_pass_axe_too(
    browser, live_server, make_user, banks, audit
):
    # The outline buttons' colours are the app's, not the learner pages' only: before
    # they were darkened, these pages failed on colour contrast.
    staff = make_user(role={Role.TRAINER, Role.MANAGER})
    team = make_team(staff, "Service desk")
    bank = db.session.scalars(select(Bank).order_by(Bank.id)).first()
    question = db.session.scalars(select(Question).where(Question.bank_id == bank.id)).first()
    context = _context(browser)
    page = context.new_page()
    sign_in(page, live_server, staff.email)
    for name, path in (
        ("trainer-bank", f"/train/banks/{bank.id}"),
        ("trainer-new-question", f"/train/banks/{bank.id}/questions/new?type=single_choice"),
        ("trainer-edit-question", f"/train/questions/{question.id}/edit"),
        ("manager-team", f"/manage/teams/{team.id}"),
    ):
        page.goto(f"{live_server}{path}")
        assert page.locator("main .btn[class*=btn-outline-]").count() >= 1, path
        audit.check(page, name)
    context.close()
    audit.assert_clean()


def test_the_bank_workspace_pages_pass_axe(browser, live_server, make_user, banks, audit):
    """The question list with its bulk actions, a bulk summary with refusals, and the
    coverage page, on a computer and a phone."""
    trainer = make_user(role=Role.TRAINER)
    bank = db.session.scalars(select(Bank).order_by(Bank.id)).first()
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context = _context(browser, viewport)
        page = context.new_page()
        sign_in(page, live_server, trainer.email)
        page.goto(f"{live_server}/train/banks/{bank.id}")
        audit.check(page, f"trainer-bank-bulk-{suffix}")
        page.locator("input[name=ids]").first.check()
        page.get_by_label("With the selected questions").select_option(label="Send for review")
        page.get_by_role("button", name="Apply to the selected questions").click()
        page.get_by_role("heading", name="1 question refused").wait_for()
        audit.check(page, f"trainer-bulk-summary-{suffix}")
        page.goto(f"{live_server}/train/banks/{bank.id}/coverage")
        audit.check(page, f"trainer-coverage-{suffix}")
        context.close()
    audit.assert_clean()

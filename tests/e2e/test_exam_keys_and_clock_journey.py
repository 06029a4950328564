"""Sitting an exam as a keyboard user, on a computer whose clock is wrong: Enter saves and
moves nothing, "Check answer" with nothing chosen asks for a choice, a flag keeps the page
and the focus, and the countdown follows the server's deadline, not this clock."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Attempt, AttemptItem, Role
from app.services import attempts
from tests.e2e.conftest import screenshot, sign_in

CLOCK_AHEAD_MINUTES = 20


def _start(learner, mode: str, layout: str = "single", count: int = 5) -> Attempt:
    options = attempts.StartOptions(mode=mode, count=count, layout=layout, seed=11)
    return attempts.start_attempt(learner, "foundation", options)


def test_enter_saves_in_place_and_check_asks_for_a_choice(page, live_server, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    practice = _start(learner, "practice")
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    url = f"{live_server}/learn/attempts/{practice.id}"
    page.goto(url)

    # Choose an option with the keyboard, then press Enter on it: saved, still here, open.
    option = page.locator("#q1 form.cw-answer input.form-check-input").first
    option.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    page.locator('.cw-cell[data-position="1"].is-answered').wait_for()
    assert page.url == url
    assert page.locator("#q1 fieldset").first.is_enabled()
    assert page.get_by_role("button", name="Check answer").is_visible()
    db.session.expire_all()
    first = db.session.query(AttemptItem).filter_by(attempt_id=practice.id, position=1).one()
    assert first.checked_at is None  # Enter never locks an answer

    # Checking it marks the chosen and the right options, each with its feedback.
    page.get_by_role("button", name="Check answer").click()
    page.locator("#q1 .cw-option-note .badge").first.wait_for()
    assert page.locator("#q1 .cw-option.is-right").count() >= 1
    screenshot(page, "practice-checked-options", full_page=False)

    # On to question 2; "Check answer" with nothing chosen asks for a choice, locks nothing.
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r".*q=2.*"))
    page.get_by_role("button", name="Check answer").click()
    page.get_by_text("Choose or type an answer before you check it.").wait_for()
    assert page.locator("#q2 fieldset").first.is_enabled()
    screenshot(page, "practice-check-without-an-answer", full_page=False)
    db.session.expire_all()
    second = db.session.query(AttemptItem).filter_by(attempt_id=practice.id, position=2).one()
    assert second.checked_at is None


def test_a_flag_keeps_the_page_and_the_focus(page, live_server, make_user, banks):
    learner = make_user(role=Role.LEARNER)
    mock = _start(learner, "mock", layout="all")
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    url = f"{live_server}/learn/attempts/{mock.id}"
    page.goto(url)
    page.wait_for_load_state("load")
    flag = page.locator("#q3 form.cw-flag button")
    flag.focus()
    page.keyboard.press("Enter")
    page.locator('.cw-cell[data-position="3"].is-flagged').wait_for()
    assert page.url == url  # still all on one page
    assert page.locator("#q3 form.cw-flag button:focus", has_text="Remove flag").count() == 1
    assert page.locator("article.cw-question").count() > 3
    db.session.expire_all()
    assert db.session.query(AttemptItem).filter_by(attempt_id=mock.id, position=3).one().flagged


def test_the_countdown_follows_the_server_on_a_computer_whose_clock_is_wrong(
    browser, live_server, make_user, banks
):
    learner = make_user(role=Role.LEARNER)
    mock = _start(learner, "mock")
    minutes = mock.scheme.duration_minutes
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    # This computer's clock runs 20 minutes ahead of the server's.
    shift = CLOCK_AHEAD_MINUTES * 60_000
    context.add_init_script(
        f"(() => {{ const now = Date.now; Date.now = () => now() + {shift}; }})();"
    )
    page = context.new_page()
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.goto(f"{live_server}/learn/attempts/{mock.id}")
    timer = page.locator("#timer")
    page.locator("#timer", has_text=re.compile(r"^\d+:\d\d$")).wait_for()
    shown = int(timer.inner_text().split(":")[0])
    assert minutes - 2 <= shown <= minutes, (shown, minutes)  # not 20 minutes short
    context.close()


def test_on_a_phone_the_question_is_on_the_first_screen_and_the_time_stays_in_view(
    browser, live_server, make_user, banks
):
    learner = make_user(role=Role.LEARNER)
    mock = _start(learner, "mock", count=40)
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.goto(f"{live_server}/learn/attempts/{mock.id}")
    page.locator("#timer", has_text=re.compile(r"^\d+:\d\d$")).wait_for()
    stem = page.locator("#q1 .cw-stem").bounding_box()
    assert stem is not None and stem["y"] < 420, stem  # the question starts high up
    assert page.locator("details.cw-navigator[open]").count() == 0  # folded
    for target in (
        page.locator("#q1 .cw-option").first,
        page.get_by_role("button", name="Next"),
        page.locator("details.cw-navigator > summary"),
    ):
        box = target.bounding_box()
        assert box is not None and box["height"] >= 44, box
    screenshot(page, "phone-exam-question", full_page=False)
    # Scrolled to the foot of the question, the time is still on screen.
    page.get_by_role("button", name="Next").scroll_into_view_if_needed()
    page.mouse.wheel(0, 2000)
    timer = page.locator("#timer").bounding_box()
    assert timer is not None and 0 <= timer["y"] < 844
    page.locator("details.cw-navigator > summary").click()
    page.locator('.cw-cell[data-position="40"]').wait_for()
    cell = page.locator('.cw-cell[data-position="40"]').bounding_box()
    assert cell is not None and cell["height"] >= 44 and cell["width"] >= 44
    screenshot(page, "phone-exam-navigator", full_page=False)
    context.close()
    db.session.expire_all()
    assert db.session.get(Attempt, mock.id).status == "open"

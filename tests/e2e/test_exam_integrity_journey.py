"""The exam page never rewrites a ranking, and submitting waits for the saves in flight."""

from __future__ import annotations

import re
import time

from werkzeug.exceptions import ServiceUnavailable

from app.extensions import db
from app.models import Attempt, Response, Role
from app.services import answering, attempts
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import public_answer

SAVED = re.compile(r"^Saved$")  # not "Not saved yet…"


def _status(page, position: int) -> str:
    return page.locator(f"#q{position} .cw-save-status").inner_text()


def test_a_partial_or_repeated_ranking_is_refused_and_what_was_typed_stays(
    page, live_server, make_user, banks
):
    learner = make_user(role=Role.LEARNER)
    attempt = attempts.start_attempt(
        learner, "practitioner", attempts.StartOptions(mode="mock", seed=21)
    )
    item = next(i for i in attempt.items if i.version.type == "ordering")
    n = len(item.display_order)
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.goto(f"{live_server}/learn/attempts/{attempt.id}?q={item.position}")
    ranks = page.locator(f"#q{item.position} input.cw-rank")
    assert ranks.count() == n

    ranks.nth(0).fill("1")
    ranks.nth(0).dispatch_event("change")
    status = page.locator(f"#q{item.position} .cw-save-status")
    status.filter(has_text=f"from 1 to {n}").wait_for()  # locators: the CSP forbids eval
    assert "Give every step a number" in _status(page, item.position)
    for k in range(n):
        ranks.nth(k).fill("1")
    ranks.nth(n - 1).dispatch_event("change")
    status.filter(has_text="once").wait_for()
    assert Response.query.count() == 0

    # Without the script's check (a plain form post), the server refuses just the same and
    # shows the page again with the numbers as typed.
    ranks.nth(1).fill("")
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()
    alert = page.locator(f"#q{item.position} .alert-danger")
    assert "Give every step a number" in alert.inner_text()
    typed = [
        page.locator(f"#q{item.position} input.cw-rank").nth(k).input_value() for k in range(n)
    ]
    assert typed == ["1", "", *["1"] * (n - 2)]
    screenshot(page, "ordering-refused", full_page=False)
    db.session.expire_all()
    assert Response.query.count() == 0

    # A full ranking is saved in exactly the order typed.
    ranks = page.locator(f"#q{item.position} input.cw-rank")
    names = [ranks.nth(k).get_attribute("name").removeprefix("rank-") for k in range(n)]
    for k in range(n):
        ranks.nth(k).fill(str(n - k))
    ranks.nth(n - 1).dispatch_event("change")
    page.locator(f"#q{item.position} .cw-save-status", has_text=SAVED).wait_for()
    db.session.expire_all()
    stored = Response.query.one().value
    assert public_answer(attempt, item, stored) == list(reversed(names))


def test_submitting_waits_for_a_save_still_in_flight(
    page, live_server, make_user, banks, monkeypatch
):
    learner = make_user(role=Role.LEARNER)
    attempt = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=5))
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.goto(f"{live_server}/learn/attempts/{attempt.id}?q={item.position}")

    real = answering.record_answer

    def slow(*args, **kwargs):  # the answer reaches the server 1.5 s after it left
        time.sleep(1.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(answering, "record_answer", slow)
    page.locator(f"#q{item.position} input.form-check-input").first.check()
    page.get_by_role("link", name="Review and submit").click()
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_url(f"{live_server}/learn/attempts/{attempt.id}/result")
    db.session.expire_all()
    response = Response.query.one()
    assert response.item_id == item.id and response.score is not None
    assert db.session.get(Attempt, attempt.id).status == "submitted"


def test_the_deadline_submit_waits_for_a_save_still_in_flight(
    page, live_server, make_user, banks, monkeypatch
):
    learner = make_user(role=Role.LEARNER)
    attempt = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=6))
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.clock.install()  # the page's clock is moved on by hand below
    page.goto(f"{live_server}/learn/attempts/{attempt.id}?q={item.position}")

    real = answering.record_answer

    def slow(*args, **kwargs):
        time.sleep(1.5)
        return real(*args, **kwargs)

    monkeypatch.setattr(answering, "record_answer", slow)
    page.locator(f"#q{item.position} input.form-check-input").first.check()
    # The countdown reaches zero while the answer is on its way (the server's deadline,
    # in real time, is still an hour away, so the server takes the answer).
    page.clock.fast_forward(3_600_000)
    page.wait_for_url(f"{live_server}/learn/attempts/{attempt.id}/result", timeout=15_000)
    db.session.expire_all()
    response = Response.query.one()
    assert response.item_id == item.id and response.score is not None
    assert db.session.get(Attempt, attempt.id).status == "submitted"


def test_a_save_refused_with_503_is_retried_until_it_lands(
    page, live_server, make_user, banks, monkeypatch
):
    learner = make_user(role=Role.LEARNER)
    attempt = attempts.start_attempt(learner, "foundation", attempts.StartOptions(seed=9))
    item = next(i for i in attempt.items if i.version.type == "single_choice")
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    page.goto(f"{live_server}/learn/attempts/{attempt.id}?q={item.position}")

    real, calls = answering.record_answer, []

    def restarting(*args, **kwargs):  # the first two tries meet a restarting server
        calls.append(1)
        if len(calls) <= 2:
            raise ServiceUnavailable(retry_after=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(answering, "record_answer", restarting)
    page.locator(f"#q{item.position} input.form-check-input").first.check()
    page.locator(f"#q{item.position} .cw-save-status", has_text=SAVED).wait_for(timeout=15_000)
    assert len(calls) == 3
    db.session.expire_all()
    assert Response.query.one().item_id == item.id

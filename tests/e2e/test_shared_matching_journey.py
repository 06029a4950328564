"""A learner answers matching questions imported from a Moodle XML export in which
several prompts share one answer (issue 18, point 5): each select offers every match
once, the shared match can be chosen for each of its prompts, and each prompt earns its
share of the marks, as the domain grades it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.models import SYSTEM, Role
from app.services.bank_import import ImportOptions, import_files
from tests.e2e.conftest import screenshot, sign_in

MOODLE = Path(__file__).parents[1] / "data" / "moodlexml" / "matching_shared_answers.xml"
# The learner's choices; one of the two incidents is taken for a problem.
WHO = {
    "The payroll service stopped at 09:10": "Incident management",
    "The root cause of last month's three outages is unknown": "Problem management",
    "Users on floor 4 cannot print": "Problem management",
    "A new starter asks for a laptop": "Service request management",
}
RELEASE = {
    "The first draft of the release policy": "0",
    "The release policy after its first approval": "0.0",
    "The draft release plan": "0",
}


@pytest.fixture
def moodle_bank(reference) -> None:
    """The Moodle export, imported and published: refused before shared matches."""
    data = MOODLE.read_bytes()
    report = import_files(SYSTEM, [("moodle.xml", data)], ImportOptions(publish=True))
    assert report.ok and report.written, [str(p) for p in report.errors]


def _answer_and_check(page, chosen: dict[str, str]) -> str:
    question = page.locator("article.cw-question")
    for prompt, match in chosen.items():
        select = question.get_by_label(prompt)
        offered = [t.strip() for t in select.locator("option").all_inner_texts()][1:]
        assert len(offered) == len(set(offered)), offered  # each match once
        select.select_option(label=match)
    question.get_by_role("button", name="Check answer").click()
    page.wait_for_load_state()
    return page.locator("article.cw-question .alert p").first.inner_text()


def test_a_learner_picks_the_shared_match_for_each_of_its_prompts(
    page, live_server, make_user, moodle_bank
):
    learner = make_user(role=Role.LEARNER)
    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/")
    card = page.locator(".card", has_text="Foundation mock exam")
    card.get_by_label("Mode").select_option("practice")
    card.locator("summary").click()
    card.get_by_label("Clauses for practice").fill("8.6")
    card.get_by_role("button", name="Start").click()
    page.wait_for_url(f"{live_server}/learn/attempts/*")
    attempt_url = page.url.split("?")[0]
    scores = {}
    for position in (1, 2):
        stem = page.locator("article.cw-question .cw-stem").inner_text()
        if "process" in stem:
            select = page.locator("article.cw-question").get_by_label(next(iter(WHO)))
            offered = [t.strip() for t in select.locator("option").all_inner_texts()][1:]
            assert sorted(offered) == sorted(set(WHO.values()) | {"Capacity management"})
            scores["who"] = _answer_and_check(page, WHO)
            screenshot(page, "shared-matching-checked")
        else:
            scores["release"] = _answer_and_check(page, RELEASE)
        if position == 1:
            page.get_by_role("navigation", name="Questions").get_by_role(
                "link", name="Question 2"
            ).click()
            page.wait_for_url("**q=2*")
    assert scores == {"who": "Score: 3.0 of 4.0", "release": "Score: 1.0 of 1.0"}
    page.get_by_role("link", name="Review and submit").click()
    page.get_by_role("button", name="Submit now").click()
    page.wait_for_url(f"{attempt_url}/result")
    assert "4.0 of 5.0 marks" in page.content()

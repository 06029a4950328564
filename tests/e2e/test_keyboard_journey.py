"""A learner who uses only the keyboard answers a practice set of every question type:
Tab and Shift+Tab to move, Space, Enter and the arrow keys to choose, type and press. Each
page opens with the focus on its question, a checked answer's feedback takes the focus, and
the review page's heading does; what was typed and chosen is saved, and flags too."""

from __future__ import annotations

import re

from app.extensions import db
from app.models import Attempt, AttemptItem, Role
from app.services import attempts
from tests.e2e.conftest import screenshot, sign_in

ESSAY = "Log it, escalate to the major incident manager, and tell the customers."
# What the keyboard does in each type's answer controls, from the question's title.
KEYS: dict[str, list[str]] = {
    "single_choice": ["Tab", "Space", "ArrowDown"],  # the first option, then the second
    "multiple_response": ["Tab", "Space", "Tab", "Tab", "Space"],  # the first and third
    "true_false": ["Tab", "ArrowDown"],  # from True to False
    "matching": ["Tab", "ArrowDown", "Tab", "ArrowDown", "ArrowDown"],
    "ordering": ["Tab", "3", "Tab", "1", "Tab", "2", "Tab"],
    "short_answer": ["Tab", *"incident", "Enter"],  # Enter saves in place
    "essay": ["Tab", "type:" + ESSAY, "Tab"],
    "classification": ["Tab", "ArrowDown", "Tab", "ArrowDown", "ArrowDown"],
}


def _start(learner, layout: str = "single") -> Attempt:
    options = attempts.StartOptions(mode="practice", count=20, layout=layout, seed=5)
    return attempts.start_attempt(learner, "foundation", options)


def _types(attempt: Attempt) -> dict[int, str]:
    """The question type at each position of the attempt."""
    return {item.position: item.version.type for item in attempt.items}


def press(page, keys: list[str]) -> None:
    """Press each key in turn; "type:…" types the text after the colon."""
    for key in keys:
        if key.startswith("type:"):
            page.keyboard.type(key.removeprefix("type:"))
        else:
            page.keyboard.press(key)


def tab_to(page, name: str, *, back: bool = False, limit: int = 30) -> None:
    """Press Tab (or Shift+Tab) until a button or link whose text is `name` has the focus."""
    focused = page.locator("a:focus, button:focus")
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if focused.count() == 1 and focused.inner_text().strip() == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def _state(question) -> dict[str, object]:
    """Every answer control of a question by its id: whether it is checked (boxes and
    radios) or its value (selects, ranks, text). Ranks come back in the learner's order."""
    state: dict[str, object] = {}
    controls = question.locator("form.cw-answer").locator(
        "input:not([type=hidden]):not([name=confidence]), select, textarea"
    )
    for control in controls.all():
        kind = control.get_attribute("type")
        value = control.is_checked() if kind in ("radio", "checkbox") else control.input_value()
        state[control.get_attribute("id") or ""] = value
    return state


def test_every_question_type_can_be_answered_flagged_and_left_with_the_keyboard(
    page, live_server, make_user, every_type_bank
):
    learner = make_user(role=Role.LEARNER)
    attempt = _start(learner)
    types = _types(attempt)
    assert sorted(types.values()) == sorted(every_type_bank)
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    url = f"{live_server}/learn/attempts/{attempt.id}"
    page.goto(url)
    answered: dict[int, dict[str, object]] = {}
    flagged = {2, 5, len(types)}
    for position, kind in sorted(types.items()):
        page.locator(f"#q{position}-title:focus").wait_for()  # the question, not the top
        press(page, KEYS[kind])
        page.wait_for_load_state("networkidle")  # every autosave of the changes has landed
        page.locator(f'.cw-cell[data-position="{position}"].is-answered').wait_for()
        page.locator(f"#q{position} .cw-save-status", has_text=re.compile("^Saved$")).wait_for()
        answered[position] = _state(page.locator(f"#q{position}"))
        if kind == "ordering":
            screenshot(page, "keyboard-ordering", full_page=False)
        if position in flagged:
            tab_to(page, "Flag for review")
            page.keyboard.press("Enter")
            page.locator(f'.cw-cell[data-position="{position}"].is-flagged').wait_for()
            page.locator("form.cw-flag button:focus", has_text="Remove flag").wait_for()
            if position < len(types):
                tab_to(page, "Next", back=True)  # the flag comes after the buttons
        elif position < len(types):
            tab_to(page, "Next")
        if position < len(types):
            page.keyboard.press("Enter")
            page.wait_for_url(re.compile(rf".*q={position + 1}\b.*"))
            page.wait_for_load_state("load")

    # On to the review with the keyboard: its heading has the focus.
    tab_to(page, "Review and submit")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/submit*")
    page.locator("#review-title:focus").wait_for()
    assert page.locator("#unanswered .cw-cell").count() == 0
    assert page.locator("#flagged .cw-cell").count() == len(flagged)

    # Everything the keyboard chose and typed was saved: the server shows it all back.
    page.goto(f"{url}?layout=all")
    for position, state in answered.items():
        assert _state(page.locator(f"#q{position}")) == state, types[position]
    db.session.expire_all()
    items = db.session.query(AttemptItem).filter_by(attempt_id=attempt.id).all()
    assert all(item.response.value not in (None, "", [], {}) for item in items if item.response)
    assert all(item.response is not None for item in items)
    assert {item.position for item in items if item.flagged} == flagged
    by_type = {types[item.position]: item.response.value for item in items}
    assert by_type["short_answer"] == "incident"
    assert by_type["essay"] == ESSAY
    assert by_type["true_false"] is False

    # And it is handed in with the keyboard too.
    page.goto(f"{url}/submit")
    page.locator("#review-title:focus").wait_for()
    tab_to(page, "Submit now")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/result")
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).status == "submitted"


def test_the_focus_follows_each_navigation(page, live_server, make_user, every_type_bank):
    learner = make_user(role=Role.LEARNER)
    attempt = _start(learner)
    types = _types(attempt)
    single = next(p for p, kind in types.items() if kind == "single_choice")
    other = next(p for p, kind in types.items() if kind == "true_false")
    sign_in(page, live_server, learner.email, lands_on="/learn/")
    url = f"{live_server}/learn/attempts/{attempt.id}"

    # Next and Previous open the question with the focus on its title; so does the skip link.
    page.goto(f"{url}?q=2")
    page.locator("#q2-title:focus").wait_for()
    tab_to(page, "Next")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*q=3\b.*"))
    page.locator("#q3-title:focus").wait_for()
    tab_to(page, "Previous")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*q=2\b.*"))
    page.locator("#q2-title:focus").wait_for()
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.get_attribute("href") == "#q2-title"
    skip.focus()
    page.keyboard.press("Enter")
    page.locator("#q2-title:focus").wait_for()

    # "Check answer" comes back with the focus on the feedback, which is then read out.
    page.goto(f"{url}?q={single}")
    page.locator(f"#q{single}-title:focus").wait_for()
    press(page, ["Tab", "Space"])
    tab_to(page, "Check answer")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**#q{single}-feedback")
    feedback = page.locator(f"#q{single}-feedback:focus")
    feedback.wait_for()
    assert feedback.get_attribute("role") == "region"
    assert feedback.get_attribute("aria-label") == f"Feedback on question {single}"
    assert "Score:" in feedback.inner_text()
    screenshot(page, "keyboard-checked-feedback", full_page=False)

    # Checking nothing: the message that asks for a choice takes the focus.
    page.goto(f"{url}?q={other}")
    page.locator(f"#q{other}-title:focus").wait_for()
    tab_to(page, "Check answer")
    page.keyboard.press("Enter")
    refused = page.locator(f"#q{other}-refused:focus")
    refused.wait_for()
    assert refused.inner_text() == "Choose or type an answer before you check it."

    # All on one page: a question chosen in the list takes the focus there. (The list
    # follows the questions on the page: Shift+Tab from the top reaches it first.)
    page.goto(f"{url}?layout=all")
    tab_to(page, "6", back=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**#q6")
    page.locator("#q6-title:focus").wait_for()
    _scrolled_to_the_top(page, "#q6")
    screenshot(page, "keyboard-all-on-one-page-jump", full_page=False)


def _scrolled_to_the_top(page, selector: str) -> None:
    """Wait until the (smooth) scroll has brought the element to the top of the view."""
    for _ in range(30):
        box = page.locator(selector).bounding_box()
        if box is not None and abs(box["y"]) < 2:
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{selector} is not at the top of the view: {box}")

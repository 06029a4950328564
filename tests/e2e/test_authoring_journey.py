"""Two trainers write, review and publish a question; a learner practises it; an edit
makes version 2 while the learner's attempt keeps version 1, and new practice keeps
drawing version 1 until the reviewer approves the change from the review queue."""

import re

from app.models import Question, Role
from tests.e2e.conftest import SCREENSHOTS, screenshot, sign_in

STEM_V1 = "Which clause of ISO/IEC 20000-1 asks for a **service catalogue**?"
STEM_V2 = "Which clause of ISO/IEC 20000-1 requires a **service catalogue**?"


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_write_review_publish_practise_and_version(page, live_server, make_user, reference):
    author = make_user(role=Role.TRAINER, name="Ana Author")
    reviewer = make_user(role=Role.TRAINER, name="Rui Reviewer")
    learner = make_user(role=Role.LEARNER)

    sign_in(page, live_server, author.email)
    page.get_by_role("link", name="New bank").click()
    page.get_by_label("Code").fill("service-desk")
    page.get_by_label("Title").fill("Service desk team questions")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="New question").click()
    page.get_by_role("link", name="Single choice").click()
    page.wait_for_load_state()  # editor.js (deferred) must listen before the stem is typed

    page.get_by_label("Question id").fill("sd-8.2.4-01")
    page.get_by_label("Question", exact=True).fill(STEM_V1)
    page.get_by_label("Filter clauses").fill("catalogue")
    page.locator("#clause-tree input[value='8.2.4']").check()
    texts = page.get_by_label("Option text")
    texts.nth(0).fill("8.5.1 Change management")
    texts.nth(1).fill("8.2.4 Service catalogue management")
    texts.nth(2).fill("9.2 Internal audit")
    texts.nth(3).fill("7.5 Documented information")
    page.get_by_role("button", name="Add option").click()
    page.get_by_label("Option text").nth(4).fill("8.7.1 Service availability management")
    page.get_by_role("button", name="Remove", exact=True).nth(4).click()
    page.get_by_role("button", name="Move up").nth(1).click()  # the key moves to the top
    page.get_by_label("Correct answer").nth(0).check()
    page.get_by_label("Explanation").fill(
        "Clause 8.2.4 asks for a catalogue of services; 8.5.1 is about changes, 9.2 about "
        "internal audits and 7.5 about documented information in general."
    )
    # a locator, not wait_for_function: the CSP forbids the eval that one needs
    page.locator("#item-preview .cw-stem strong", has_text="service catalogue").wait_for()
    screenshot(page, "question-editor")
    page.get_by_role("button", name="Save").click()
    assert "saved as a draft" in page.get_by_role("alert").inner_text()
    question = Question.query.filter_by(key="sd-8.2.4-01").one()
    options = question.current_version.options
    assert [o.text[:5] for o in options] == ["8.2.4", "8.5.1", "9.2 I", "7.5 D"]
    assert [o.correct for o in options] == [True, False, False, False]
    page.get_by_role("button", name="Send for review").click()
    assert "in review" in page.get_by_role("alert").inner_text()
    # Four eyes: the author is not offered "Approve", and is told who approves.
    assert page.get_by_role("button", name="Approve and publish").count() == 0
    assert "another trainer approves it" in page.locator("#awaits-other").inner_text()
    _sign_out(page)

    sign_in(page, live_server, reviewer.email)
    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_role("link", name="sd-8.2.4-01").click()
    page.get_by_role("button", name="Approve and publish").click()
    assert "now published" in page.get_by_role("alert").inner_text()
    screenshot(page, "question-detail")
    _sign_out(page)

    sign_in(page, live_server, learner.email)
    card = page.locator(".card", has_text="Foundation mock exam")
    card.get_by_label("Mode").select_option("practice")
    card.locator("summary").click()
    card.get_by_label("Clauses for practice").fill("8.2.4")
    card.get_by_role("button", name="Start").click()
    page.wait_for_url(f"{live_server}/learn/attempts/*")
    attempt_url = page.url
    assert "asks for a" in page.content()
    _sign_out(page)

    sign_in(page, live_server, author.email)
    page.goto(f"{live_server}/train/questions/{question.id}/edit")
    assert "published version stays in exams" in page.get_by_role("note").inner_text()
    page.get_by_label("Question", exact=True).fill(STEM_V2)
    page.get_by_role("button", name="Save").click()
    saved = page.get_by_role("alert").inner_text()
    assert "version 2" in saved and "published version stays in exams" in saved
    assert "requires" in page.locator(".cw-changes ins").first.inner_text()
    page.get_by_role("button", name="Send for review").click()
    _sign_out(page)

    sign_in(page, live_server, learner.email)
    page.goto(attempt_url)
    assert "asks for a" in page.content() and "requires a" not in page.content()
    _practise_clause(page, live_server)
    assert "asks for a" in page.content(), "the edit took the published version out"
    _sign_out(page)

    sign_in(page, live_server, reviewer.email)
    page.get_by_role("link", name="Review", exact=True).click()
    page.get_by_text("Change against the published version 1").click()
    assert "requires" in page.locator(".cw-changes ins").first.inner_text()
    screenshot(page, "review-queue-change")
    page.get_by_role("link", name="sd-8.2.4-01").click()
    page.get_by_role("button", name="Approve and publish").click()
    assert "now published" in page.get_by_role("alert").inner_text()
    _sign_out(page)

    sign_in(page, live_server, learner.email)
    _practise_clause(page, live_server)
    assert "requires a" in page.content()


def _practise_clause(page, live_server) -> None:
    """Start a practice set on clause 8.2.4 from the learner's home page."""
    page.goto(f"{live_server}/")
    card = page.locator(".card", has_text="Foundation mock exam")
    card.get_by_label("Mode").select_option("practice")
    card.locator("summary").click()
    card.get_by_label("Clauses for practice").fill("8.2.4")
    card.get_by_role("button", name="Start").click()
    # A new set opens, or (the set started before still open) a page offers to resume it
    # or discard it and start the new one.
    page.wait_for_url(re.compile(re.escape(f"{live_server}/learn/attempts") + r"(/\d+.*)?$"))
    if page.url.endswith("/learn/attempts"):
        page.get_by_role("button", name="Discard it and start the new one").click()
        page.wait_for_url(f"{live_server}/learn/attempts/*")


def test_a_trainer_writes_a_question_of_every_type_in_the_browser(
    page, live_server, make_user, reference
):
    from app.services import authoring
    from tests.web.test_authoring_pages import BASE, EACH_TYPE

    author = make_user(role=Role.TRAINER)
    bank = authoring.save_bank(author, "every-type", "Every type")
    sign_in(page, live_server, author.email)
    for qtype, fields in EACH_TYPE.items():
        page.goto(f"{live_server}/train/banks/{bank.id}/questions/new?type={qtype}")
        values = {**BASE, "key": f"b-{qtype}", **fields}
        for name, value in values.items():
            if name == "clauses":
                for clause in value:  # ticked in the clause tree, which shows them as chips
                    page.locator(f"#clause-tree input[value='{clause}']").check()
            elif name in ("level", "difficulty", "scenario", "answer"):
                page.locator(f"[name={name}]").select_option(value)
            elif name == "correct":
                page.locator(f"input[name=correct][value='{value}']").check()
            elif name.endswith("-correct"):
                page.locator(f"input[name='{name}']").check()
            else:
                page.locator(f"[name='{name}']").fill(value)
        # the live preview draws the whole question, the key once there is one
        preview = page.locator("#item-preview")
        preview.locator(".cw-preview-after", has_text="Correct answer:").wait_for()
        assert preview.locator(".cw-preview-problems").count() == 0, qtype
        SCREENSHOTS.mkdir(exist_ok=True)
        preview.screenshot(path=str(SCREENSHOTS / f"editor-preview-{qtype}.png"))
        page.get_by_role("button", name="Save").click()
        assert "saved as a draft" in page.get_by_role("alert").inner_text(), qtype
    keys = {q.key for q in Question.query.filter_by(bank_id=bank.id)}
    assert keys == {f"b-{t}" for t in EACH_TYPE}

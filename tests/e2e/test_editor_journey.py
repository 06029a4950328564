"""The question editor a trainer enjoys, in a real browser under the real CSP: the live
preview follows the typing and draws the question as learners see it (the case text,
an option over two lines, the feedback after checking); the clause tree is filtered and
ticked from the keyboard and the chosen clauses are chips a key press removes; a saved
change shows in the history word by word. On a computer and on a 390×844 phone, where
axe finds no WCAG 2.1 AA violation on the editor either. A stale translation opens from
the editor beside its source, stacked on the phone, and saving it makes it current."""

from __future__ import annotations

import pytest

from app.analytics import questions as question_views
from app.models import SYSTEM, Question, Role
from app.services import authoring
from app.services.bank_import import ImportOptions, import_files
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_accessibility_journey import DESKTOP, PHONE, violations
from tests.services.test_translations import BANK


@pytest.fixture
def desk_bank(reference, make_user):
    """A trainer, and a bank with one case text."""
    trainer = make_user(role=Role.TRAINER, name="Tess Trainer")
    bank = authoring.save_bank(trainer, "night-desk", "Night desk")
    text = "Two analysts run the service desk **overnight** and log every call."
    authoring.save_scenario(trainer, bank.id, "night", "The night desk", text)
    return trainer, bank


def _write_question(page, base: str, bank_id: int) -> None:
    """Write a single choice question, watching the preview and using the clause tree."""
    page.goto(f"{base}/train/banks/{bank_id}/questions/new?type=single_choice")
    page.wait_for_load_state()  # editor.js (deferred) listens before anything is typed
    preview = page.locator("#item-preview")
    page.get_by_label("Question id").fill("nd-01")
    page.get_by_label("Question", exact=True).fill("Which record does the desk open *first*?")
    preview.locator(".cw-stem em", has_text="first").wait_for()
    page.get_by_label("Scenario").select_option("night")
    preview.get_by_text("Case: The night desk").wait_for()
    assert preview.locator(".cw-scenario strong", has_text="overnight").count() == 1
    texts = page.get_by_label("Option text")
    texts.nth(0).fill("An incident record,\nwith its *priority*")
    texts.nth(1).fill("A change record")
    texts.nth(2).fill("A problem record")
    preview.locator("label", has_text="A problem record").wait_for()
    assert preview.locator("label em", has_text="priority").count() == 1
    assert preview.locator("label:has(br)").count() == 1  # the option keeps its line break
    assert texts.nth(0).bounding_box()["height"] > texts.nth(1).bounding_box()["height"]
    assert preview.locator(".cw-preview-after").count() == 0  # no key chosen yet
    page.get_by_label("Correct answer").nth(0).check()
    preview.locator(".cw-preview-after", has_text="Score: 1.0 of 1").wait_for()

    # The clause tree from the keyboard: filter, ↓ into the tree, Space ticks.
    tree = page.locator("#clause-tree")
    box = page.get_by_label("Filter clauses")
    box.fill("incident")
    assert tree.locator("input[value='8.6.1']").is_visible()
    assert tree.locator("input[value='8.5.1']").is_hidden()
    box.press("ArrowDown")
    page.keyboard.press("Space")
    chip = page.get_by_role("button", name="Remove clause 8.6.1 Incident management")
    chip.wait_for()
    focused = tree.locator("input:focus")
    for _step in range(3):  # ↓ goes through the clauses shown: 8.7 and 8.7.3 hold a match
        page.keyboard.press("ArrowDown")
    assert focused.get_attribute("value") == "8.7.3.3"
    page.keyboard.press("ArrowUp")
    assert focused.get_attribute("value") == "8.7.3"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.get_by_role("button", name="Remove clause 8.7.3.3 Information security incidents").focus()
    page.keyboard.press("Enter")  # a chip removes its clause, and the focus stays near
    assert page.get_by_role("button", name="Remove clause 8.7.3").count() == 0
    assert page.locator("button[data-clause]:focus").get_attribute("data-clause") == "8.6.1"
    box.press("Escape")
    assert tree.locator("input[value='8.5.1']").is_visible()
    preview.locator(".cw-preview-after", has_text="Clause reference: 8.6.1").wait_for()


def test_write_a_question_with_the_preview_and_the_clause_tree(page, live_server, desk_bank):
    trainer, bank = desk_bank
    sign_in(page, live_server, trainer.email)
    _write_question(page, live_server, bank.id)
    screenshot(page, "editor-desktop")
    assert Question.query.count() == 0  # the preview wrote nothing
    page.get_by_role("button", name="Save").click()
    assert "saved as a draft" in page.get_by_role("alert").inner_text()
    question = Question.query.filter_by(key="nd-01").one()
    version = question.current_version
    assert version.options[0].text == "An incident record,\nwith its *priority*"
    assert question_views.current_record(question).clauses == ["8.6.1"]

    page.get_by_role("link", name="Edit").click()
    # The chips are drawn by the editor's script once the page has loaded: wait for them.
    page.get_by_role("button", name="Remove clause 8.6.1 Incident management").wait_for()
    page.get_by_label("Option text").nth(1).fill("A change request")
    page.get_by_role("button", name="Save").click()
    assert "Saved as version 2" in page.get_by_role("alert").inner_text()
    history = page.locator("#history-h").locator("xpath=../..")
    assert history.locator("dt").all_inner_texts() == ["Option b, text"]
    assert "record" in history.locator("del").inner_text()
    assert "request" in history.locator("ins").inner_text()
    screenshot(page, "editor-history")


def test_the_editor_on_a_phone_and_under_axe(browser, live_server, desk_bank):
    trainer, bank = desk_bank
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, bypass_csp=True)  # for axe's script
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, live_server, trainer.email)
        _write_question(page, live_server, bank.id)
        if name == "phone":  # nothing wider than the screen
            for part in ("#question-form", "#item-preview", "#clause-tree"):
                edge = page.locator(part).bounding_box()
                assert edge["x"] >= 0 and edge["x"] + edge["width"] <= viewport["width"], part
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
            for part in ("options", "clauses"):  # what a look at the phone needs, screen-sized
                page.locator(
                    f"[data-rows='{part}'], [data-clause-picker='{part}']"
                ).first.scroll_into_view_if_needed()
                screenshot(page, f"editor-phone-{part}", full_page=False)
            page.locator("#item-preview").scroll_into_view_if_needed()
            screenshot(page, "editor-phone-preview", full_page=False)
        screenshot(page, f"editor-{name}-axe")
        found = violations(page)
        context.close()
        assert not found, f"axe on the editor ({name}):\n" + "\n".join(found)


def test_a_stale_translation_side_by_side_on_a_computer_and_a_phone(
    browser, live_server, desk_bank
):
    """The sheet puts each source text beside its translation, and stacks them on a
    phone; saving the corrected text marks the stale translation current."""
    trainer, _bank = desk_bank
    edited = BANK.replace("The supplier's invoice number", "The supplier's order number")
    for text in (BANK, edited):
        import_files(SYSTEM, [("duo.yaml", text.encode())], ImportOptions(publish=True))
    question = Question.query.filter_by(key="duo-1").one()
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(viewport=viewport, bypass_csp=True)  # for axe's script
        context.set_default_timeout(10_000)
        page = context.new_page()
        sign_in(page, live_server, trainer.email)
        page.goto(f"{live_server}/train/questions/{question.id}/edit")
        page.locator(".cw-tr-strip").get_by_role("link", name="Chinese (Simplified) Stale").click()
        answer = page.get_by_label("Option b")
        source = page.locator("#" + answer.get_attribute("aria-describedby").split()[0])
        assert "Changed in the source" in page.locator(".cw-sheet-row.is-changed").inner_text()
        here, there = source.bounding_box(), answer.bounding_box()
        if name == "desktop":  # side by side
            assert there["x"] > here["x"] + here["width"] and abs(there["y"] - here["y"]) < 30
            assert not violations(page), "axe on the translation sheet"
        else:  # stacked, nothing wider than the screen
            assert there["y"] >= here["y"] + here["height"]
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.get_by_text("Before the change").click()
        assert page.get_by_text("The supplier's invoice number").is_visible()
        screenshot(page, f"translation-sheet-{name}")
        if name == "phone":  # the corrected text makes it current
            answer.fill("供方的订单编号")
            page.get_by_role("button", name="Save translation").click()
            assert "Translation saved." in page.get_by_role("alert").inner_text()
            assert page.locator(".cw-translation .badge", has_text="Current").count() == 1
        context.close()

"""A trainer imports a bank file in the browser: check first, then confirm; under four
eyes the imported questions go to review, not straight into exams."""

from app.models import Question, Role
from tests.e2e.conftest import screenshot, sign_in
from tests.services.test_bank_import import BANK


def test_trainer_checks_then_imports_a_bank(page, live_server, make_user, reference, tmp_path):
    trainer = make_user(role=Role.TRAINER)
    bad = tmp_path / "broken.yaml"
    bad.write_text(BANK.replace('["8.6.1"]', '["77.1"]'))
    good = tmp_path / "desk.yaml"
    good.write_text(BANK)

    sign_in(page, live_server, trainer.email)
    page.get_by_role("link", name="Import questions").click()

    page.get_by_label("Bank files").set_input_files(str(bad))
    page.get_by_role("button", name="Check files").click()
    assert "nothing was written" in page.get_by_role("alert").inner_text()
    assert "broken.yaml:5" in page.content()
    screenshot(page, "trainer-import-errors")

    page.get_by_label("Bank files").set_input_files(str(good))
    after = page.get_by_label("After import")
    offered = after.locator("option").all_inner_texts()
    assert "Publish new and changed questions at once" not in offered  # four eyes
    after.select_option(label="Send new and changed questions for review")
    page.get_by_role("button", name="Check files").click()
    assert "2 new" in page.get_by_role("status").inner_text()
    assert "A new bank demo will be created." in page.get_by_role("status").inner_text()
    screenshot(page, "trainer-import-checked")
    page.get_by_role("button", name="Import now").click()
    page.wait_for_url(f"{live_server}/train/")
    assert "Imported: 2 new" in page.get_by_role("alert").inner_text()
    screenshot(page, "trainer-banks")
    assert Question.query.filter_by(status="in_review").count() == 2
    assert Question.query.filter(Question.live_version_id.is_not(None)).count() == 0

"""A learner sees an imported question's image, formula and ruby in the browser, under the
Content-Security-Policy; the trainer's question page shows them too."""

from __future__ import annotations

from pathlib import Path

from app.models import SYSTEM, Bank, Question, Role
from app.services import attempts
from app.services.bank_import import ImportOptions, import_files
from tests.e2e.conftest import sign_in

MEDIA = Path(__file__).resolve().parents[1] / "data" / "moodlexml" / "media_export.xml"
LISTEN_FOR_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline"));
});
"""


def _image_loaded(page, alt: str) -> bool:
    image = page.locator(f"img[alt='{alt}']")
    image.wait_for()
    return bool(image.evaluate("img => img.complete && img.naturalWidth > 0"))


def test_learner_and_trainer_see_the_image_formula_and_ruby(
    page, live_server, make_user, reference
):
    report = import_files(SYSTEM, [("media.xml", MEDIA.read_bytes())], ImportOptions(publish=True))
    assert report.written
    bank = Bank.query.filter_by(code="media").one()
    learner = make_user(role=Role.LEARNER)
    trainer = make_user(role=Role.TRAINER)
    practice = attempts.StartOptions(mode="practice", clauses=["8.7.2"], count=1, seed=1)
    attempt = attempts.start_attempt(learner, "foundation", practice)
    page.add_init_script(LISTEN_FOR_VIOLATIONS)

    sign_in(page, live_server, learner.email)
    page.goto(f"{live_server}/learn/attempts/{attempt.id}")
    assert _image_loaded(page, "Two links between the data centres")
    formula = page.locator(".cw-stem math")
    assert formula.count() == 1 and formula.locator("msup").count() == 1
    assert page.evaluate("window.__violations") == []

    context = page.context
    context.clear_cookies()
    sign_in(page, live_server, trainer.email)
    question = Question.query.filter_by(key="MED-002").one()
    page.goto(f"{live_server}/train/questions/{question.id}")
    assert page.locator(".cw-stem ruby rt").inner_text() == "fúwù"
    link = page.locator(f".cw-stem a[href='/banks/{bank.id}/assets/term.mp3']")
    assert link.inner_text() == "term.mp3"
    assert page.evaluate("window.__violations") == []

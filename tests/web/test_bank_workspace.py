"""The bank workspace pages: bulk actions from the question list, and the coverage page."""

import re

import pytest

from app.analytics.bank_coverage import bank_coverage
from app.extensions import db
from app.models import Question, QuestionStatus, Role, Scheme
from app.services import authoring
from tests.services.test_bulk_actions import make
from tests.services.test_question_search import choice


@pytest.fixture
def trainer(reference, make_user):
    return make_user(role=Role.TRAINER)


@pytest.fixture
def bank(trainer):
    return authoring.save_bank(trainer, "ws-a", "Workspace A")


def test_the_list_offers_checkboxes_and_the_summary_says_what_was_refused(
    client, login_as, trainer, bank, make_user
):
    reviewer = make_user(role=Role.TRAINER)
    draft = make(trainer, bank, "w-draft")
    live = make(trainer, bank, "w-live", "published", reviewer)
    login_as(user=trainer)
    page = client.get(f"/train/banks/{bank.id}").text
    assert f'name="ids" value="{draft.id}"' in page and "cw-select-all" in page
    reply = client.post(
        f"/train/banks/{bank.id}/bulk",
        data={"action": "submit", "ids": [str(draft.id), str(live.id)], "target_bank": "0"},
    )
    assert reply.status_code == 200
    assert "1 question done" in reply.text and "1 question refused" in reply.text
    assert "w-live" in reply.text and "Only a draft can be sent for review" in reply.text
    db.session.expire_all()
    assert db.session.get(Question, draft.id).status == QuestionStatus.IN_REVIEW


def test_a_bad_selection_changes_nothing_and_says_why(client, login_as, trainer, bank):
    question = make(trainer, bank, "w-1")
    login_as(user=trainer)
    for ids in ([], ["1; DROP TABLE questions"], [str(question.id)]):
        data = {"action": "add_tag", "ids": ids, "tag": "", "target_bank": "0"}
        reply = client.post(f"/train/banks/{bank.id}/bulk", data=data, follow_redirects=True)
        assert reply.status_code == 200 and "alert" in reply.text
    db.session.expire_all()
    assert db.session.get(Question, question.id).current_version.number == 1


def test_bulk_actions_need_a_trainer_and_a_csrf_token(client, login_as, trainer, bank, make_app):
    question = make(trainer, bank, "w-1")
    data = {"action": "retire", "ids": [str(question.id)], "target_bank": "0"}
    login_as(Role.LEARNER)
    assert client.post(f"/train/banks/{bank.id}/bulk", data=data).status_code == 403
    strict = make_app(WTF_CSRF_ENABLED=True).test_client()
    from tests.factories import PASSWORD

    strict.post("/login", data={"email": trainer.email, "password": PASSWORD})
    assert strict.post(f"/train/banks/{bank.id}/bulk", data=data).status_code == 400
    db.session.expire_all()
    assert db.session.get(Question, question.id).status == QuestionStatus.DRAFT


@pytest.fixture
def small_scheme(reference):
    scheme = Scheme(
        code="mini",
        title="Mini mock",
        level="foundation",
        duration_minutes=10,
        item_count=3,
        pass_mark=0.6,
        blueprint={
            "levels": ["foundation"],
            "sections": [
                {"id": "ops", "title": "Operation", "clauses": ["8"], "items": 2},
                {"id": "eval", "title": "Evaluation", "clauses": ["9"], "items": 1},
            ],
        },
    )
    db.session.add(scheme)
    db.session.commit()
    return scheme


def live_question(trainer, reviewer, bank, key: str, clause: str, level: str = "foundation"):
    """A published question tagged with one clause at a level."""
    record = choice(key, f"Stem of {key}")
    record.clauses, record.level = [clause], level
    question, _ = authoring.save_question(trainer, bank.id, record)
    authoring.transition(trainer, question.id, "submit")
    authoring.transition(reviewer, question.id, "approve")
    return question


def test_coverage_counts_live_questions_and_the_forms_they_allow(
    client, login_as, trainer, bank, make_user, small_scheme
):
    reviewer = make_user(role=Role.TRAINER)
    for n in range(3):
        live_question(trainer, reviewer, bank, f"c-op{n}", "8.2.4")
    live_question(trainer, reviewer, bank, "c-ev0", "9.2")
    live_question(trainer, reviewer, bank, "c-pr0", "8.5.1", level="practitioner")
    retired = live_question(trainer, reviewer, bank, "c-old", "9.2")
    authoring.transition(trainer, retired.id, "retire")
    make(trainer, bank, "c-draft")  # a draft is never drawn
    other = authoring.save_bank(trainer, "ws-b", "Workspace B")
    live_question(trainer, reviewer, other, "c-elsewhere", "9.2")

    figures = bank_coverage(bank.id)
    assert figures.live == 5
    rows = {number: counts for number, _title, _depth, counts in figures.rows}
    assert rows["8"]["foundation"] == 3 and rows["8"]["practitioner"] == 1
    assert rows["9"]["foundation"] == 1 and rows["8.2"]["foundation"] == 3
    mini = next(f.report for f in figures.schemes if f.scheme.code == "mini")
    assert [(s.id, s.needed, s.available) for s in mini.sections] == [("ops", 2, 3), ("eval", 1, 1)]
    assert mini.distinct_forms == 1
    whole = next(
        f.report for f in bank_coverage(bank.id, whole_pool=True).schemes if f.scheme.code == "mini"
    )
    assert [s.available for s in whole.sections] == [3, 2]

    login_as(user=trainer)
    page = client.get(f"/train/banks/{bank.id}/coverage").text
    assert "Mini mock" in page and "1 distinct mock exam can be drawn" in page
    ops = re.search(r'data-section="ops">(.*?)</tr>', page, re.S).group(1)
    assert ">2</td>" in ops and ">3</td>" in ops and "100% filled" in ops
    clause_9 = re.search(r'data-clause="9">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r">(\d+)</td>", clause_9)[:2] == ["1", "0"]


def test_a_short_pool_says_no_form_can_be_drawn(client, login_as, trainer, bank, small_scheme):
    login_as(user=trainer)
    page = client.get(f"/train/banks/{bank.id}/coverage").text
    assert "No complete mock exam can be drawn yet." in page and "2 short" in page
    login_as(Role.LEARNER)
    assert client.get(f"/train/banks/{bank.id}/coverage").status_code == 403

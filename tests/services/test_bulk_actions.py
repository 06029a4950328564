"""Bulk actions on the question list: each selected question is checked on its own, the
allowed ones change together in one transaction, the refused ones come back with why."""

import pytest

from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.models import AuditEvent, Question, QuestionStatus, Role, Scenario
from app.services import authoring, bulk_actions
from tests.services.test_question_search import choice, keys


@pytest.fixture
def trainer(reference, make_user):
    return make_user(role=Role.TRAINER)


@pytest.fixture
def bank(trainer):
    return authoring.save_bank(trainer, "bulk-a", "Bulk A")


@pytest.fixture
def other_bank(trainer):
    return authoring.save_bank(trainer, "bulk-b", "Bulk B")


def fresh(question_id: int) -> Question:
    """The question as the database holds it now."""
    db.session.expire_all()
    return db.session.get(Question, question_id)


def make(trainer, bank, key: str, status: str = "draft", reviewer=None) -> Question:
    """A question of the bank in the given state."""
    question, _ = authoring.save_question(
        trainer, bank.id, choice(key, f"Stem of {key}, a plain one")
    )
    if status in ("in_review", "published", "retired"):
        authoring.transition(trainer, question.id, "submit")
    if status in ("published", "retired"):
        authoring.transition(reviewer, question.id, "approve")
    if status == "retired":
        authoring.transition(trainer, question.id, "retire")
    return question


def test_send_for_review_takes_the_drafts_and_refuses_the_rest(trainer, bank, make_user):
    reviewer = make_user(role=Role.TRAINER)
    draft = make(trainer, bank, "b-draft")
    waiting = make(trainer, bank, "b-wait", "in_review")
    live = make(trainer, bank, "b-live", "published", reviewer)
    outcome = bulk_actions.apply(trainer, bank.id, [draft.id, waiting.id, live.id], "submit")
    assert outcome.done == ["b-draft"]
    assert [key for key, _why in outcome.refused] == ["b-wait", "b-live"]
    assert "Only a draft can be sent for review" in outcome.refused[0][1]
    assert fresh(draft.id).status == QuestionStatus.IN_REVIEW
    assert fresh(draft.id).review_requested_by_id == trainer.id  # four eyes
    assert fresh(live.id).status == QuestionStatus.PUBLISHED
    logged = AuditEvent.query.filter_by(action="question.submit", object_id=str(draft.id)).all()
    assert logged and logged[-1].detail["bulk"] is True


def test_retire_takes_live_questions_out_of_exams(trainer, bank, make_user):
    reviewer = make_user(role=Role.TRAINER)
    live = make(trainer, bank, "b-live", "published", reviewer)
    waiting = make(trainer, bank, "b-wait", "in_review")
    outcome = bulk_actions.apply(trainer, bank.id, [live.id, waiting.id], "retire")
    assert outcome.done == ["b-live"] and [k for k, _ in outcome.refused] == ["b-wait"]
    retired = fresh(live.id)
    assert retired.status == QuestionStatus.RETIRED and retired.live_version_id is None


def test_questions_of_another_bank_or_unknown_ids_are_refused(trainer, bank, other_bank):
    mine = make(trainer, bank, "b-mine")
    theirs = make(trainer, other_bank, "b-theirs")
    outcome = bulk_actions.apply(trainer, bank.id, [mine.id, theirs.id, 999_999], "retire")
    assert outcome.done == ["b-mine"]
    assert outcome.refused == [
        (f"#{theirs.id}", "Not a question of this bank."),
        ("#999999", "Not a question of this bank."),
    ]
    assert fresh(theirs.id).status == QuestionStatus.DRAFT


def test_learners_and_managers_may_not_act(bank, trainer, make_user):
    question = make(trainer, bank, "b-1")
    for role in (Role.LEARNER, Role.MANAGER):
        with pytest.raises(PermissionDenied):
            bulk_actions.apply(make_user(role=role), bank.id, [question.id], "retire")
    assert fresh(question.id).status == QuestionStatus.DRAFT


def test_move_to_another_bank_refuses_questions_with_a_case_text(trainer, bank, other_bank):
    plain = make(trainer, bank, "b-plain")
    authoring.save_scenario(trainer, bank.id, "case-1", "A case", "A service desk story.")
    record = choice("b-case", "About the case")
    record.scenario = "case-1"
    with_case, _ = authoring.save_question(trainer, bank.id, record)
    outcome = bulk_actions.apply(
        trainer, bank.id, [plain.id, with_case.id], "move", target_bank_id=other_bank.id
    )
    assert outcome.done == ["b-plain"]
    assert outcome.refused[0][0] == "b-case" and "case text" in outcome.refused[0][1]
    assert fresh(plain.id).bank_id == other_bank.id
    assert fresh(with_case.id).bank_id == bank.id
    assert Scenario.query.filter_by(key="case-1").one().bank_id == bank.id
    assert keys(other_bank, "plain") == ["b-plain"]  # the search index follows the move
    assert keys(bank, "plain") == []


def test_move_needs_another_existing_bank(trainer, bank):
    question = make(trainer, bank, "b-1")
    for target in (None, bank.id, 999_999):
        with pytest.raises(InvalidInput):
            bulk_actions.apply(trainer, bank.id, [question.id], "move", target_bank_id=target)
    assert fresh(question.id).bank_id == bank.id


def test_adding_a_tag_writes_a_new_version_that_follows_the_review_rule(trainer, bank, make_user):
    reviewer = make_user(role=Role.TRAINER)
    live = make(trainer, bank, "b-live", "published", reviewer)
    tagged = make(trainer, bank, "b-tagged")
    bulk_actions.apply(trainer, bank.id, [tagged.id], "add_tag", tag="exam-2027")
    outcome = bulk_actions.apply(trainer, bank.id, [live.id, tagged.id], "add_tag", tag="exam-2027")
    assert outcome.done == ["b-live"]
    assert outcome.refused == [("b-tagged", "It already has this tag.")]
    question = fresh(live.id)
    assert question.current_version.tags == ["exam-2027"]
    assert question.current_version.number == 2
    assert question.live_version.number == 1  # still live at the approved version
    assert question.status == QuestionStatus.DRAFT
    removed = bulk_actions.apply(trainer, bank.id, [live.id], "remove_tag", tag=" exam-2027 ")
    assert removed.done == ["b-live"]
    assert fresh(live.id).current_version.tags == []


@pytest.mark.parametrize("tag", ["", "   ", "x" * 65, "bad\x00tag"])
def test_bad_tags_are_refused_before_anything_changes(trainer, bank, tag):
    question = make(trainer, bank, "b-1")
    with pytest.raises(InvalidInput):
        bulk_actions.apply(trainer, bank.id, [question.id], "add_tag", tag=tag)
    assert fresh(question.id).current_version.number == 1


def test_empty_oversized_and_unknown_requests_are_refused(trainer, bank):
    question = make(trainer, bank, "b-1")
    with pytest.raises(InvalidInput):
        bulk_actions.apply(trainer, bank.id, [], "retire")
    with pytest.raises(InvalidInput):
        bulk_actions.apply(trainer, bank.id, list(range(1, 202)), "retire")
    with pytest.raises(InvalidInput):
        bulk_actions.apply(trainer, bank.id, [question.id], "delete")
    assert fresh(question.id).status == QuestionStatus.DRAFT


def test_a_question_changed_meanwhile_rolls_the_whole_action_back(trainer, bank, monkeypatch):
    first = make(trainer, bank, "b-1")
    second = make(trainer, bank, "b-2")
    real = bulk_actions.state_of

    def stale(question):
        """The state as read before another trainer sent b-2 for review."""
        state = real(question)
        if question.key == "b-2":
            from dataclasses import replace

            return replace(state, status=QuestionStatus.DRAFT, current=state.current)
        return state

    authoring.transition(trainer, second.id, "submit")  # someone else's action lands first
    monkeypatch.setattr(bulk_actions, "state_of", stale)
    with pytest.raises(Conflict):
        bulk_actions.apply(trainer, bank.id, [first.id, second.id], "retire")
    assert fresh(first.id).status == QuestionStatus.DRAFT

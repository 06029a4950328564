"""Authoring: versions on change, four eyes, audit, and refusals that change nothing."""

import pytest

from app.domain.records import OptionRecord, QuestionRecord
from app.errors import Conflict, InvalidInput, PermissionDenied
from app.extensions import db
from app.messages import render
from app.models import Attempt, AuditEvent, Question, QuestionVersion, Role
from app.services import authoring
from app.services.attempts import StartOptions, start_attempt
from app.services.authoring import ValidationFailed


def _record(key: str = "t-001", stem: str = "Which clause asks for a service catalogue?"):
    return QuestionRecord(
        id=key,
        type="single_choice",
        stem=stem,
        level="foundation",
        clauses=["8.2.4"],
        explanation="Clause 8.2.4 asks for the catalogue; the others are about other things.",
        options=[
            OptionRecord("a", "8.2.4 Service catalogue management", True),
            OptionRecord("b", "8.5.1 Change management"),
            OptionRecord("c", "9.2 Internal audit"),
            OptionRecord("d", "7.5 Documented information"),
        ],
    )


@pytest.fixture
def setup(reference, make_user):
    first = make_user(role=Role.TRAINER)
    second = make_user(role=Role.TRAINER)
    bank = authoring.save_bank(first, "drafts", "Draft questions")
    return first, second, bank


def test_new_question_is_a_draft_at_version_one(setup):
    first, _second, bank = setup
    question, written = authoring.save_question(first, bank.id, _record())
    assert written and question.status == "draft"
    assert question.current_version.number == 1
    assert question.current_version.created_by_id == first.id
    assert [c.clause_id for c in question.current_version.clause_links]


def test_unchanged_content_writes_no_version_and_changed_content_writes_one(setup):
    first, _second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    _same, written = authoring.save_question(first, bank.id, _record(), question.id)
    assert not written
    _changed, written = authoring.save_question(
        first, bank.id, _record(stem="Which clause requires a service catalogue?"), question.id
    )
    assert written
    numbers = [v.number for v in QuestionVersion.query.filter_by(question_id=question.id)]
    assert sorted(numbers) == [1, 2] and question.current_version.number == 2


def test_four_eyes_review_and_audit(setup):
    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.transition(first, question.id, "submit")
    with pytest.raises(PermissionDenied):
        authoring.transition(first, question.id, "approve")
    assert question.status == "in_review"
    authoring.transition(second, question.id, "approve")
    assert question.status == "published"
    actions = [e.action for e in AuditEvent.query.filter_by(object_id=str(question.id))]
    assert actions[-3:] == ["question.created", "question.submit", "question.approve"][-3:]
    assert "question.approve" in actions and "question.submit" in actions


def test_single_trainer_mode_lets_the_author_approve(setup, make_user):
    first, _second, bank = setup
    admin = make_user(role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        authoring.set_single_trainer_mode(first, True)
    authoring.set_single_trainer_mode(admin, True)
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.transition(first, question.id, "submit")
    authoring.transition(first, question.id, "approve")
    assert question.status == "published"


def test_returning_needs_a_comment_and_wrong_transitions_are_refused(setup):
    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    with pytest.raises(Conflict):
        authoring.transition(second, question.id, "approve")  # a draft is not in review
    authoring.transition(first, question.id, "submit")
    with pytest.raises(InvalidInput):
        authoring.transition(second, question.id, "return")
    assert question.status == "in_review"
    authoring.transition(second, question.id, "return", "Option b is arguable.")
    assert question.status == "draft"


def test_editing_a_published_question_keeps_old_attempts_on_their_version(setup, make_user, banks):
    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.transition(first, question.id, "submit")
    authoring.transition(second, question.id, "approve")
    learner = make_user(role=Role.LEARNER)
    attempt = start_attempt(
        learner, "foundation", StartOptions(mode="practice", clauses=["8.2.4"], count=50)
    )
    v1 = question.current_version_id
    assert v1 in {item.version_id for item in attempt.items}
    authoring.save_question(
        first, bank.id, _record(stem="Where does the standard ask for a catalogue?"), question.id
    )
    assert question.current_version.number == 2 and question.status == "draft"
    reloaded = db.session.get(Attempt, attempt.id)
    assert v1 in {item.version_id for item in reloaded.items}


def test_invalid_questions_and_learners_change_nothing(setup, make_user):
    first, _second, bank = setup
    bad = _record()
    bad.options = [OptionRecord("a", "Only one option", True)]
    bad.clauses = ["99.9"]
    with pytest.raises(ValidationFailed) as failed:
        authoring.save_question(first, bank.id, bad)
    messages = " ".join(render(p.message) for p in failed.value.problems)
    assert "99.9" in messages and "option" in messages
    learner = make_user(role=Role.LEARNER)
    with pytest.raises(PermissionDenied):
        authoring.save_question(learner, bank.id, _record())
    assert Question.query.count() == 0


def _live(key: str) -> int | None:
    from app.queries import banks as bank_queries

    return bank_queries.published_pool()[1].get(key)


def test_an_edit_keeps_the_published_version_in_exams_until_it_is_approved(setup, make_user, banks):
    from app.analytics import overview

    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.transition(first, question.id, "submit")
    authoring.transition(second, question.id, "approve")
    v1 = question.current_version_id
    assert _live("t-001") == v1
    counts = overview.published_counts_by_level()
    authoring.save_question(
        first, bank.id, _record(stem="Where does the standard ask for a catalogue?"), question.id
    )
    assert _live("t-001") == v1, "the edit took the published question out of exams"
    assert question.status == "draft" and question.live_version_id == v1
    assert overview.published_counts_by_level() == counts
    learner = make_user(role=Role.LEARNER)
    practice = start_attempt(
        learner, "foundation", StartOptions(mode="practice", clauses=["8.2.4"], count=50)
    )
    assert v1 in {item.version_id for item in practice.items}
    v2 = question.current_version_id
    authoring.transition(first, question.id, "submit")
    authoring.transition(second, question.id, "return", "Say 'requires'.")
    assert _live("t-001") == v1 and question.status == "draft"
    authoring.transition(first, question.id, "submit")
    authoring.transition(second, question.id, "approve")
    assert _live("t-001") == v2 and question.live_version_id == v2


def test_a_pending_change_can_be_discarded_and_retiring_takes_the_question_out(setup, banks):
    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.transition(first, question.id, "submit")
    authoring.transition(second, question.id, "approve")
    v1 = question.current_version_id
    authoring.save_question(first, bank.id, _record(stem="A worse wording?"), question.id)
    assert "discard" in authoring.available_actions(question)
    authoring.transition(second, question.id, "discard")
    assert question.status == "published" and question.current_version_id == v1
    assert "discard" not in authoring.available_actions(question)
    _again, written = authoring.save_question(
        first, bank.id, _record(stem="Another wording?"), question.id
    )
    assert written and question.current_version.number == 3
    authoring.transition(first, question.id, "retire")
    assert question.status == "retired" and _live("t-001") is None
    actions = [e.action for e in AuditEvent.query.filter_by(object_id=str(question.id))]
    assert "question.discard" in actions and actions[-1] == "question.retire"


def test_an_approval_applies_only_to_the_version_the_reviewer_read(setup):
    """The reviewer opened version 1; meanwhile the author changed it and sent version 2
    for review. Approving 'version 1' must not publish version 2 unread."""
    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.transition(first, question.id, "submit")
    authoring.save_question(
        first, bank.id, _record(stem="Changed after review began?"), question.id
    )
    authoring.transition(first, question.id, "submit", seen_version=2)
    with pytest.raises(Conflict, match="now at version 2"):
        authoring.transition(second, question.id, "approve", seen_version=1)
    assert question.status == "in_review" and question.live_version_id is None
    authoring.transition(second, question.id, "approve", seen_version=2)
    assert question.status == "published" and question.live_version.number == 2


def test_a_state_read_before_another_change_is_not_written(setup):
    """Compare-and-set: a workflow decision computed from a state that another save or
    action has since replaced writes nothing (as when two requests interleave)."""
    from app.domain import review as rules
    from app.services.review import state_of, write_states

    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.transition(first, question.id, "submit")
    stale = state_of(question)  # what a reviewer's request read …
    authoring.transition(first, question.id, "return", "Hold on, fixing a typo.")  # … then
    with pytest.raises(Conflict):
        write_states([(question.id, stale, rules.after_action(stale, "approve", second.id))])
    question = authoring.get_question(question.id)
    assert question.status == "draft" and question.live_version_id is None


def test_an_edit_over_a_newer_version_is_refused_until_seen(setup):
    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.save_question(second, bank.id, _record(stem="Second trainer's wording?"), question.id)
    mine = _record(stem="First trainer's wording?")
    with pytest.raises(Conflict, match="Version 2 of this question was saved"):
        authoring.save_question(first, bank.id, mine, question.id, base_version=1)
    assert question.current_version.number == 2
    assert question.current_version.stem == "Second trainer's wording?"
    _q, written = authoring.save_question(first, bank.id, mine, question.id, base_version=2)
    assert written and question.current_version.number == 3


def test_changing_a_case_text_leaves_the_published_question_on_the_approved_text(setup):
    """A case text shared by published questions is edited: the questions get new
    versions with the new text, which wait for review; exams keep the approved text."""
    from dataclasses import replace

    first, second, bank = setup
    authoring.save_scenario(first, bank.id, "desk", "The desk", "The desk has 12 agents.")
    question, _ = authoring.save_question(first, bank.id, replace(_record(), scenario="desk"))
    authoring.transition(first, question.id, "submit")
    authoring.transition(second, question.id, "approve")
    live = question.live_version_id
    again, revised = authoring.save_scenario(
        first, bank.id, "desk", "The desk", "The desk has 12 agents."
    )
    assert (again.id, revised) == (question.live_version.scenario_id, 0), "no change, no revision"
    _new, revised = authoring.save_scenario(
        first, bank.id, "desk", "The desk", "The desk has 40 agents."
    )
    assert revised == 1
    question = authoring.get_question(question.id)
    assert question.live_version_id == live
    assert question.live_version.scenario.text == "The desk has 12 agents."
    assert question.current_version.number == 2 and question.status == "draft"
    assert question.current_version.scenario.text == "The desk has 40 agents."
    authoring.transition(first, question.id, "submit", seen_version=2)
    authoring.transition(second, question.id, "approve", seen_version=2)
    assert question.live_version.scenario.text == "The desk has 40 agents."


def test_attempts_started_after_a_change_draw_the_changed_pool_though_it_was_cached(
    setup, make_user, banks
):
    """Each worker keeps the published pool, the prepared blueprint and the question
    records; an approval or a retirement must reach the next attempt all the same."""
    from app.models import Scheme
    from app.queries import attempts as attempt_views
    from app.queries import banks as bank_queries
    from app.services import attempts

    first, second, bank = setup
    question, _ = authoring.save_question(first, bank.id, _record())
    authoring.transition(first, question.id, "submit")
    authoring.transition(second, question.id, "approve")
    v1 = question.current_version_id
    attempts.warm_caches()

    def practice_stems() -> dict[int, str]:
        options = StartOptions(mode="practice", clauses=["8.2.4"], count=100)
        attempt = start_attempt(make_user(role=Role.LEARNER), "foundation", options)
        views = attempt_views.item_views(attempt, reveal=False)
        return {i.version_id: v.view["stem"] for i, v in zip(attempt.items, views, strict=True)}

    def prepared_keys() -> set[str]:
        scheme = db.session.scalars(db.select(Scheme).filter_by(code="foundation")).one()
        prepared = attempts._prepared(scheme, bank_queries.live_pool().items)
        assert prepared.items is bank_queries.live_pool().items
        return {item.id for item in prepared.items}

    assert practice_stems()[v1] == _record().stem and "t-001" in prepared_keys()
    changed = _record(stem="Which clause covers the catalogue?")
    authoring.save_question(first, bank.id, changed, question.id)
    authoring.transition(first, question.id, "submit")
    authoring.transition(second, question.id, "approve")
    v2 = question.current_version_id
    stems = practice_stems()
    assert v1 not in stems and stems[v2] == "Which clause covers the catalogue?"
    authoring.transition(first, question.id, "retire")
    assert not {v1, v2} & set(practice_stems()) and "t-001" not in prepared_keys()

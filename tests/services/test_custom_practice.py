"""Custom practice: retry exactly the questions missed, and sets of only unseen, missed or
flagged questions; tests that show their answers at the end."""

import pytest

from app.analytics import custom_tests, practice_filters
from app.errors import Conflict, InvalidInput, NotFound
from app.extensions import db
from app.models import Attempt, Role, Scheme
from app.services import answering, attempts
from tests.factories import answer_items, public_answer, sit_exam


def _keys(attempt: Attempt) -> set[str]:
    return {item.version.question.key for item in attempt.items}


def _half_right(learner, attempt: Attempt) -> tuple[set[str], set[str]]:
    """Answer single-choice items right at odd positions and wrong at even ones, leave
    the others blank, and submit: the keys answered wrong, and those left blank."""
    from app.domain import question_types
    from app.queries import banks as bank_queries

    records = bank_queries.version_records([i.version_id for i in attempt.items])
    wrong, blank = set(), set()
    for item in attempt.items:
        record = records[item.version_id]
        key = item.version.question.key
        if record.type != "single_choice":
            blank.add(key)
            continue
        right = question_types.get(record.type).correct_response(record)
        chosen = right if item.position % 2 else next(o.id for o in record.options if o.id != right)
        if chosen != right:
            wrong.add(key)
        answering.record_answer(
            learner, attempt.id, item.position, public_answer(attempt, item, chosen)
        )
    answering.submit_attempt(learner, attempt.id)
    assert wrong, "no single-choice item at an even position"
    return wrong, blank


def test_a_retry_draws_exactly_the_questions_missed(make_user, banks):
    learner = make_user(Role.LEARNER)
    exam = sit_exam(learner, mode="practice", count=12, submit=False)
    wrong, blank = _half_right(learner, exam)
    missed = wrong | blank  # a retry takes the unanswered ones too
    retry = attempts.start_attempt(
        learner, "foundation", attempts.StartOptions(mode="practice", retry_of=exam.id, count=100)
    )
    assert _keys(retry) == missed
    assert retry.settings["retry_of"] == exam.id
    assert retry.settings["asked"] == len(missed)  # never "drawn short"


def test_a_retry_of_nothing_missed_or_of_someone_elses_attempt_is_refused(make_user, banks):
    learner, other = make_user(Role.LEARNER), make_user(Role.LEARNER)
    perfect = sit_exam(learner, mode="practice", count=5, right=True)
    before = db.session.query(Attempt).count()
    with pytest.raises(InvalidInput, match="nothing to retry"):
        attempts.start_attempt(
            learner, "foundation", attempts.StartOptions(mode="practice", retry_of=perfect.id)
        )
    with pytest.raises(NotFound):
        attempts.start_attempt(
            other, "foundation", attempts.StartOptions(mode="practice", retry_of=perfect.id)
        )
    assert db.session.query(Attempt).count() == before


def test_a_retry_waits_for_the_review_of_a_mock_to_open(make_user, banks):
    learner = make_user(Role.LEARNER)
    scheme = db.session.query(Scheme).filter_by(code="foundation").one()
    scheme.review_policy = "never"
    db.session.commit()
    mock = sit_exam(learner)  # everything left blank
    with pytest.raises(Conflict, match="once its answers can be reviewed"):
        attempts.mistakes(learner, mock.id)
    open_one = sit_exam(learner, mode="practice", count=3, submit=False)
    with pytest.raises(Conflict):
        attempts.mistakes(learner, open_one.id)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"mode": "mock", "only": "missed"}, "for practice sets"),
        ({"mode": "review", "feedback": "end"}, "for practice sets"),
        ({"mode": "drill", "retry_of": 1}, "practice set of the questions you missed"),
        ({"mode": "practice", "only": "everything"}, "Unknown question filter"),
        ({"mode": "practice", "feedback": "never"}, "Unknown feedback"),
        ({"mode": "practice", "clauses": ["8.5; drop table"]}, "Clauses are numbers"),
    ],
)
def test_bad_custom_options_are_refused_before_anything_is_drawn(
    make_user, banks, options, message
):
    learner = make_user(Role.LEARNER)
    with pytest.raises(InvalidInput, match=message):
        attempts.start_attempt(learner, "foundation", attempts.StartOptions(**options))
    assert db.session.query(Attempt).count() == 0


def test_unseen_missed_and_flagged_filters(make_user, banks):
    learner = make_user(Role.LEARNER)
    first = sit_exam(learner, mode="practice", count=10, submit=False)
    flagged = first.items[0]
    answering.set_flag(learner, first.id, flagged.position, True)
    missed, _blank = _half_right(learner, first)  # answered wrong last time
    seen = _keys(first)

    def start(only: str, count: int = 100) -> set[str]:
        options = attempts.StartOptions(mode="practice", only=only, count=count)
        attempt = attempts.start_attempt(learner, "foundation", options)
        answering.discard_attempt(learner, attempt.id)
        return _keys(attempt)

    assert start("missed") == missed
    assert start("flagged") == {flagged.version.question.key}
    unseen = start("unseen", 30)
    assert unseen and not unseen & seen
    # a question shown once is seen, even in a set that was discarded
    counts = practice_filters.filter_counts(learner.id, seen | unseen | {"not-shown"})
    assert counts == {"unseen": 1, "missed": len(missed), "flagged": 1}


def test_a_filter_that_leaves_nothing_says_so(make_user, banks):
    learner = make_user(Role.LEARNER)
    with pytest.raises(InvalidInput, match="fits that filter"):
        attempts.start_attempt(
            learner, "foundation", attempts.StartOptions(mode="practice", only="flagged")
        )


def test_a_test_with_answers_at_the_end_refuses_a_check(make_user, banks):
    learner = make_user(Role.LEARNER)
    attempt = sit_exam(learner, mode="practice", count=3, submit=False, feedback="end")
    answer_items(learner, attempt, right=True, essay=None)
    with pytest.raises(Conflict, match="after you submit"):
        answering.check_practice_answer(learner, attempt.id, 1)
    answering.submit_attempt(learner, attempt.id)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).result["percent"] == 100


def test_the_custom_test_menu_counts_questions_under_each_clause(make_user, banks):
    learner = make_user(Role.LEARNER)
    scheme = db.session.query(Scheme).filter_by(code="foundation").one()
    menu = custom_tests.menu(scheme, learner.id)
    assert menu.total > 0 and menu.filters["unseen"] == menu.total
    tops = [node.number for node in menu.tree]
    assert "8" in tops and all("." not in n for n in tops)
    operation = next(node for node in menu.tree if node.number == "8")
    assert operation.count <= menu.total
    for child in operation.children:
        assert child.number.startswith("8.") and 0 < child.count <= operation.count
        assert all(low.count <= child.count for low in child.children)
    # a set on a clause draws exactly as many questions as the menu says it has
    clause = operation.children[0]
    options = attempts.StartOptions(mode="practice", clauses=[clause.number], count=100)
    attempt = attempts.start_attempt(learner, "foundation", options)
    assert len(attempt.items) == min(clause.count, 100)

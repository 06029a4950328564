"""Demo activity: learners of varying ability sitting mocks and practice sets.

Everything goes through the real services — the bank import, `start_attempt`,
`record_answer`, `submit_attempt` — so item statistics and results are real. Only the
dates are then moved back into the chosen period, so trends have something to show.

Learners answer by a Rasch-like model: P(right) = 1 / (1 + exp(−1.7 (ability − b))) with
b = −1, 0, +1 for difficulty 1, 2, 3. One deliberately flawed item is published in its
own bank, `demo-flawed`: its key marks the wrong option, so strong learners "fail" it
and the item analysis flags it (negative discrimination, a distractor that beats the key).
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.analytics import attempts as attempt_views
from app.domain import question_types
from app.domain.records import BankRecord, OptionRecord, QuestionRecord
from app.extensions import db
from app.formats import write_bank
from app.models import Attempt, AttemptItem, Response, User
from app.models.base import utcnow
from app.security import Role
from app.services import answering, users
from app.services.attempts import StartOptions, start_attempt
from app.services.bank_import import ImportOptions, import_files

FLAWED_KEY = "demo-miskeyed-8.2.4"
EMAIL = "demo-learner-{n:03d}@clausewise.example"


@dataclass
class SeedReport:
    """What seeding did."""

    learners: int = 0
    attempts: int = 0
    answers: int = 0
    skipped: bool = False


def flawed_bank() -> BankRecord:
    """The bank holding the one deliberately miskeyed item."""
    item = QuestionRecord(
        id=FLAWED_KEY,
        type="single_choice",
        title="Deliberately miskeyed demo item",
        stem="Which clause of ISO/IEC 20000-1 asks the organization to keep a catalogue "
        "of its services?",
        level="foundation",
        clauses=["8.2.4"],
        difficulty=1,
        explanation="DEMO DATA: this item's key is wrong on purpose, so that the item "
        "analysis has a flawed item to flag. The right answer is 8.2.4.",
        options=[
            OptionRecord("a", "8.2.4 Service catalogue management"),
            OptionRecord("b", "8.2.5 Asset management", correct=True),  # wrong on purpose
            OptionRecord("c", "8.3.3 Service level management"),
            OptionRecord("d", "8.5.1 Change management"),
        ],
    )
    return BankRecord(
        id="demo-flawed",
        title="Demo: a deliberately flawed item",
        description="Demo data only. Retire or delete this bank in a real installation.",
        questions=[item],
    )


def _p_right(ability: float, difficulty: int) -> float:
    """Chance that a learner of this ability answers an item of this difficulty right."""
    return 1.0 / (1.0 + math.exp(-1.7 * (ability - (difficulty - 2))))


def _answer(record: QuestionRecord, right: bool, rng: random.Random) -> object | None:
    """A response of the record's type: its key, or a plausible wrong answer."""
    kind = question_types.get(record.type)
    if record.id == FLAWED_KEY:  # learners who know the clause pick the truly right option
        return "a" if right else ("b" if rng.random() < 0.7 else rng.choice(["c", "d"]))
    if right:
        return kind.correct_response(record)
    if record.type == "single_choice":
        return rng.choice([o.id for o in record.options if not o.correct])
    if record.type == "multiple_response":
        return [rng.choice([o.id for o in record.options if not o.correct])]
    if record.type == "true_false":
        return not record.answer
    return None  # other types: left unanswered when wrong


def _sit(learner: User, attempt: Attempt, ability: float, rng: random.Random) -> int:
    """Answer every item of an attempt and submit it; returns the answers saved."""
    items = attempt_views.attempt_items(attempt)
    records = attempt_views.item_records(items)
    saved = 0
    for item in items:
        record = records[item.version_id]
        # The flawed item's clause is a fine distinction: only strong learners know it.
        difficulty = 3 if record.id == FLAWED_KEY else record.difficulty
        value = _answer(record, rng.random() < _p_right(ability, difficulty), rng)
        if value is not None:
            answering.record_answer(learner, attempt.id, item.position, value)
            saved += 1
    answering.submit_attempt(learner, attempt.id)
    return saved


def _backdate(attempt_id: int, when) -> None:
    """Move an attempt and its answers to an earlier moment (demo data only)."""
    attempt = db.session.get(Attempt, attempt_id)
    shift = attempt.submitted_at - when if attempt.submitted_at else timedelta(0)
    attempt.started_at -= shift
    attempt.submitted_at = when
    if attempt.deadline_at:
        attempt.deadline_at -= shift
    responses = db.session.scalars(
        select(Response)
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .where(AttemptItem.attempt_id == attempt_id)
    )
    for response in responses:
        response.answered_at -= shift
    db.session.commit()


def seed_demo(learners: int = 12, days: int = 28, seed: int = 7, mocks: int = 2) -> SeedReport:
    """Create demo learners and their activity once; a second run changes nothing."""
    report = SeedReport()
    if users.find_by_email(EMAIL.format(n=1)) is not None:
        report.skipped = True
        return report
    rng = random.Random(seed)
    data = write_bank(flawed_bank(), "yaml").data
    import_files(None, [("demo-flawed.yaml", data)], ImportOptions(publish=True))
    now = utcnow()
    for n in range(1, learners + 1):
        learner = users.create_user(
            None,
            EMAIL.format(n=n),
            f"Demo Learner {n}",
            secrets.token_urlsafe(16),
            {Role.LEARNER},
        )
        ability = rng.gauss(0.3, 1.0)
        # Practice on clause 8.2 (about 20 items, all drawn) always shows the flawed item,
        # so it gathers enough attempts to be judged, with rest scores worth the name.
        plans = [("mock", [])] * mocks + [("practice", ["8.2"])] * 4
        for mode, clauses in plans:
            seed_n = rng.randrange(2**31)
            options = StartOptions(mode=mode, clauses=clauses, count=30, seed=seed_n)
            attempt = start_attempt(learner, "foundation", options)
            report.answers += _sit(learner, attempt, ability, rng)
            report.attempts += 1
            _backdate(attempt.id, now - timedelta(days=rng.uniform(0, days)))
        report.learners += 1
    return report

"""Demo organization: teams, managers, learners and their activity, through the real services.

Everything goes through the real services — the bank import, `start_attempt`,
`record_answer`, `submit_attempt`, the teams service, trainer marking — so item
statistics and readiness are real. Only the times are then moved: each sitting back into
the chosen period, so trends have something to show, and given the time a person takes
(most of a mock's time limit, a minute or so per practice question) with its answers
spread over it in order, so the evidence pack shows the minutes each mock took. Sittings
end in working hours (09:00–18:00 UTC) unless that would be in the future, and those of one
learner never overlap.

Learners answer by a Rasch-like model: P(right) = 1 / (1 + exp(−1.7 (ability − b))) with
b = −1, 0, +1 for difficulty 1, 2, 3. Each learner follows a `Profile` (strong, improving,
weak, lapsed, newcomer…): ability rises (or falls) from their first attempt to their last,
and their attempts fall in chronological order inside a window of the period, so the
readiness dashboard shows every status and four-week trends point both ways.

One deliberately flawed item is published in its own bank, `demo-flawed`: its key marks
the wrong option, so strong learners "fail" it and the item analysis flags it (negative
discrimination, a distractor that beats the key). Every learner but a newcomer practises
clause 8.2 four times, so the item gathers enough attempts to be judged.

Teams: the fixed demo manager (manager@clausewise.test) manages the first two, every
other team gets its own manager account; the third is an internal audit team whose
members also practise for the auditor exam, their essays marked by the fixed demo
trainer when that account exists. The fixed demo learner joins the first team without
activity of her own, so the team's drills show on her home page. Learners are dealt
round robin over the teams, every fifth into two. With `mocks=0` learners only do the
four clause 8.2 practice sets (a newcomer, every tenth learner, one short set).
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from app.domain import question_types
from app.domain.records import BankRecord, OptionRecord, QuestionRecord
from app.extensions import db
from app.formats import write_bank
from app.models import SYSTEM, Attempt, AttemptItem, AttemptMode, Response, Role, User
from app.models.base import utcnow
from app.queries import attempts as attempt_views
from app.services import answering, marking, users
from app.services.attempts import StartOptions, start_attempt
from app.services.bank_import import ImportOptions, import_files
from app.services.demo_teams import AUDIT_TEAM, seed_teams, teams_of

FLAWED_KEY = "demo-miskeyed-8.2.4"
EMAIL = "demo-learner-{n:03d}@clausewise.example"
FIXED_TRAINER = "trainer@clausewise.test"
PRACTICE_CLAUSES: tuple[list[str], ...] = (
    ["1", "3"],
    ["4"],
    ["5"],
    ["6"],
    ["7"],
    ["8.1", "8.2", "8.3"],
    ["8.4"],
)
PRACTICE_CLAUSES += (["8.5"], ["8.6"], ["8.7"], ["9"], ["10"])
AUDITOR_CLAUSES: tuple[list[str], ...] = (["8"], ["9"], [])
UNMARKED_DAYS = 1.5  # essays of the last day or two still wait in the trainer's queue

Session = tuple[str, str, list[str], int]  # scheme, mode, clauses, questions


@dataclass(frozen=True)
class Profile:
    """How a demo learner studies: ability at the first attempt and by the last, and habits.

    `pace`: "active" (practising until this week), "lapsed" (stopped two weeks or more
    ago), "late" (started in the last four weeks) or "newcomer" (a handful of answers).
    `activity` scales the number of mocks and practice sets.
    """

    ability: float
    growth: float
    activity: float
    pace: str


# A cycle of ten whose length shares no factor with three teams, so teams get a mix.
PROFILES = (
    Profile(1.3, 0.4, 1.5, "active"),  # strong
    Profile(-0.7, 1.6, 1.5, "active"),  # improving fast
    Profile(0.2, 0.5, 1.0, "active"),  # average
    Profile(-1.1, 0.3, 1.0, "active"),  # weak
    Profile(1.0, 0.3, 1.0, "lapsed"),  # strong, stopped
    Profile(-0.3, -0.6, 0.5, "active"),  # slipping
    Profile(0.8, 0.5, 1.0, "active"),  # good
    Profile(-0.6, 0.2, 0.5, "lapsed"),  # weak, stopped
    Profile(0.0, 1.0, 1.5, "late"),  # started late, learning
    Profile(0.0, 0.0, 0.0, "newcomer"),  # not enough evidence yet
)


@dataclass
class SeedReport:
    """What seeding did."""

    learners: int = 0
    attempts: int = 0
    answers: int = 0
    teams: int = 0
    managers: int = 0  # manager accounts created
    targets: int = 0
    fixed_manager_teams: int = 0  # teams managed by manager@clausewise.test
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
    if record.type == "matching":  # every prompt given the next prompt's match
        matches = [p.match for p in record.pairs]
        return {p.id: m for p, m in zip(record.pairs, matches[1:] + matches[:1], strict=True)}
    if record.type == "ordering":
        return [s.id for s in reversed(record.steps)]
    if record.type == "short_answer":
        return "I am not sure."
    if record.type == "essay":  # marked low by the trainer
        return "There is a finding because the requirement was not met."
    return None


def _sit(
    learner: User, attempt: Attempt, ability: float, rng: random.Random, marker: User | None
) -> int:
    """Answer every item of an attempt, submit it and mark its essays; returns answers saved."""
    items = attempt_views.attempt_items(attempt)
    records = attempt_views.item_records(items)
    # Plain values first: every saved answer commits, which expires the loaded objects.
    attempt_id, secret = attempt.id, attempt.answer_secret
    slots = [(item.id, item.position, records[item.version_id]) for item in items]
    saved = 0
    essays: list[tuple[int, float, bool]] = []
    for item_id, position, record in slots:
        # The flawed item's clause is a fine distinction: only strong learners know it.
        difficulty = 3 if record.id == FLAWED_KEY else record.difficulty
        right = rng.random() < _p_right(ability, difficulty)
        value = _answer(record, right, rng)
        if value is not None:  # sent as a learner sends it: in the attempt's public ids
            ids = question_types.answer_ids(secret, position, record)
            value = question_types.get(record.type).public_response(record, value, ids)
            answering.record_answer(learner, attempt_id, position, value)
            saved += 1
            if record.type == "essay":
                essays.append((item_id, record.marks, right))
    answering.submit_attempt(learner, attempt_id)
    if marker is not None:
        for item_id, marks, right in essays:
            _mark(marker, item_id, marks, right, rng)
    return saved


def _mark(marker: User, item_id: int, marks: float, right: bool, rng: random.Random) -> None:
    """A trainer marks one essay answer: most of the marks when it was meant to be good."""
    share = rng.uniform(0.6, 1.0) if right else rng.uniform(0.0, 0.45)
    response_id = db.session.scalars(select(Response.id).where(Response.item_id == item_id)).one()
    comment = "Demo marking." if right else "Demo marking: the evidence is missing."
    marking.mark_response(marker, response_id, round(marks * share * 2) / 2, comment)


def _minutes_taken(attempt: Attempt, clock: random.Random) -> float:
    """How long a sitting took: most of a mock's time limit, a minute or so per practice
    question (demo data only)."""
    if attempt.mode == AttemptMode.MOCK and attempt.deadline_at is not None:
        limit = (attempt.deadline_at - attempt.started_at).total_seconds() / 60
        return limit * clock.uniform(0.55, 0.95)
    return len(attempt.items) * clock.uniform(0.6, 1.6) + clock.uniform(1, 3)


def _backdate(
    attempt_id: int, when: datetime, after: datetime | None, clock: random.Random
) -> datetime:
    """Move an attempt to end on the day of `when`, in working hours (UTC), or just after
    the sitting that ended at `after`; it takes a realistic time, its answers spread over
    it in order. Never in the future. Returns its end."""
    attempt = db.session.get_one(Attempt, attempt_id)
    taken = timedelta(minutes=_minutes_taken(attempt, clock))
    day = when.replace(hour=0, minute=0, second=0, microsecond=0)
    when = day + timedelta(hours=clock.uniform(9, 18))
    if after is not None:  # no sitting overlaps the one before it
        when = max(when, after + taken + timedelta(minutes=clock.uniform(5, 30)))
    when = min(when, utcnow())
    started = when - taken
    if attempt.deadline_at:
        attempt.deadline_at = started + (attempt.deadline_at - attempt.started_at)
    attempt.started_at, attempt.submitted_at = started, when
    responses = db.session.scalars(
        select(Response)
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .where(AttemptItem.attempt_id == attempt_id)
        .order_by(AttemptItem.position)
    ).all()
    # Answers in the order of the questions, the last a little before the submission.
    moments = sorted(clock.uniform(0.02, 0.97) for _ in responses)
    for response, share in zip(responses, moments, strict=True):
        response.answered_at = started + share * taken
    db.session.commit()
    return when


def _sessions(profile: Profile, mocks: int, auditor: bool, rng: random.Random) -> list[Session]:
    """What a learner sits, in the order they sit it (mock exams lean towards the end)."""
    if profile.pace == "newcomer":  # one short set outside clause 8: not enough evidence
        clauses = rng.choice([c for c in PRACTICE_CLAUSES if not c[0].startswith("8")])
        return [("foundation", AttemptMode.PRACTICE, clauses, rng.randint(5, 8))]
    runs = round(mocks * profile.activity)
    # Practice on 8.2.3-8.2.6 (about 25 items, all drawn) always shows the flawed item,
    # which is tagged 8.2.4; all of 8.2 now holds more than the 30 a set draws.
    portfolio = ["8.2.3", "8.2.4", "8.2.5", "8.2.6"]
    plan: list[tuple[float, Session]] = [
        (rng.random(), ("foundation", AttemptMode.PRACTICE, portfolio, 30)) for _ in range(4)
    ]
    for _ in range(2 * runs):
        clauses = rng.choice(PRACTICE_CLAUSES)
        plan.append(
            (rng.random(), ("foundation", AttemptMode.PRACTICE, clauses, rng.randint(10, 15)))
        )
    plan += [(0.5 + rng.random(), ("foundation", AttemptMode.MOCK, [], 30)) for _ in range(runs)]
    if auditor and runs:
        for _ in range(2 * runs):
            clauses = rng.choice(AUDITOR_CLAUSES)
            plan.append((0.3 + rng.random(), ("auditor", AttemptMode.PRACTICE, clauses, 12)))
        plan += [(0.6 + rng.random(), ("auditor", AttemptMode.MOCK, [], 30)) for _ in range(runs)]
    return [session for _key, session in sorted(plan, key=lambda pair: pair[0])]


def _days_ago(profile: Profile, sittings: int, days: int, rng: random.Random) -> list[float]:
    """When each sitting happened, in days before now, oldest first."""
    if profile.pace == "newcomer":
        return [rng.uniform(1, min(6, days))] * sittings
    if profile.pace == "late":
        start, stop = rng.uniform(0.4, 0.5) * days, rng.uniform(0, 2)
    elif profile.pace == "lapsed":
        start = rng.uniform(0.85, 1.0) * days
        stop = min(rng.uniform(15, 30), 0.6 * start)
    else:
        start, stop = rng.uniform(0.7, 1.0) * days, rng.uniform(0, 3)
    inner = [rng.uniform(stop, start) for _ in range(max(0, sittings - 2))]
    return sorted([start, *inner, stop][:sittings], reverse=True)


def _practise(
    learner: User,
    profile: Profile,
    sessions: list[Session],
    ago: list[float],
    rng: random.Random,
    report: SeedReport,
) -> None:
    """Sit the sessions in order, ability growing from the first to the last; backdate each."""
    now = utcnow()
    marker = users.find_by_email(FIXED_TRAINER)
    if marker is not None and not marker.has_any_role(Role.TRAINER):
        marker = None
    ability = profile.ability + rng.gauss(0, 0.25)
    span = (ago[0] - ago[-1]) or 1.0
    clock = random.Random(f"clock-{learner.email}")  # its own stream: the rest stays as it was
    ended: datetime | None = None
    for (scheme, mode, clauses, count), days in zip(sessions, ago, strict=True):
        today = ability + profile.growth * (ago[0] - days) / span + rng.gauss(0, 0.15)
        if scheme == "auditor":
            today -= 0.3  # auditing is harder than recalling the standard
        options = StartOptions(mode=mode, clauses=clauses, count=count, seed=rng.randrange(2**31))
        attempt = start_attempt(learner, scheme, options)
        recent = days < UNMARKED_DAYS
        report.answers += _sit(learner, attempt, today, rng, None if recent else marker)
        report.attempts += 1
        ended = _backdate(attempt.id, now - timedelta(days=days), ended, clock)


@dataclass
class _Learner:
    """A demo learner as planned: number, e-mail, profile, teams (indexes) and random stream."""

    n: int
    email: str
    profile: Profile
    teams: list[int]
    rng: random.Random


def _cast(learners: int, teams: int, seed: int) -> list[_Learner]:
    """Every demo learner's plan; the same arguments always give the same plans."""
    return [
        _Learner(
            n,
            EMAIL.format(n=n),
            PROFILES[(n - 1) % len(PROFILES)],
            teams_of(n, teams),
            random.Random(f"{seed}-{n}"),
        )
        for n in range(1, learners + 1)
    ]


def _seed_activity(cast: list[_Learner], days: int, mocks: int, report: SeedReport) -> None:
    """Publish the flawed item, create the learners and let each one study."""
    data = write_bank(flawed_bank(), "yaml").data
    import_files(SYSTEM, [("demo-flawed.yaml", data)], ImportOptions(publish=True))
    for who in cast:
        password = secrets.token_urlsafe(16)
        name = f"Demo Learner {who.n}"
        learner = users.create_user(SYSTEM, who.email, name, password, {Role.LEARNER})
        report.learners += 1
        sessions = _sessions(who.profile, mocks, AUDIT_TEAM in who.teams, who.rng)
        ago = _days_ago(who.profile, len(sessions), days, who.rng)
        _practise(learner, who.profile, sessions, ago, who.rng, report)


def _named_auditors(cast: list[_Learner]) -> list[str]:
    """The two audit team members who should end up strongest: the auditor target names them."""
    chosen = [w for w in cast if AUDIT_TEAM in w.teams and w.profile.pace in ("active", "late")]
    chosen.sort(key=lambda w: -(w.profile.ability + w.profile.growth))
    return [w.email for w in chosen[:2]]


def seed_demo(
    learners: int = 18, teams: int = 3, days: int = 56, seed: int = 7, mocks: int = 2
) -> SeedReport:
    """Create demo learners, their activity and `teams` teams once; repeating adds nothing.

    Teams that already exist by name are left alone, so an installation seeded before
    teams existed gets its teams on the next run.
    """
    report = SeedReport()
    cast = _cast(learners, teams, seed)
    if cast and users.find_by_email(cast[0].email) is None:
        _seed_activity(cast, days, mocks, report)
    cast = [w for w in cast if (user := users.find_by_email(w.email)) and user.active]
    members = [[w.email for w in cast if k in w.teams] for k in range(teams)]
    seed_teams(teams, members, _named_auditors(cast), report)
    report.skipped = not (report.learners or report.teams)
    return report

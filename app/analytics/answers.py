"""Graded answers as the readiness model reads them, from the database.

An answer counts once it is final: its attempt is closed, or it is a practice answer
already checked (practice shows the key, so the answer is locked). Clauses are mapped to
the 2018 edition. `answer_frame` gives one row per answer (for notebooks and checks);
`grouped_answers` has the database sum the recency weights per learner, answer class and
week of age, the aggregated input `readiness.readiness` also accepts.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, cast

import numpy as np
import pandas as pd
from cachetools import LRUCache, cached
from sqlalchemy import (
    ARRAY,
    Integer,
    Select,
    String,
    bindparam,
    case,
    column,
    func,
    literal,
    or_,
    select,
    table,
    true,
    type_coerce,
)
from sqlalchemy.sql.elements import Grouping

from app.analytics.readiness import (
    HALF_LIFE_DAYS,
    REPEAT_WEIGHT,
    SEEN,
    membership,
    sections_of,
)
from app.domain.blueprint import Blueprint
from app.extensions import db
from app.models import (
    Attempt,
    AttemptItem,
    AttemptMode,
    AttemptStatus,
    QuestionVersion,
    ReadinessBasis,
    ReadinessSum,
    Response,
    Scheme,
    User,
)
from app.queries import banks as bank_queries

WEEKS = 8  # weekly buckets summed for trends; older answers share the last one
KEPT_WEEKS = WEEKS + 1  # calendar weeks the kept sums hold apart (a rebuild merges older)
_EPOCH_JULIAN = 2440587.5  # julian day of 1970-01-01T00:00Z


def days_since_epoch(column: Any) -> Any:
    """A timestamp column as fractional days since 1970 (floats travel faster than dates)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(column) - _EPOCH_JULIAN
    # date_part, not extract: extract gives numeric, whose arithmetic is many times slower.
    return func.date_part("epoch", column) / 86400.0


def answer_frame(
    learners: Select[*tuple[Any, ...]] | Sequence[int] | None = None,
    *,
    before: datetime | None = None,
) -> pd.DataFrame:
    """Final, graded answers of `learners` (all learners when None), as the model reads them;
    with `before`, only the answers given before that moment.

    Columns: learner_id, item_id (question version id), clauses (2018 numbers), level,
    difficulty, type, score (fraction), max_score (1), answered_at (UTC), attempt_id, mode,
    seen (the learner had answered the question before: `Response.seen_before`).
    """
    stmt = (
        select(
            Attempt.user_id,
            AttemptItem.version_id,
            Response.score,
            days_since_epoch(Response.answered_at),
            Attempt.id,
            type_coerce(Attempt.mode, String),  # the stored text: one enum per mode, below
            Response.seen_before,
        )
        .select_from(Response)
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Response.score.is_not(None),
            or_(Attempt.status != AttemptStatus.OPEN, AttemptItem.checked_at.is_not(None)),
        )
    )
    if learners is not None:
        stmt = stmt.where(Attempt.user_id.in_(learners))
    if before is not None:
        stmt = stmt.where(Response.answered_at < before)
    names = ["learner_id", "item_id", "score", "days", "attempt_id", "mode", "seen"]
    found = pd.DataFrame.from_records(plain_rows(stmt), columns=names)
    version = found["item_id"].to_numpy(np.int64)
    meta = _version_meta(np.unique(version).tolist())
    at = meta.index.get_indexer(version)
    when = pd.to_datetime(found["days"].to_numpy(float) * 86400.0, unit="s", utc=True)
    return pd.DataFrame(
        {
            "learner_id": found["learner_id"].to_numpy(np.int64),
            "item_id": version,
            "clauses": meta["clauses"].to_numpy()[at],
            "level": _take(meta["level"], at),
            "difficulty": meta["difficulty"].to_numpy()[at],
            "type": _take(meta["type"], at),
            "score": found["score"].to_numpy(float),
            "max_score": 1.0,
            "answered_at": when,
            "attempt_id": found["attempt_id"].to_numpy(np.int64),
            "mode": _modes(found["mode"].tolist()),
            SEEN: found["seen"].to_numpy(bool),
        }
    )


def plain_rows(stmt: Select[*tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of `stmt` as the driver returns them: plain tuples, without the Row objects
    SQLAlchemy would build (a second or more per million rows). Parameters are bound as
    usual; only numbers and plain text should be selected, since no result type is
    processed."""
    result = db.session.connection().execute(stmt)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _modes(stored: Sequence[str]) -> pd.Categorical:
    """Stored mode strings as a categorical of `AttemptMode` members."""
    found = pd.Categorical(stored)
    return found.rename_categories([AttemptMode(c) for c in found.categories])


def _version_meta(version_ids: list[int]) -> pd.DataFrame:
    """Per question version: 2018 clauses, level (categorical), difficulty and type."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(version_ids), 5000):
        chunk = version_ids[start : start + 5000]
        stmt = select(
            QuestionVersion.id,
            QuestionVersion.level,
            QuestionVersion.difficulty,
            QuestionVersion.type,
        ).where(QuestionVersion.id.in_(chunk))
        rows.extend(db.session.execute(stmt))
    clauses = bank_queries.mapped_clauses(version_ids)
    meta = pd.DataFrame(rows, columns=["id", "level", "difficulty", "type"]).set_index("id")
    meta["clauses"] = [tuple(clauses.get(vid, ())) for vid in meta.index]
    meta["level"] = meta["level"].astype("category")
    meta["type"] = meta["type"].astype("category")
    return meta


def _take(column: pd.Series, at: np.ndarray) -> pd.Categorical:
    """Rows `at` of a categorical column, staying categorical (cheap for millions of rows)."""
    return pd.Categorical.from_codes(column.cat.codes.to_numpy()[at], column.cat.categories)


# The meta last built by this process (one entry: a new fingerprint replaces it; no TTL).
# cachetools' caches are not thread-safe, hence the lock; a build runs outside it.
_META: LRUCache[Hashable, pd.DataFrame] = LRUCache(maxsize=1)
_META_LOCK = threading.Lock()


def _all_version_meta() -> pd.DataFrame:
    """`_version_meta` of every question version, cached per process behind a fingerprint."""
    key = tuple(db.session.execute(select(func.count(), func.max(QuestionVersion.id))).one())
    return _all_version_meta_at(key)


@cached(_META, lock=_META_LOCK)
def _all_version_meta_at(fingerprint: tuple[Any, ...]) -> pd.DataFrame:
    """`_version_meta` of every question version, cached under the fingerprint it was built at."""
    return _version_meta(list(db.session.scalars(select(QuestionVersion.id))))


def _blueprint_of(item: Scheme | Blueprint) -> Blueprint:
    return item.exam_blueprint if isinstance(item, Scheme) else item


def answer_classes(
    blueprints: Sequence[Scheme | Blueprint], difficulties: Mapping[Hashable, float] | None = None
) -> pd.DataFrame:
    """Question versions grouped into classes the readiness model cannot tell apart.

    Two versions are in one class when they have the same difficulty and fall in the same
    sections of every blueprint (level, clauses and types decide that), so their answers
    can be summed in SQL. Versions in no section of any blueprint are left out. Columns:
    version_id, class_id, and per class a representative clauses, level, type, difficulty.
    `difficulties` (version id → difficulty estimated from answers, see
    `app.analytics.calibration`) replace the authors' labels where known.
    """
    meta = _all_version_meta().reset_index().rename(columns={"id": "item_id"})
    if difficulties:
        known = meta["item_id"].map(difficulties)
        meta["difficulty"] = known.fillna(meta["difficulty"]).astype(float)
    meta["learner_id"] = 0
    inside = np.zeros(len(meta), dtype=bool)
    matrices = [np.zeros((len(meta), 0), dtype=bool)]
    for item in blueprints:
        blueprint = _blueprint_of(item)
        if not blueprint.sections:
            continue
        member = membership(meta, sections_of(blueprint))
        if blueprint.levels is not None:
            member &= meta["level"].isin(blueprint.levels).to_numpy()[:, None]
        inside |= member.any(axis=1)
        matrices.append(member)
    combined = np.concatenate(matrices, axis=1)
    keys = [
        f"{d}|{row.tobytes().hex()}"
        for d, row in zip(meta["difficulty"].tolist(), combined, strict=True)
    ]
    meta["class_id"] = pd.factorize(pd.Series(keys, dtype=object))[0]
    meta = meta[inside]
    return meta.rename(columns={"item_id": "version_id"})[
        ["version_id", "class_id", "clauses", "level", "type", "difficulty"]
    ]


MONDAY = 4.0  # 1970-01-05, the first Monday after the epoch, in days since the epoch


def week_index(day: float) -> int:
    """The calendar week (Monday 00:00 UTC to the next) of a moment in days since 1970."""
    return math.floor((day - MONDAY) / 7.0)


def day_end(now: datetime) -> datetime:
    """The moment readiness is taken at for `now`: the last second of its UTC day, so that
    a page shows, and the kept results hold, the same figures all day (the trend's earlier
    moments, `week_moment`, are the same for every moment of a day)."""
    stamp = pd.Timestamp(now)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    end: datetime = (stamp.floor("D") + pd.Timedelta(days=1, seconds=-1)).to_pydatetime()
    return end


def week_moment(now: datetime, weeks_back: int) -> datetime:
    """The trend's moments: `now` itself (0), then the starts of calendar weeks (Monday
    00:00 UTC): 1 is the start of this week (the end of the last), 2 a week earlier, …"""
    if weeks_back == 0:
        return now
    start = MONDAY + 7.0 * week_index(day_of(now))
    moment = pd.Timestamp((start - 7.0 * (weeks_back - 1)) * 86400.0, unit="s", tz="UTC")
    found: datetime = moment.to_pydatetime()
    return found


@dataclass
class Answers:
    """Answers summed per learner, answer class and week (`week_moment`: week k holds the
    answers between moments k + 1 and k; 0 those since the start of this calendar week).

    `rows`: learner_id, item_id (class), clauses, level, type, difficulty, week, weight
    (recency weights as of `now`), right, answers, answered_at (latest), weighted_age
    (Σ weight × age in days) — the aggregated input `readiness` accepts.
    """

    rows: pd.DataFrame
    now: datetime
    weeks: int = WEEKS  # buckets summed: weeks 0 … weeks − 1, then everything older
    half_life_days: float = HALF_LIFE_DAYS  # of the recency weights in `rows`

    def as_of(self, weeks_back: int = 0) -> pd.DataFrame:
        """The rows as they stood at `moment(weeks_back)`, weights as of that moment."""
        if weeks_back and weeks_back > self.weeks:
            raise ValueError(f"the answers were summed in {self.weeks} weekly buckets")
        part = self.rows[self.rows["week"] >= weeks_back]
        days = day_of(self.now) - day_of(self.moment(weeks_back))
        factor = 2.0 ** (days / self.half_life_days)
        # Ages as of that moment are `days` less: Σ w·(age − d) = Σ w·age − d·Σ w.
        aged = part["weighted_age"] - days * part["weight"]
        return part.assign(
            weight=part["weight"] * factor, right=part["right"] * factor, weighted_age=aged * factor
        )

    def moment(self, weeks_back: int) -> datetime:
        """The moment the state `weeks_back` is taken at (`week_moment`)."""
        return week_moment(self.now, weeks_back)

    def only(self, learners: Sequence[int]) -> Answers:
        """The same sums, of `learners` alone."""
        return replace(self, rows=self.rows[self.rows["learner_id"].isin(list(learners))])


_CLASS_TABLE = "cw_answer_class"
_COLUMNS = ["learner_id", "item_id", "week", "answers", "weight", "right", "day", "weighted_age"]


def grouped_answers(
    learners: Select[*tuple[Any, ...]] | Sequence[int] | None,
    blueprints: Sequence[Scheme | Blueprint],
    now: datetime,
    weeks: int = WEEKS,
    half_life_days: float = HALF_LIFE_DAYS,
    difficulties: Mapping[Hashable, float] | None = None,
    repeat_weight: float = REPEAT_WEIGHT,
    kept: bool = True,
    hidden: Select[*tuple[Any, ...]] | None = None,
) -> Answers:
    """Final graded answers summed in SQL per learner, answer class and week of age.

    The same answers as `answer_frame`, with the recency weights summed by the database,
    so millions of answers arrive as a few hundred thousand rows. A response has a score
    once it is final (its attempt closed, or a practice answer checked), so the answers
    are read from the responses table alone (and its partial index `ix_responses_final`).
    Each dialect gets the plan it runs fastest (see the two helpers). An answer to a
    question the learner had answered before weighs `repeat_weight` of a first one (in
    `weight` and `right`; `answers` counts it whole).

    The kept sums are read instead when they match these settings (`kept_sums`): a few
    rows per learner instead of every answer, with every scheme's answer classes.
    `kept=False` sums the answers whatever is kept. `hidden` selects attempt item ids
    whose answers are left out (then nothing kept is read): a learner's own page leaves
    out the answers of their mocks whose review is closed.

    The weights are as of the end of `now`'s day (`day_end`): `Answers.now` is that moment.
    """
    now = day_end(now)
    if kept and hidden is None:
        found = kept_sums(learners, now, half_life_days, difficulties, repeat_weight, weeks)
        if found is not None:
            return found
    classes = answer_classes(blueprints, difficulties)
    now_day = day_of(now)
    weighting = _Weighting(half_life_days, repeat_weight)
    if db.session.get_bind().dialect.name == "sqlite":
        found = _per_learner_sums(classes, now_day, weeks, weighting, learners, hidden)
    else:
        found = _hashed_sums(classes, now_day, weeks, weighting, learners, hidden)
    return Answers(_with_classes(found, classes), now, weeks, half_life_days)


def day_of(moment: datetime | pd.Timestamp) -> float:
    """A moment as fractional days since 1970-01-01T00:00Z (naive: UTC)."""
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    return float(stamp.timestamp()) / 86400.0


def classes_hash(classes: pd.DataFrame) -> str:
    """A fingerprint of the version → class map of `answer_classes`."""
    pairs = sorted(zip(classes["version_id"].tolist(), classes["class_id"].tolist(), strict=True))
    return hashlib.sha256(repr(pairs).encode()).hexdigest()


def kept_sums(
    learners: Select[*tuple[Any, ...]] | Sequence[int] | None,
    now: datetime,
    half_life_days: float,
    difficulties: Mapping[Hashable, float] | None,
    repeat_weight: float,
    weeks: int = WEEKS,
) -> Answers | None:
    """The kept sums (app/models/readiness_sums.py) of `learners` (all when None) as
    `grouped_answers` gives them; None when none are kept, or they were kept under other
    settings or answer classes (a new question version, blueprint or clause mapping since
    the last rebuild), or `weeks` reaches further back than they keep (KEPT_WEEKS).

    The rows' calendar weeks become the weeks back from `now` (`week_moment`); the oldest
    row a rebuild keeps holds all earlier weeks, and is always "everything older"."""
    if weeks > KEPT_WEEKS:
        return None
    matched = kept_basis()
    if matched is None:
        return None
    basis, classes = matched
    half_life = basis.half_life_days if basis.half_life_days is not None else math.inf
    known: dict[Hashable, float] = {int(k): float(v) for k, v in basis.difficulties.items()}
    wanted: dict[Hashable, float] = {
        int(cast(int, k)): float(v) for k, v in (difficulties or {}).items()
    }
    if (half_life, basis.repeat_weight, known) != (half_life_days, repeat_weight, wanted):
        return None
    # Calendar weeks become weeks back from now (the last holds everything older), summed
    # by the database: far fewer rows travel than are kept.
    back = week_index(day_of(now)) - ReadinessSum.week
    week = case((back <= 0, 0), (back >= weeks, weeks), else_=back) if weeks else literal(0)
    by = [ReadinessSum.learner_id, ReadinessSum.class_id, *([week] if weeks else [])]
    stmt = (
        select(
            ReadinessSum.learner_id,
            ReadinessSum.class_id,
            week,
            func.sum(ReadinessSum.answers),
            func.sum(ReadinessSum.weight),
            func.sum(ReadinessSum.right),
            func.sum(ReadinessSum.aged),
            func.max(ReadinessSum.latest_day),
        )
        .group_by(*by)
        .having(func.sum(ReadinessSum.answers) > 0)
    )
    if learners is not None:
        # A list, not a subquery: the planner then reads those learners' rows by the key.
        ids = list(db.session.scalars(learners)) if isinstance(learners, Select) else learners
        stmt = stmt.where(ReadinessSum.learner_id.in_(ids))
    names = ["learner_id", "item_id", "week", "answers", "weight", "right", "aged", "day"]
    found = pd.DataFrame.from_records(plain_rows(stmt), columns=names)
    if _basis() != basis:  # a rebuild committed meanwhile: these rows may be its
        return None
    since = day_of(now) - basis.base_day
    scale = 2.0 ** (-since / half_life) if math.isfinite(half_life) else 1.0
    weight = found["weight"].to_numpy(float)
    # Σ w·(now − t) = scale · (Σ w₀·(base − t) + (now − base) · Σ w₀)
    aged = scale * (found["aged"].to_numpy(float) + since * weight)
    rows = _with_classes(
        found.assign(weight=weight * scale, right=found["right"] * scale, weighted_age=aged),
        classes,
    )
    return Answers(rows, now, weeks, half_life_days)


def kept_basis() -> tuple[KeptBasis, pd.DataFrame] | None:
    """The kept sums' basis and every scheme's answer classes, while the classes still
    match those the sums were kept in; else (or with no basis) None."""
    basis = _basis()
    if basis is None:
        return None
    known: dict[Hashable, float] = {int(k): float(v) for k, v in basis.difficulties.items()}
    schemes = [s for s in db.session.scalars(select(Scheme)) if s.exam_blueprint.sections]
    versions = tuple(db.session.execute(select(func.count(), func.max(QuestionVersion.id))).one())
    blueprints = tuple((s.id, repr(s.blueprint)) for s in schemes)
    classes = _basis_classes(
        basis.classes_hash, basis.built_at, versions, blueprints, schemes, known
    )
    return None if classes is None else (basis, classes)


# The answer classes last checked against a basis, per process (a new basis, question
# version or blueprint makes a new key). cachetools' caches are not thread-safe: the lock.
_CLASSES: LRUCache[Hashable, pd.DataFrame | None] = LRUCache(maxsize=4)
_CLASSES_LOCK = threading.Lock()


@cached(
    _CLASSES,
    key=lambda wanted, built, versions, blueprints, *_rest: (wanted, built, versions, blueprints),
    lock=_CLASSES_LOCK,
)
def _basis_classes(
    wanted: str,
    built: datetime,
    versions: tuple[Any, ...],
    blueprints: tuple[Any, ...],
    schemes: list[Scheme],
    difficulties: Mapping[Hashable, float],
) -> pd.DataFrame | None:
    """Every scheme's answer classes under the basis's difficulties, or None when they no
    longer match the classes the sums were kept in (hash `wanted`). Cached under the
    basis (hash, build time), the question versions and the blueprints."""
    classes = answer_classes(schemes, difficulties)
    return classes if classes_hash(classes) == wanted else None


@dataclass(frozen=True)
class KeptBasis:
    """The kept sums' basis as plain values (compared before and after reading them)."""

    half_life_days: float | None
    repeat_weight: float
    base_day: float
    difficulties: dict[str, Any]
    classes_hash: str
    built_at: datetime
    calibrated: bool  # the basis keeps the calibration it was built with


def _basis() -> KeptBasis | None:
    row = db.session.execute(
        select(
            ReadinessBasis.half_life_days,
            ReadinessBasis.repeat_weight,
            ReadinessBasis.base_day,
            ReadinessBasis.difficulties,
            ReadinessBasis.classes_hash,
            ReadinessBasis.built_at,
            ReadinessBasis.calibration,
        )
    ).first()
    if row is None:
        return None
    half_life, repeat_weight, base_day, difficulties, classes, built, kept_fits = row
    return KeptBasis(
        half_life, repeat_weight, base_day, difficulties, classes, built, bool(kept_fits)
    )


def _with_classes(found: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """Summed rows (learner_id, item_id = class, week, answers, weight, right, day,
    weighted_age) with their class's clauses, level, type and difficulty, typed as
    `Answers.rows`."""
    found = found.astype({"learner_id": np.int64, "item_id": np.int64})
    per_class = classes.drop_duplicates("class_id").set_index("class_id")
    at = per_class.index.get_indexer(found["item_id"])
    return found.assign(
        week=found["week"].astype(float).astype(int),
        answers=found["answers"].astype(int),
        weight=found["weight"].astype(float),
        right=found["right"].astype(float),
        weighted_age=found["weighted_age"].astype(float),
        clauses=per_class["clauses"].to_numpy()[at],
        level=per_class["level"].to_numpy()[at],
        type=per_class["type"].to_numpy()[at],
        difficulty=per_class["difficulty"].to_numpy()[at],
        answered_at=pd.to_datetime(found["day"].astype(float) * 86400.0, unit="s", utc=True),
    ).drop(columns=[c for c in ("day", "aged") if c in found.columns])


@dataclass(frozen=True)
class _Weighting:
    """How an answer's weight is made: recency (half-life) times the repeat weight."""

    half_life_days: float
    repeat_weight: float


def _sums(
    answers: Any, now_day: float, weeks: int, weighting: _Weighting
) -> tuple[tuple[Any, ...], list[Any]]:
    """Week of age, count, Σ weight, Σ weight × score and latest day of `answers` (a table
    or subquery with answered_at, score and seen_before), and what to group by for the
    weeks."""
    day = days_since_epoch(answers.c.answered_at)
    half_life_days = weighting.half_life_days
    # w = 0.5 ** (age / half-life). Unlike answer_frame, an answer stamped after `now` is
    # not clipped to weight 1 (the server stamps answers, so none is later than a request
    # that reads them).
    recency: Any = (
        func.exp(math.log(2) / half_life_days * (day - now_day))
        if math.isfinite(half_life_days)
        else literal(1.0)
    )
    weight = recency
    if weighting.repeat_weight != 1.0:
        repeat = literal(float(weighting.repeat_weight))
        weight = recency * case((answers.c.seen_before, repeat), else_=literal(1.0))
    # weeks=0: one bucket (today's state only), which spares the database a grouping level.
    # Else week k holds the answers between week_moment k + 1 and k (0: this calendar week).
    age = now_day - day
    # Calendar weeks back from now's, as `week_index` counts them (later answers: 0).
    back = week_index(now_day) - func.floor((day - MONDAY) / 7.0)
    week = case((back <= 0, 0), (back >= weeks, weeks), else_=back) if weeks else literal(0)
    # The latest answer: timestamps sort as text too, so only each group's maximum is
    # converted (once per group instead of once per answer).
    latest = days_since_epoch(func.max(answers.c.answered_at))
    sums = (
        week,
        func.count(),
        func.sum(weight),
        func.sum(weight * answers.c.score),
        latest,
        func.sum(weight * age),
    )
    return sums, [week] if weeks else []


def _per_learner_sums(
    classes: pd.DataFrame,
    now_day: float,
    weeks: int,
    weighting: _Weighting,
    learners: Select[*tuple[Any, ...]] | Sequence[int] | None,
    hidden: Select[*tuple[Any, ...]] | None = None,
) -> pd.DataFrame:
    """SQLite: the sums grouped one learner at a time, inside one statement.

    SQLite groups by sorting, and sorting millions of rows at once costs seconds; one
    learner's few hundred answers, read in a row from the index, sort in microseconds.
    The version classes travel in a session-private temporary table (scratch space, no
    stored data changes); each learner's groups come back as one list of numbers.
    """
    connection = db.session.connection()
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {_CLASS_TABLE} "
        "(version_id INTEGER PRIMARY KEY, class_id INTEGER NOT NULL)"
    )
    klass = table(_CLASS_TABLE, column("version_id"), column("class_id"))
    connection.execute(klass.delete())
    pairs = zip(classes["version_id"].tolist(), classes["class_id"].tolist(), strict=True)
    values = [{"version_id": v, "class_id": c} for v, c in pairs]
    if values:
        connection.execute(klass.insert(), values)
    user = User.__table__.alias("learner")
    sums, by_week = _sums(Response.__table__, now_day, weeks, weighting)
    groups = (
        select(user.c.id, klass.c.class_id, *sums)
        .select_from(Response)
        .join(klass, klass.c.version_id == Response.version_id)
        .where(Response.user_id == user.c.id, Response.score.is_not(None))
        .where(true() if hidden is None else Response.item_id.not_in(hidden))
        .group_by(klass.c.class_id, *by_week)
        .correlate(user)
        .subquery()
    )
    # Each learner's groups as one comma-separated list of numbers, all parsed in one go.
    numbers = func.printf("%d,%d,%d,%d,%!.17g,%!.17g,%!.17g,%!.17g", *groups.c)
    packed = select(func.group_concat(numbers, ",")).scalar_subquery()
    stmt = select(packed).select_from(user)
    if learners is not None:
        stmt = stmt.where(user.c.id.in_(learners))
    text = ",".join(part for part in db.session.scalars(stmt) if part)
    flat = np.fromstring(text, sep=",") if text else np.zeros(0)
    flat = flat.reshape(-1, len(_COLUMNS))
    return pd.DataFrame(flat, columns=_COLUMNS)


def _hashed_sums(
    classes: pd.DataFrame,
    now_day: float,
    weeks: int,
    weighting: _Weighting,
    learners: Select[*tuple[Any, ...]] | Sequence[int] | None,
    hidden: Select[*tuple[Any, ...]] | None = None,
) -> pd.DataFrame:
    """PostgreSQL: one hash aggregate, which it splits over parallel workers.

    The version → class map is an array parameter indexed by version id (a join with a
    temporary table would rule out parallel workers); versions in no class index NULL.
    The groups get enough memory to stay off disk (for this transaction only).
    """
    size = int(classes["version_id"].max()) if len(classes) else 0
    by_version: list[int | None] = [None] * size
    for version, klass in zip(classes["version_id"], classes["class_id"], strict=True):
        by_version[int(version) - 1] = int(klass)  # PostgreSQL arrays count from 1
    class_of = Grouping(bindparam("classes", by_version, type_=ARRAY(Integer)))
    final = select(
        Response.user_id,
        class_of[Response.version_id].label("class_id"),
        Response.answered_at,
        Response.score,
        Response.seen_before,
    ).where(Response.score.is_not(None))
    if learners is not None:
        final = final.where(Response.user_id.in_(learners))
    if hidden is not None:
        final = final.where(Response.item_id.not_in(hidden))
    answers = final.subquery()
    sums, by_week = _sums(answers, now_day, weeks, weighting)
    stmt = (
        select(answers.c.user_id, answers.c.class_id, *sums)
        .where(answers.c.class_id.is_not(None))
        .group_by(answers.c.user_id, answers.c.class_id, *by_week)
    )
    db.session.execute(select(func.set_config("work_mem", "128MB", True)))
    # Fetched as plain tuples from the driver: SQLAlchemy's Row objects cost a second or
    # more for the few hundred thousand groups of an organization.
    connection = db.session.connection()
    compiled = stmt.compile(connection, compile_kwargs={"render_postcompile": True})
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(compiled), compiled.params)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    return pd.DataFrame(rows, columns=_COLUMNS)

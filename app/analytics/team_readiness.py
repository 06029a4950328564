"""Team readiness from the database: the readiness model fed with a team's answers.

`answer_frame` reads graded answers into the DataFrame `readiness.readiness` takes (one
row per answer; clauses mapped to the 2018 edition). An answer counts once it is final:
its attempt is closed, or it is a practice answer already checked. The rest of this
module turns model output into what managers see and export: member tables with a
status and a four-week trend, target progress, the learner × clause mastery heatmap,
the weakest clauses, weekly trends and the clause 7.2 competence evidence.

Statuses, per member and scheme:
- `ready`: pass probability at least READY_AT (0.8);
- `on_track`: at least ON_TRACK_AT (0.5), or risen by RISING (0.1) over four weeks;
- `not_ready`: the rest with a forecast;
- `insufficient`: not enough evidence for a forecast (the model says what is missing).

Access checks are the callers' (services and pages): these functions read whatever ids
they are given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, case, column, func, literal, or_, select, table

from app.analytics import banks as bank_queries
from app.analytics.readiness import HALF_LIFE_DAYS, membership, readiness, sections_of
from app.domain.records import clause_sort_key
from app.extensions import db
from app.models import (
    Attempt,
    AttemptItem,
    QuestionVersion,
    Response,
    Scheme,
    TeamMembership,
    TeamTarget,
    TeamTargetMember,
    User,
)

READY_AT = 0.8
ON_TRACK_AT = 0.5
RISING = 0.1
TREND_WEEKS = 4
TREND_NODES = 8  # fewer quadrature points for past points: only their mean is shown
WEEKS = 8
STATUSES = ("ready", "on_track", "not_ready", "insufficient")
_EPOCH_JULIAN = 2440587.5  # julian day of 1970-01-01T00:00Z


def member_ids(team_id: int) -> Select:
    """A subquery of the user ids of a team's members (not its managers)."""
    return select(TeamMembership.user_id).where(
        TeamMembership.team_id == team_id, TeamMembership.role == "member"
    )


def members(team_id: int) -> pd.DataFrame:
    """learner_id, name, email of a team's members, by name."""
    stmt = (
        select(User.id, User.display_name, User.email)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == team_id, TeamMembership.role == "member")
        .order_by(User.display_name, User.id)
    )
    rows = sorted(db.session.execute(stmt).all(), key=lambda r: (_natural(r[1]), r[0]))
    return pd.DataFrame(rows, columns=["learner_id", "name", "email"])


def _natural(text: str) -> list:
    """A sort key that puts "Learner 2" before "Learner 10"."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


def _days_since_epoch(column: Any) -> Any:
    """A timestamp column as fractional days since 1970 (floats travel faster than dates)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return func.julianday(column) - _EPOCH_JULIAN
    # date_part, not extract: extract gives numeric, whose arithmetic is many times slower.
    return func.date_part("epoch", column) / 86400.0


def answer_frame(learners: Select | Sequence[int] | None = None) -> pd.DataFrame:
    """Final, graded answers of `learners` (all learners when None), as the model reads them.

    Columns: learner_id, item_id (question version id), clauses (2018 numbers), level,
    difficulty, type, score (fraction), max_score (1), answered_at (UTC), attempt_id, mode.
    """
    stmt = (
        select(
            Attempt.user_id,
            AttemptItem.version_id,
            Response.score,
            _days_since_epoch(Response.answered_at),
            Attempt.id,
            Attempt.mode,
        )
        .select_from(Response)
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Response.score.is_not(None),
            or_(Attempt.status != "open", AttemptItem.checked_at.is_not(None)),
        )
    )
    if learners is not None:
        stmt = stmt.where(Attempt.user_id.in_(learners))
    result = db.session.execute(stmt)
    columns = list(zip(*result, strict=True)) or [()] * 6
    learner, version, score, days, attempt, mode = columns
    version = np.asarray(version, dtype=np.int64)
    meta = _version_meta(np.unique(version).tolist())
    at = meta.index.get_indexer(version)
    when = pd.to_datetime(np.asarray(days, dtype=float) * 86400.0, unit="s", utc=True)
    return pd.DataFrame(
        {
            "learner_id": np.asarray(learner, dtype=np.int64),
            "item_id": version,
            "clauses": meta["clauses"].to_numpy()[at],
            "level": _take(meta["level"], at),
            "difficulty": meta["difficulty"].to_numpy()[at],
            "type": _take(meta["type"], at),
            "score": np.asarray(score, dtype=float),
            "max_score": 1.0,
            "answered_at": when,
            "attempt_id": np.asarray(attempt, dtype=np.int64),
            "mode": pd.Categorical(mode),
        }
    )


def _version_meta(version_ids: list[int]) -> pd.DataFrame:
    """Per question version: 2018 clauses, level (categorical), difficulty and type."""
    rows: list[tuple] = []
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


_META: dict[tuple, pd.DataFrame] = {}


def _all_version_meta() -> pd.DataFrame:
    """`_version_meta` of every question version, cached per process behind a fingerprint."""
    key = tuple(db.session.execute(select(func.count(), func.max(QuestionVersion.id))).one())
    if key not in _META:
        ids = list(db.session.scalars(select(QuestionVersion.id)))
        _META.clear()
        _META[key] = _version_meta(ids)
    return _META[key]


def _blueprint_of(item: Scheme | dict[str, Any]) -> dict[str, Any]:
    return item.blueprint if isinstance(item, Scheme) else item


def answer_classes(blueprints: Sequence[Scheme | dict[str, Any]]) -> pd.DataFrame:
    """Question versions grouped into classes the readiness model cannot tell apart.

    Two versions are in one class when they have the same difficulty and fall in the same
    sections of every blueprint (level, clauses and types decide that), so their answers
    can be summed in SQL. Versions in no section of any blueprint are left out. Columns:
    version_id, class_id, and per class a representative clauses, level, type, difficulty.
    """
    meta = _all_version_meta().reset_index().rename(columns={"id": "item_id"})
    meta["learner_id"] = 0
    inside = np.zeros(len(meta), dtype=bool)
    matrices = [np.zeros((len(meta), 0), dtype=bool)]
    for item in blueprints:
        blueprint = _blueprint_of(item)
        if not blueprint.get("sections"):
            continue
        levels = blueprint.get("levels") or [blueprint.get("level")]
        member = membership(meta, sections_of(blueprint))
        member &= meta["level"].isin(levels).to_numpy()[:, None]
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


@dataclass
class Answers:
    """Answers summed per learner, answer class and week of age (0 = the last 7 days).

    `rows`: learner_id, item_id (class), clauses, level, type, difficulty, week, weight
    (recency weights as of `now`), right, answers, answered_at (latest) — the aggregated
    input `readiness` accepts.
    """

    rows: pd.DataFrame
    now: datetime
    weeks: int = WEEKS  # buckets summed: weeks 0 … weeks − 1, then everything older

    def as_of(self, weeks_back: int = 0) -> pd.DataFrame:
        """The rows as they stood `weeks_back` weeks ago, weights as of that moment."""
        if weeks_back and weeks_back > self.weeks:
            raise ValueError(f"the answers were summed in {self.weeks} weekly buckets")
        part = self.rows[self.rows["week"] >= weeks_back]
        factor = 2.0 ** (7 * weeks_back / HALF_LIFE_DAYS)
        return part.assign(weight=part["weight"] * factor, right=part["right"] * factor)

    def moment(self, weeks_back: int) -> datetime:
        """The moment `weeks_back` weeks before now."""
        return self.now - timedelta(weeks=weeks_back)


_CLASS_TABLE = "cw_answer_class"


def grouped_answers(
    learners: Select | Sequence[int] | None,
    blueprints: Sequence[Scheme | dict[str, Any]],
    now: datetime,
    weeks: int = WEEKS,
) -> Answers:
    """Final graded answers summed in SQL per learner, answer class and week of age.

    The same answers as `answer_frame`, with the recency weights summed by the database,
    so millions of answers arrive as a few hundred thousand rows. Version classes travel
    in a session-private temporary table (scratch space, no stored data changes).
    """
    classes = answer_classes(blueprints)
    connection = db.session.connection()
    connection.exec_driver_sql(
        "CREATE TEMPORARY TABLE IF NOT EXISTS cw_answer_class "
        "(version_id INTEGER PRIMARY KEY, class_id INTEGER NOT NULL)"
    )
    klass = table(_CLASS_TABLE, column("version_id"), column("class_id"))
    connection.execute(klass.delete())
    pairs = zip(classes["version_id"].tolist(), classes["class_id"].tolist(), strict=True)
    values = [{"version_id": v, "class_id": c} for v, c in pairs]
    if values:
        connection.execute(klass.insert(), values)
    day = _days_since_epoch(Response.answered_at)
    now_day = pd.Timestamp(now).timestamp() / 86400.0
    # w = 0.5 ** (age / half-life), written so that each row's time is read once per use.
    # Unlike answer_frame, an answer stamped after `now` is not clipped to weight 1 (the
    # server stamps answers, so none is later than a request that reads them).
    weight = func.exp(math.log(2) / HALF_LIFE_DAYS * (day - now_day))
    # weeks=0: one bucket (today's state only), which spares the database a grouping level.
    age = now_day - day
    week = case((age >= 7 * weeks, weeks), else_=func.floor(age / 7)) if weeks else literal(0)
    stmt = (
        select(
            Attempt.user_id,
            klass.c.class_id,
            week,
            func.count(),
            func.sum(weight),
            func.sum(weight * Response.score),
            func.max(day),
        )
        .select_from(Response)
        .join(AttemptItem, AttemptItem.id == Response.item_id)
        .join(klass, klass.c.version_id == AttemptItem.version_id)
        .join(Attempt, Attempt.id == AttemptItem.attempt_id)
        .where(
            Response.score.is_not(None),
            or_(Attempt.status != "open", AttemptItem.checked_at.is_not(None)),
        )
        .group_by(Attempt.user_id, klass.c.class_id, *([week] if weeks else []))
    )
    if learners is not None:
        stmt = stmt.where(Attempt.user_id.in_(learners))
    found = pd.DataFrame(
        db.session.execute(stmt).all(),
        columns=["learner_id", "item_id", "week", "answers", "weight", "right", "day"],
    )
    per_class = classes.drop_duplicates("class_id").set_index("class_id")
    at = per_class.index.get_indexer(found["item_id"])
    rows = found.assign(
        week=found["week"].astype(float).astype(int),
        answers=found["answers"].astype(int),
        weight=found["weight"].astype(float),
        right=found["right"].astype(float),
        clauses=per_class["clauses"].to_numpy()[at],
        level=per_class["level"].to_numpy()[at],
        type=per_class["type"].to_numpy()[at],
        difficulty=per_class["difficulty"].to_numpy()[at],
        answered_at=pd.to_datetime(found["day"].astype(float) * 86400.0, unit="s", utc=True),
    ).drop(columns=["day"])
    return Answers(rows, now, weeks)


def classify(p_pass: pd.Series, change: pd.Series) -> pd.Series:
    """Status per learner from the pass probability and its four-week change."""
    status = np.select(
        [
            p_pass.isna(),
            p_pass >= READY_AT,
            (p_pass >= ON_TRACK_AT) | (change >= RISING),
        ],
        ["insufficient", "ready", "on_track"],
        "not_ready",
    )
    return pd.Series(status, index=p_pass.index)


def trend_arrow(change: float) -> str:
    """`up`, `down` or `flat` for a change in pass probability (`new` with no earlier value)."""
    if change != change:  # NaN
        return "new"
    return "up" if change >= 0.05 else "down" if change <= -0.05 else "flat"


def scheme_table(
    people: pd.DataFrame,
    answers: Answers,
    scheme: Scheme,
    activity: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per person in `people`: readiness for `scheme` now and four weeks ago.

    Columns: learner_id, name, email, status, p_pass, p_low, p_high, change, trend,
    answers, last_answered, missing, mastery_<section>..., and attempts/last_activity
    when `activity` is given. People without answers are `insufficient`.
    """
    blueprint = scheme.blueprint
    current = readiness(answers.as_of(0), blueprint, answers.now).set_index("learner_id")
    earlier = readiness(
        answers.as_of(TREND_WEEKS), blueprint, answers.moment(TREND_WEEKS), nodes=TREND_NODES
    )
    earlier = earlier.set_index("learner_id")["p_pass"]
    table = people.set_index("learner_id").join(current, how="left")
    table["change"] = table["p_pass"] - earlier.reindex(table.index)
    table["status"] = classify(table["p_pass"], table["change"])
    table["trend"] = [trend_arrow(c) for c in table["change"]]
    table["answers"] = table["answers"].fillna(0).astype(int)
    table["missing"] = table["missing"].astype(object).fillna("No answers yet")
    if activity is not None:
        table = table.join(activity, how="left")
        table["attempts"] = table["attempts"].fillna(0).astype(int)
    mastery = [f"mastery_{s.id}" for s in sections_of(blueprint)]
    figures = ["p_pass", "p_low", "p_high", "change", *mastery]
    table[figures] = table[figures].astype(float).round(4)
    columns = ["name", "email", "status", "p_pass", "p_low", "p_high", "change", "trend"]
    columns += ["answers", "last_answered", "missing"]
    columns += ["attempts", "last_activity"] if activity is not None else []
    return table[columns + mastery].reset_index()


def activity(learners: Select | Sequence[int]) -> pd.DataFrame:
    """Per learner: closed attempts and the latest start or submission (indexed by id)."""
    latest = func.max(func.coalesce(Attempt.submitted_at, Attempt.started_at))
    closed = func.sum(func.cast(Attempt.status != "open", db.Integer))
    stmt = (
        select(Attempt.user_id, closed, latest)
        .where(Attempt.user_id.in_(learners))
        .group_by(Attempt.user_id)
    )
    rows = db.session.execute(stmt).all()
    frame = pd.DataFrame(rows, columns=["learner_id", "attempts", "last_activity"])
    frame["attempts"] = frame["attempts"].fillna(0).astype(int)
    frame["last_activity"] = pd.to_datetime(frame["last_activity"], utc=True)
    return frame.set_index("learner_id")


@dataclass(frozen=True)
class TargetProgress:
    """Where a team stands against one target."""

    target_id: int
    scheme_code: str
    scheme_title: str
    due_on: Any
    note: str
    named: list[str]
    share: float
    in_scope: int
    needed: int
    counts: dict[str, int]

    @property
    def met(self) -> bool:
        """Enough people are ready now."""
        return self.in_scope > 0 and self.counts["ready"] >= self.needed

    @property
    def on_course(self) -> bool:
        """Ready plus on-track people would meet the target."""
        return self.counts["ready"] + self.counts["on_track"] >= self.needed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "target_id": self.target_id,
            "scheme": self.scheme_code,
            "scheme_title": self.scheme_title,
            "due_on": self.due_on.isoformat(),
            "note": self.note,
            "named_members": self.named,
            "required_share": self.share,
            "members_in_scope": self.in_scope,
            "ready_needed": self.needed,
            "counts": self.counts,
            "met": self.met,
            "on_course": self.on_course,
        }


def target_progress(team_id: int, tables: dict[str, pd.DataFrame]) -> list[TargetProgress]:
    """Each target of the team against its scheme's member table (from `scheme_table`)."""
    stmt = (
        select(TeamTarget, Scheme.code, Scheme.title)
        .join(Scheme, Scheme.id == TeamTarget.scheme_id)
        .where(TeamTarget.team_id == team_id)
        .order_by(TeamTarget.due_on, TeamTarget.id)
    )
    found = db.session.execute(stmt).all()
    named: dict[int, list[int]] = {}
    picks = select(TeamTargetMember.target_id, TeamTargetMember.user_id).where(
        TeamTargetMember.target_id.in_([t.id for t, *_rest in found])
    )
    for target_id, user_id in db.session.execute(picks):
        named.setdefault(target_id, []).append(user_id)
    progress = []
    for target, code, title in found:
        table = tables[code]
        chosen = named.get(target.id)
        scope = table[table["learner_id"].isin(chosen)] if chosen else table
        counts = {s: int((scope["status"] == s).sum()) for s in STATUSES}
        needed = len(scope) if chosen else int(np.ceil(target.required_share * len(scope) - 1e-9))
        progress.append(
            TargetProgress(
                target.id,
                code,
                title,
                target.due_on,
                target.note,
                scope["name"].tolist() if chosen else [],
                target.required_share,
                len(scope),
                needed,
                counts,
            )
        )
    return progress


def target_schemes(team_id: int) -> list[Scheme]:
    """The schemes the team's targets name, by level order."""
    wanted = select(TeamTarget.scheme_id).where(TeamTarget.team_id == team_id)
    found = db.session.scalars(select(Scheme).where(Scheme.id.in_(wanted))).all()
    return sorted(found, key=_level_order)


def _level_order(scheme: Scheme) -> tuple[int, str]:
    return ({"foundation": 0, "practitioner": 1, "auditor": 2}.get(scheme.level, 9), scheme.title)


def levels_of(scheme: Scheme) -> list[str]:
    """The question levels a scheme's exam draws from."""
    blueprint = scheme.blueprint
    return list(blueprint.get("levels") or [blueprint.get("level") or scheme.level])


def heatmap_clauses(scheme: Scheme) -> list[str]:
    """Clauses for the heatmap: second-level clauses of the blueprint with published items.

    A top-level clause without sub-clauses carrying items (clause 1, say) stands for itself.
    """
    tops = {p.split(".")[0] for s in sections_of(scheme.blueprint) for p in s.prefixes}
    levels = set(levels_of(scheme))
    found: set[str] = set()
    for item in bank_queries.published_pool()[0]:
        if item.level not in levels:
            continue
        for clause in item.clauses:
            parts = clause.split(".")
            if parts[0] in tops:
                found.add(".".join(parts[:2]))
    return sorted(found, key=clause_sort_key)


def heatmap_blueprint(scheme: Scheme, clauses: Sequence[str]) -> dict[str, Any]:
    """A blueprint with one one-item section per clause, at the scheme's levels."""
    return {
        "levels": levels_of(scheme),
        "pass_mark": 0.5,
        "sections": [{"id": c, "title": c, "clauses": [c], "items": 1} for c in clauses],
    }


def clause_mastery(answers: Answers, scheme: Scheme, clauses: Sequence[str]) -> pd.DataFrame:
    """Long table learner_id, clause, mastery, evidence: the model's section estimate per clause.

    Each clause is taken as a one-item section, so mastery is the same recency-weighted,
    difficulty-shifted Beta posterior mean as in the forecast; evidence is the effective
    number of answers behind it.
    """
    if not clauses:
        return pd.DataFrame(columns=["learner_id", "clause", "mastery", "evidence"])
    table = readiness(answers.as_of(0), heatmap_blueprint(scheme, clauses), answers.now, nodes=0)
    parts = []
    for clause in clauses:
        part = table[["learner_id", f"mastery_{clause}", f"evidence_{clause}"]].copy()
        part.columns = ["learner_id", "mastery", "evidence"]
        part.insert(1, "clause", clause)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def weakest_clauses(mastery: pd.DataFrame, titles: dict[str, str], limit: int = 5) -> pd.DataFrame:
    """Clauses by the team's mean mastery, lowest first, over learners with evidence.

    Columns: clause, title, mean_mastery, learners (with evidence), below_60 (learners
    whose mastery is under 60%).
    """
    seen = mastery[mastery["evidence"] >= 1.0]
    if seen.empty:
        return pd.DataFrame(columns=["clause", "title", "mean_mastery", "learners", "below_60"])
    grouped = seen.groupby("clause")["mastery"]
    table = pd.DataFrame(
        {
            "mean_mastery": grouped.mean(),
            "learners": grouped.size(),
            "below_60": grouped.apply(lambda m: int((m < 0.6).sum())),
        }
    ).reset_index()
    table.insert(1, "title", table["clause"].map(titles).fillna(""))
    return table.sort_values(["mean_mastery", "clause"]).head(limit).reset_index(drop=True)


def week_ends(now: datetime, weeks: int = WEEKS) -> list[datetime]:
    """The last `weeks` week ends (now included), oldest first, a week apart."""
    return [now - timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]


def weekly_trend(answers: Answers, scheme: Scheme, weeks: int = WEEKS) -> pd.DataFrame:
    """Pass probability per learner at each of the last `weeks` week ends.

    Long table: week_end, learner_id, p_pass (NaN while evidence is insufficient).
    """
    parts = []
    for back in range(weeks - 1, -1, -1):
        moment = answers.moment(back)
        table = readiness(answers.as_of(back), scheme.blueprint, moment, nodes=TREND_NODES)
        part = table[["learner_id", "p_pass"]].copy()
        part.insert(0, "week_end", pd.Timestamp(moment).tz_convert("UTC"))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def team_trend(trend: pd.DataFrame, learner_ids: Iterable[int]) -> pd.DataFrame:
    """Per week end: members, members with a forecast, mean pass probability, members ready."""
    ids = list(learner_ids)
    mine = trend[trend["learner_id"].isin(ids)]
    grouped = mine.groupby("week_end")["p_pass"]
    return pd.DataFrame(
        {
            "members": len(ids),
            "with_forecast": grouped.count(),
            "mean_p_pass": grouped.mean(),
            "ready": grouped.apply(lambda p: int((p >= READY_AT).sum())),
        }
    ).reset_index()


@dataclass
class TeamReport:
    """Everything the team dashboard shows, for one chosen scheme and the targets' schemes."""

    scheme: Scheme
    people: pd.DataFrame
    tables: dict[str, pd.DataFrame]  # scheme code → member table
    targets: list[TargetProgress]
    clauses: list[str]
    mastery: pd.DataFrame  # learner_id, clause, mastery, evidence
    weakest: pd.DataFrame
    trend: pd.DataFrame  # week_end, learner_id, p_pass
    team_trend: pd.DataFrame

    @property
    def table(self) -> pd.DataFrame:
        """The member table of the chosen scheme."""
        return self.tables[self.scheme.code]


def team_report(team_id: int, scheme: Scheme, now: datetime) -> TeamReport:
    """Readiness of a team's members for `scheme` and for every scheme its targets name."""
    people = members(team_id)
    ids = member_ids(team_id)
    done = activity(ids)
    schemes = {s.code: s for s in target_schemes(team_id)}
    schemes[scheme.code] = scheme
    clauses = heatmap_clauses(scheme)
    blueprints = [*schemes.values(), heatmap_blueprint(scheme, clauses)]
    answers = grouped_answers(ids, blueprints, now)
    tables = {code: scheme_table(people, answers, s, done) for code, s in schemes.items()}
    mastery = clause_mastery(answers, scheme, clauses)
    titles = bank_queries.clause_titles("2018")
    trend = weekly_trend(answers, scheme)
    return TeamReport(
        scheme=scheme,
        people=people,
        tables=tables,
        targets=target_progress(team_id, tables),
        clauses=clauses,
        mastery=mastery,
        weakest=weakest_clauses(mastery, titles),
        trend=trend,
        team_trend=team_trend(trend, people["learner_id"]),
    )

"""Team readiness: the readiness model fed with a team's answers (`app.analytics.answers`).

This module turns model output into what managers see and export: member tables with a
status and a four-week trend, target progress, the learner × clause mastery heatmap, the
weakest clauses and weekly trends.

Statuses, per member and scheme:
- `ready`: pass probability at least READY_AT (0.8);
- `on_track`: at least ON_TRACK_AT (0.5), or risen by RISING (0.1) over four weeks;
- `not_ready`: the rest with a forecast;
- `insufficient`: not enough evidence for a forecast (the model says what is missing).

Access checks are the callers' (services and pages): these functions read whatever ids
they are given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Select, func, select

from app.analytics import kept_results
from app.analytics.answers import WEEKS, Answers, day_end, grouped_answers, week_moment
from app.analytics.calibration import calibrations, summing
from app.analytics.kept_results import TREND_NODES  # fewer nodes: only past means are shown
from app.analytics.overview import level_order
from app.analytics.readiness import Calibration, readiness, sections_of
from app.domain.blueprint import Blueprint, BlueprintSection
from app.domain.messages import Message
from app.domain.records import clause_sort_key
from app.domain.wording import wording
from app.extensions import db
from app.models import (
    Attempt,
    AttemptStatus,
    Scheme,
    TeamMembership,
    TeamTarget,
    TeamTargetMember,
    User,
)
from app.queries import banks as bank_queries

READY_AT = 0.8
ON_TRACK_AT = 0.5
RISING = 0.1
TREND_WEEKS = 4
STATUSES = ("ready", "on_track", "not_ready", "insufficient")
_NO_ANSWERS = (Message("readiness.no_answers"),)  # the `missing` of people with no answers


def member_ids(team_id: int) -> Select[*tuple[Any, ...]]:
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


def _natural(text: str) -> list[Any]:
    """A sort key that puts "Learner 2" before "Learner 10"."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


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


def calibrated(scheme: Scheme, answers: Answers, *, sections: bool = True) -> dict[str, Any]:
    """`readiness` settings from the platform's calibration for `scheme`
    (`app.analytics.calibration`): its population (None when it has too few learners to
    learn one) and trend, and the half-life `answers` were summed with. `sections=False`
    drops the population's section offsets, for a blueprint of other sections (the
    heatmap's clauses)."""
    found = calibrations(answers.now).get(scheme.code) or Calibration()
    population = found.population
    if population is not None and not sections:
        population = replace(population, offsets=None)
    return {
        "population": population,
        "trend_per_day": found.trend_per_day,
        "half_life_days": answers.half_life_days,
        "exam_shifts": found.exam_shifts if sections else None,
    }


def forecast_now(answers: Answers, scheme: Scheme) -> pd.DataFrame:
    """`readiness` for `scheme` of everyone in `answers`, as of `answers.now`, with the
    platform's calibration (one row per learner with answers)."""
    return readiness(
        answers.as_of(0), scheme.exam_blueprint, answers.now, **calibrated(scheme, answers)
    )


def forecast_with_trend(answers: Answers, scheme: Scheme) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`forecast_now` and the `weekly_trend` that ends with it, for everyone in `answers`."""
    current = forecast_now(answers, scheme)
    return current, weekly_trend(answers, scheme, current=current)


@dataclass
class Forecasts:
    """One scheme's readiness for a set of learners, kept or computed: now (`forecast_now`'s
    frame, sorted by learner id) and the weekly trend (`weekly_trend`'s)."""

    current: pd.DataFrame
    trend: pd.DataFrame
    now: datetime  # the moment "now" is taken at (`day_end`)
    kept: int  # learners whose results were read, not computed

    def moment(self, weeks_back: int) -> datetime:
        """The moment of the trend point `weeks_back` (`week_moment`)."""
        return week_moment(self.now, weeks_back)


def scheme_forecasts(
    learners: Sequence[int],
    schemes: Sequence[Scheme],
    now: datetime,
    answers: Answers | None = None,
    *,
    details: bool = True,
) -> dict[str, Forecasts]:
    """Scheme code → readiness of `learners` now and over the trend's weeks: the kept
    results where they still hold (`kept_results`), the model on their summed answers for
    everyone else (`answers` when the caller has them, else summed here). `details=False`:
    kept rows leave out section mastery, evidence and what is missing (`kept_results.read`)."""
    ids = sorted(set(learners))
    found = kept_results.read(ids, schemes, now, details=details)
    held = [found[s.id].learners if s.id in found else set() for s in schemes]
    everywhere = set.intersection(*held) if held else set()
    rest = [i for i in ids if i not in everywhere]
    computed: dict[str, tuple[pd.DataFrame, pd.DataFrame]] = {}
    if rest or not found:
        if answers is None:
            answers = grouped_answers(rest, schemes, now, **summing(now))
        part = answers.only(rest)
        computed = {scheme.code: forecast_with_trend(part, scheme) for scheme in schemes}
    out = {}
    for scheme in schemes:
        kept = found.get(scheme.id)
        have = kept.learners if kept is not None else set()
        currents = [kept.current] if kept is not None else []
        trends = [kept.trend] if kept is not None else []
        if scheme.code in computed:
            current, trend = computed[scheme.code]
            currents.append(current[~current["learner_id"].isin(have)])
            trends.append(trend[~trend["learner_id"].isin(have)])
        out[scheme.code] = Forecasts(
            _joined(currents, ["learner_id"]),
            _joined(trends, ["week_end", "learner_id"]),
            day_end(now),
            len(have),
        )
    return out


def _joined(frames: list[pd.DataFrame], order: list[str]) -> pd.DataFrame:
    full = [f for f in frames if len(f)] or frames[:1]
    joined = full[0] if len(full) == 1 else pd.concat(full, ignore_index=True)
    return joined.sort_values(order, kind="stable").reset_index(drop=True)


def scheme_table(
    people: pd.DataFrame,
    answers: Answers | None,
    scheme: Scheme,
    activity: pd.DataFrame | None = None,
    *,
    current: pd.DataFrame | None = None,
    trend: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per person in `people`: readiness for `scheme` now and four weeks ago.

    Columns: learner_id, name, email, status, p_pass, p_low, p_high, change, trend,
    answers, last_answered, missing, mastery_<section>..., and attempts/last_activity
    when `activity` is given. People without answers are `insufficient`. A caller that
    already ran the model passes its results instead of running it again: `current`
    (`forecast_now`) and `trend` (`weekly_trend`, which holds the week four weeks ago).
    """
    if current is None:
        assert answers is not None, "scheme_table needs the answers or the model's results"
        current = forecast_now(answers, scheme)
    current = current.set_index("learner_id")
    earlier = _four_weeks_ago(answers, scheme, trend)
    table = people.set_index("learner_id").join(current, how="left")
    table["change"] = table["p_pass"] - earlier.reindex(table.index)
    table["status"] = classify(table["p_pass"], table["change"])
    table["trend"] = [trend_arrow(c) for c in table["change"]]
    table["answers"] = table["answers"].fillna(0).astype(int)
    table["missing"] = [m if isinstance(m, tuple) else _NO_ANSWERS for m in table["missing"]]
    if activity is not None:
        table = table.join(activity, how="left")
        table["attempts"] = table["attempts"].fillna(0).astype(int)
    mastery = [f"mastery_{s.id}" for s in sections_of(scheme.exam_blueprint)]
    figures = ["p_pass", "p_low", "p_high", "change", *mastery]
    table[figures] = table[figures].astype(float).round(4)
    columns = ["name", "email", "status", "p_pass", "p_low", "p_high", "change", "trend"]
    columns += ["answers", "last_answered", "missing"]
    columns += ["attempts", "last_activity"] if activity is not None else []
    return table[columns + mastery].reset_index()


def _four_weeks_ago(
    answers: Answers | None, scheme: Scheme, trend: pd.DataFrame | None
) -> pd.Series:
    """p_pass per learner id TREND_WEEKS weeks ago: from `trend` when given, else the model."""
    if trend is not None:
        if trend.empty:
            return pd.Series(dtype=float)
        moment = pd.Timestamp(week_moment(trend["week_end"].max(), TREND_WEEKS))
        then = trend[trend["week_end"] == moment.tz_convert("UTC")]
        return then.set_index("learner_id")["p_pass"]
    assert answers is not None, "scheme_table needs the answers or the model's trend"
    earlier = readiness(
        answers.as_of(TREND_WEEKS),
        scheme.exam_blueprint,
        answers.moment(TREND_WEEKS),
        nodes=TREND_NODES,
        **calibrated(scheme, answers),
    )
    return earlier.set_index("learner_id")["p_pass"]


def activity(learners: Select[*tuple[Any, ...]] | Sequence[int]) -> pd.DataFrame:
    """Per learner: closed attempts and the latest start or submission (indexed by id)."""
    latest = func.max(func.coalesce(Attempt.submitted_at, Attempt.started_at))
    closed = func.sum(func.cast(Attempt.status.in_(AttemptStatus.closed()), db.Integer))
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
    scheme_title: str  # a Wording: shown in the reader's language
    due_at: datetime
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
            "due_at": self.due_at.isoformat(),
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
        select(TeamTarget, Scheme.code, Scheme.title, Scheme.translations)
        .join(Scheme, Scheme.id == TeamTarget.scheme_id)
        .where(TeamTarget.team_id == team_id)
        .order_by(TeamTarget.due_at, TeamTarget.id)
    )
    found = db.session.execute(stmt).all()
    named: dict[int, list[int]] = {}
    picks = select(TeamTargetMember.target_id, TeamTargetMember.user_id).where(
        TeamTargetMember.target_id.in_([t.id for t, *_rest in found])
    )
    for target_id, user_id in db.session.execute(picks):
        named.setdefault(target_id, []).append(user_id)
    progress = []
    for target, code, title, translations in found:
        table = tables[code]
        chosen = named.get(target.id)
        scope = table[table["learner_id"].isin(chosen)] if chosen else table
        counts = {s: int((scope["status"] == s).sum()) for s in STATUSES}
        needed = len(scope) if chosen else int(np.ceil(target.required_share * len(scope) - 1e-9))
        progress.append(
            TargetProgress(
                target.id,
                code,
                wording(title, translations),
                target.due_at,
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
    return sorted(found, key=level_order)


def levels_of(scheme: Scheme) -> list[str]:
    """The question levels a scheme's exam draws from."""
    return scheme.practice_levels


def heatmap_clauses(scheme: Scheme) -> list[str]:
    """Clauses for the heatmap: second-level clauses of the blueprint with published items.

    A top-level clause without sub-clauses carrying items (clause 1, say) stands for itself.
    """
    tops = {p.split(".")[0] for s in sections_of(scheme.exam_blueprint) for p in s.prefixes}
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


def heatmap_blueprint(scheme: Scheme, clauses: Sequence[str]) -> Blueprint:
    """A blueprint with one one-item section per clause, at the scheme's levels."""
    return Blueprint(
        sections=tuple(BlueprintSection(id=c, title=c, clauses=(c,), items=1) for c in clauses),
        levels=tuple(levels_of(scheme)),
        pass_mark=0.5,
    )


def clause_mastery(
    answers: Answers, scheme: Scheme, clauses: Sequence[str], weeks_back: int = 0
) -> pd.DataFrame:
    """Long table learner_id, clause, mastery, evidence: the model's section estimate per clause.

    Each clause is taken as a one-item section, so mastery is the same recency-weighted,
    difficulty-shifted Beta posterior mean as in the forecast; evidence is the effective
    number of answers behind it. With `weeks_back`, as it stood at the trend's moment that
    many weeks back (`Answers.moment`), from the answers given by then.
    """
    if not clauses:
        return pd.DataFrame(columns=["learner_id", "clause", "mastery", "evidence"])
    table = readiness(
        answers.as_of(weeks_back),
        heatmap_blueprint(scheme, clauses),
        answers.moment(weeks_back),
        nodes=0,
        **calibrated(scheme, answers, sections=False),
    )
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
    """The trend's `weeks` moments, oldest first: the ends of the last weeks − 1 calendar
    weeks (Monday 00:00 UTC, `answers.week_moment`), then now."""
    return [week_moment(now, k) for k in range(weeks - 1, -1, -1)]


def weekly_trend(
    answers: Answers, scheme: Scheme, weeks: int = WEEKS, current: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Pass probability per learner at each of the last `weeks` week ends.

    Long table: week_end, learner_id, p_pass (NaN while evidence is insufficient). With
    `current` (`forecast_now`), the last week end is taken from it instead of the model.
    """
    parts = []
    settings = calibrated(scheme, answers)
    for back in range(weeks - 1, -1, -1):
        moment = answers.moment(back)
        if back == 0 and current is not None:
            table = current
        else:
            table = readiness(
                answers.as_of(back), scheme.exam_blueprint, moment, nodes=TREND_NODES, **settings
            )
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


def member_tables(
    team_id: int, schemes: Sequence[Scheme], now: datetime, *extra: Blueprint
) -> tuple[pd.DataFrame, Answers | None, dict[str, pd.DataFrame], dict[str, Forecasts]]:
    """A team's members, their summed answers, a member table per scheme and the
    forecasts it was made from (`scheme_forecasts`).

    The answers are summed only for `extra` blueprints (a heatmap's, say), for every
    scheme in the same query; else None (kept results and the model need none).
    """
    people = members(team_id)
    ids = people["learner_id"].tolist()
    done = activity(ids)
    answers = grouped_answers(ids, [*schemes, *extra], now, **summing(now)) if extra else None
    forecasts = scheme_forecasts(ids, schemes, now, answers)
    tables = {
        s.code: scheme_table(
            people,
            answers,
            s,
            done,
            current=forecasts[s.code].current,
            trend=forecasts[s.code].trend,
        )
        for s in schemes
    }
    return people, answers, tables, forecasts


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
    drill_supply: dict[str, int]  # clause → published items a drill on it can draw

    @property
    def table(self) -> pd.DataFrame:
        """The member table of the chosen scheme."""
        return self.tables[self.scheme.code]


def team_report(team_id: int, scheme: Scheme, now: datetime) -> TeamReport:
    """Readiness of a team's members for `scheme` and for every scheme its targets name."""
    schemes = {s.code: s for s in target_schemes(team_id)} | {scheme.code: scheme}
    clauses = heatmap_clauses(scheme)
    people, answers, tables, forecasts = member_tables(
        team_id, list(schemes.values()), now, heatmap_blueprint(scheme, clauses)
    )
    assert answers is not None  # summed for the heatmap
    mastery = clause_mastery(answers, scheme, clauses)
    titles = bank_queries.clause_titles("2018")
    trend = forecasts[scheme.code].trend
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
        drill_supply=bank_queries.drill_supply(clauses, levels_of(scheme)),
    )

"""Keep every learner's readiness results (`app.analytics.kept_results`) current.

`refresh` runs the model for the learners whose kept results no longer hold (their
answers changed, a new day began, the basis was rebuilt, a blueprint changed) and writes
their rows, a chunk of learners per transaction. `flask readiness rebuild` ends with
one; in production a cron runs `flask readiness refresh` every few minutes (README), so
pages read rows and run the model only for the few learners who answered since.

Each chunk reads the learners' revisions before their sums (READ COMMITTED: the sums are
then at least as new as the revision a row records; a row that is older than its
learner's answers is never taken as current), and upserts their rows in one transaction.
Pages never write here: they compute what is stale on the fly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.analytics import kept_results
from app.analytics.answers import grouped_answers
from app.analytics.calibration import summing
from app.analytics.team_readiness import forecast_with_trend
from app.errors import PermissionDenied
from app.extensions import db
from app.models import Actor, ReadinessResult, ReadinessSum, Role, Scheme
from app.models.base import upsert_insert, utcnow

CHUNK = 1_000  # learners per transaction


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: learners looked at, learners recomputed, rows written, and the
    schemes whose results can be kept (none without a basis, or while no scheme's
    calibration has a population)."""

    learners: int
    recomputed: int
    rows: int
    schemes: int = 0


def refresh(actor: Actor, now: datetime | None = None) -> Refreshed:
    """Recompute the kept results that no longer hold (module docstring; commits)."""
    if not actor.has_any_role(Role.ADMIN):
        raise PermissionDenied(_("Only an administrator refreshes the kept readiness."))
    now = now or utcnow()
    schemes = [s for s in db.session.scalars(select(Scheme)) if s.exam_blueprint.sections]
    wanted = kept_results.keys(schemes, now)
    if wanted is None or not wanted.keys:
        db.session.rollback()
        return Refreshed(0, 0, 0)
    kept = [s for s in schemes if s.id in wanted.keys]
    # Learners with answers that count (rows whose answers were all withdrawn sum to 0,
    # and the model gives them no result to keep).
    counted = (
        select(ReadinessSum.learner_id)
        .group_by(ReadinessSum.learner_id)
        .having(func.sum(ReadinessSum.answers) > 0)
    )
    learners = sorted(db.session.scalars(counted))
    stale = _stale(learners, wanted)
    db.session.rollback()  # end the read: each chunk is a transaction of its own
    rows = 0
    for start in range(0, len(stale), CHUNK):
        rows += _recompute(stale[start : start + CHUNK], kept, now)
    return Refreshed(len(learners), len(stale), rows, len(kept))


def _stale(learners: list[int], wanted: kept_results.Keys) -> list[int]:
    """The learners lacking a current row for some kept scheme."""
    revisions = kept_results.revisions(None)
    held = db.session.execute(
        select(
            ReadinessResult.learner_id,
            ReadinessResult.scheme_id,
            ReadinessResult.key,
            ReadinessResult.day,
            ReadinessResult.revision,
        )
    ).all()
    current: dict[int, int] = {}
    for learner, scheme, key, day, revision in held:
        if (
            wanted.keys.get(scheme) == key
            and day == wanted.day
            and revision == revisions.get(learner, 0)
        ):
            current[learner] = current.get(learner, 0) + 1
    return [i for i in learners if current.get(i, 0) < len(wanted.keys)]


def _recompute(learners: list[int], schemes: list[Scheme], now: datetime) -> int:
    """Run the model for `learners` and replace their rows (one transaction)."""
    wanted = kept_results.keys(schemes, now)
    if wanted is None:
        db.session.rollback()
        return 0
    revisions = kept_results.revisions(learners)  # before the sums (module docstring)
    answers = grouped_answers(learners, schemes, now, **summing(now))
    rows = []
    for scheme in schemes:
        if scheme.id not in wanted.keys:
            continue
        current, trend = forecast_with_trend(answers, scheme)
        for row in kept_results.encode(scheme, current, trend, now):
            row.update(
                key=wanted.keys[scheme.id],
                day=wanted.day,
                revision=revisions.get(row["learner_id"], 0),
            )
            rows.append(row)
    if rows:
        # An upsert, not delete-and-insert: two refreshes at once (a cron run that overlaps
        # the last) both succeed, the later rows winning.
        stmt = upsert_insert(db.session.get_bind().dialect.name)(ReadinessResult)
        kept = {name: stmt.excluded[name] for name in rows[0] if name not in _KEY}
        db.session.execute(stmt.on_conflict_do_update(index_elements=_KEY, set_=kept), rows)
    db.session.commit()
    return len(rows)


_KEY = ["learner_id", "scheme_id"]

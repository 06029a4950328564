"""question versions keep the source hash of their translatable texts

A translation is current for a version when its `source_hash` equals the hash of the
version's translatable texts (app.domain.translation.source_hash of its record). Stored
with the version, it lets one grouped query count only current translations (the start
form's share of items per language, the check of an exam language) instead of every
translation stored, stale ones too.

Existing versions are hashed here, a batch at a time: each version's columns, `body` and
option rows are read with plain SQL and rebuilt into the record the app reads
(app.queries.banks.record_of, copied below so that later changes to it cannot break this
migration), then hashed by the domain function translations are made against. Then the
column becomes NOT NULL (SQLite rebuilds the table).

Revision ID: 032672ded9be
Revises: 1f660669c476
Create Date: 2026-12-08 10:00:00.000000

"""

import warnings
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from alembic import op

from app.domain import translation
from app.domain.records import (
    HintRecord,
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    StepRecord,
)

# revision identifiers, used by Alembic.
revision = "032672ded9be"
down_revision = "1f660669c476"
branch_labels = None
depends_on = None

_BATCH = 1000

_versions = sa.table(
    "question_versions",
    sa.column("id", sa.Integer),
    sa.column("type", sa.String),
    sa.column("level", sa.String),
    sa.column("title", sa.String),
    sa.column("stem", sa.Text),
    sa.column("explanation", sa.Text),
    sa.column("body", sa.JSON),
    sa.column("source_hash", sa.String),
)
_options = sa.table(
    "question_options",
    sa.column("version_id", sa.Integer),
    sa.column("key", sa.String),
    sa.column("position", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("correct", sa.Boolean),
    sa.column("feedback", sa.Text),
)


def _record(row: Any, options: list[OptionRecord]) -> QuestionRecord:
    """The record a version stores, as far as its translatable texts go (its key,
    clauses and case text are not hashed)."""
    body = row.body or {}
    return QuestionRecord(
        id="",
        type=row.type,
        stem=row.stem,
        level=row.level,
        title=row.title or "",
        explanation=row.explanation or "",
        options=options,
        answer=body.get("answer"),
        feedback_true=body.get("feedback_true", ""),
        feedback_false=body.get("feedback_false", ""),
        pairs=[PairRecord(**p) for p in body.get("pairs", [])],
        extra_matches=list(body.get("extra_matches", [])),
        steps=[StepRecord(**s) for s in body.get("steps", [])],
        answers=list(body.get("answers", [])),
        rubric=[RubricCriterion(**r) for r in body.get("rubric", [])],
        model_answer=body.get("model_answer", ""),
        data=dict(body.get("data") or {}),
        correct_feedback=body.get("correct_feedback", ""),
        partial_feedback=body.get("partial_feedback", ""),
        incorrect_feedback=body.get("incorrect_feedback", ""),
        hints=[HintRecord(**h) for h in body.get("hints", [])],
    )


def _backfill(connection: sa.Connection) -> None:
    """Hash every version's texts, `_BATCH` versions at a time (by id)."""
    columns = [c for c in _versions.c if c.name != "source_hash"]
    write = (
        _versions.update()
        .where(_versions.c.id == sa.bindparam("vid"))
        .values(source_hash=sa.bindparam("made"))
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(*columns).where(_versions.c.id > last).order_by(_versions.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        ids = [row.id for row in rows]
        options: dict[int, list[OptionRecord]] = defaultdict(list)
        for o in connection.execute(
            sa.select(_options)
            .where(_options.c.version_id.in_(ids))
            .order_by(_options.c.version_id, _options.c.position)
        ):
            options[o.version_id].append(
                OptionRecord(o.key, o.text, bool(o.correct), o.feedback or "")
            )
        hashes = [
            {"vid": row.id, "made": translation.source_hash(_record(row, options[row.id]))}
            for row in rows
        ]
        connection.execute(write, hashes)
        last = ids[-1]


@contextmanager
def _rebuilding_on_sqlite() -> Iterator[None]:
    """Room for SQLite to rebuild question_versions (copy, drop, rename back).

    The search index's triggers on `questions` and `question_translations` read
    question_versions; SQLite's rename checks every trigger and refuses while the table
    they name is gone. In the legacy mode the rename leaves other tables' triggers alone,
    and they work again once the rebuilt table has its name back. Reflecting the foreign
    keys' targets warns that the expression index on users cannot be reflected (it is not
    touched)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("PRAGMA legacy_alter_table = ON")
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            yield
    finally:
        if sqlite:
            op.execute("PRAGMA legacy_alter_table = OFF")


def upgrade():
    with op.batch_alter_table("question_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_hash", sa.String(length=64), nullable=True))
    _backfill(op.get_bind())
    with _rebuilding_on_sqlite(), op.batch_alter_table("question_versions") as batch_op:
        batch_op.alter_column("source_hash", existing_type=sa.String(length=64), nullable=False)


def downgrade():
    with _rebuilding_on_sqlite(), op.batch_alter_table("question_versions") as batch_op:
        batch_op.drop_column("source_hash")

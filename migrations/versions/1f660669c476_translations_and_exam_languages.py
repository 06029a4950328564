"""translations beside questions and case texts; exam languages; search in translations

Question translations belong to the question (not a version), case-text translations to
the case text's key in its bank: adding or correcting one never makes a new version.
Attempts, their items and the responses record languages (NULL before: the source
language). The search index is rebuilt with the texts of the translations, and kept by
triggers on question_translations as well (see app/queries/question_search.py).

Revision ID: 1f660669c476
Revises: c4e6a8b0d2f3
Create Date: 2026-12-07 13:13:29.006076

"""

import warnings

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime
from app.queries import question_search

# revision identifiers, used by Alembic.
revision = "1f660669c476"
down_revision = "c4e6a8b0d2f3"
branch_labels = None
depends_on = None


def _meta_columns() -> list[sa.Column]:
    """The columns both translation tables share after their keys."""
    return [
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("source_language", sa.String(length=16), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
    ]


def upgrade():
    op.create_table(
        "scenario_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("scenario_key", sa.String(length=64), nullable=False),
        *_meta_columns(),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["banks.id"],
            name=op.f("fk_scenario_translations_bank_id_banks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_scenario_translations_updated_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_translations")),
        sa.UniqueConstraint(
            "bank_id", "scenario_key", "language", name=op.f("uq_scenario_translations_bank_id")
        ),
    )
    with op.batch_alter_table("scenario_translations") as batch:
        batch.create_index(batch.f("ix_scenario_translations_bank_id"), ["bank_id"], unique=False)

    op.create_table(
        "question_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        *_meta_columns(),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["question_id"],
            ["questions.id"],
            name=op.f("fk_question_translations_question_id_questions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_question_translations_updated_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_translations")),
        sa.UniqueConstraint(
            "question_id", "language", name=op.f("uq_question_translations_question_id")
        ),
    )
    with op.batch_alter_table("question_translations") as batch:
        batch.create_index(batch.f("ix_question_translations_language"), ["language"], unique=False)
        batch.create_index(
            batch.f("ix_question_translations_question_id"), ["question_id"], unique=False
        )

    for table in ("attempts", "attempt_items", "responses"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))

    question_search.drop_index(op.get_bind())
    question_search.create_index(op.get_bind(), translations=True)


def downgrade():
    question_search.drop_index(op.get_bind())
    question_search.create_index(op.get_bind(), translations=False)
    with warnings.catch_warnings():  # SQLite rebuilds the tables, reflecting them first
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        for table in ("responses", "attempt_items", "attempts"):
            with op.batch_alter_table(table) as batch:
                batch.drop_column("language")
    with op.batch_alter_table("question_translations") as batch:
        batch.drop_index(batch.f("ix_question_translations_question_id"))
        batch.drop_index(batch.f("ix_question_translations_language"))
    op.drop_table("question_translations")
    with op.batch_alter_table("scenario_translations") as batch:
        batch.drop_index(batch.f("ix_scenario_translations_bank_id"))
    op.drop_table("scenario_translations")

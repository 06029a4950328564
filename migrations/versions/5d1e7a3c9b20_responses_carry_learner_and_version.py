"""responses carry their learner and question version

Readiness sums final answers per learner and question version; reading them from the
responses table alone (through a partial covering index) spares it two joins over
millions of rows. Existing rows are filled from their attempt item and attempt.

Revision ID: 5d1e7a3c9b20
Revises: 2cb866aabf36
Create Date: 2026-11-23 17:30:00.000000

"""

import warnings

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5d1e7a3c9b20"
down_revision = "2cb866aabf36"
branch_labels = None
depends_on = None

FINAL = sa.text("score IS NOT NULL")


def upgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("version_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE responses SET (user_id, version_id) = ("
        " SELECT attempts.user_id, attempt_items.version_id FROM attempt_items"
        " JOIN attempts ON attempts.id = attempt_items.attempt_id"
        " WHERE attempt_items.id = responses.item_id)"
    )
    # SQLite rebuilds the table; reflecting the foreign keys' targets warns that the
    # expression index on users cannot be reflected (it is not touched).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        _constrain()


def _constrain():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("version_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_responses_user_id_users"), "users", ["user_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_responses_version_id_question_versions"),
            "question_versions",
            ["version_id"],
            ["id"],
        )
        batch_op.create_index(
            "ix_responses_final",
            ["user_id", "version_id", "answered_at", "score"],
            unique=False,
            sqlite_where=FINAL,
            postgresql_where=FINAL,
        )


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_index("ix_responses_final")
        batch_op.drop_constraint(
            batch_op.f("fk_responses_version_id_question_versions"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("fk_responses_user_id_users"), type_="foreignkey")
        batch_op.drop_column("version_id")
        batch_op.drop_column("user_id")

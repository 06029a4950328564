"""readiness results kept per learner and scheme, the calibration kept with the basis

Pages read a learner's kept readiness (now and at the trend's week ends) instead of
running the model, while the basis, the learner's answers (their revision) and the day
still match (see app/models/readiness_sums.py). The basis keeps the calibration it was
built with, so every process forecasts with the same one. The new tables start empty:
`flask readiness rebuild` fills them, and `flask readiness refresh` keeps them current.

Revision ID: f3a8c2d6e1b7
Revises: b85ecc66b3d8
Create Date: 2026-12-07 02:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f3a8c2d6e1b7"
down_revision = "b85ecc66b3d8"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("readiness_basis") as batch:
        batch.add_column(sa.Column("calibration", sa.JSON(), nullable=True))
    op.create_table(
        "readiness_revisions",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["users.id"],
            name=op.f("fk_readiness_revisions_learner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("learner_id", name=op.f("pk_readiness_revisions")),
    )
    op.create_table(
        "readiness_results",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("scheme_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("p_pass", sa.Float(), nullable=True),
        sa.Column("p_low", sa.Float(), nullable=True),
        sa.Column("p_high", sa.Float(), nullable=True),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("last_answered", sa.Float(), nullable=True),
        sa.Column("mastery", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("earlier", sa.Text(), nullable=False),
        sa.Column("needed", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["users.id"],
            name=op.f("fk_readiness_results_learner_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scheme_id"],
            ["schemes.id"],
            name=op.f("fk_readiness_results_scheme_id_schemes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("learner_id", "scheme_id", name=op.f("pk_readiness_results")),
    )
    # A team's activity (closed attempts, latest activity) read from the index alone.
    op.create_index(
        "ix_attempts_activity",
        "attempts",
        ["user_id", "status", "submitted_at", "started_at"],
    )


def downgrade():
    op.drop_index("ix_attempts_activity", table_name="attempts")
    op.drop_table("readiness_results")
    op.drop_table("readiness_revisions")
    with op.batch_alter_table("readiness_basis") as batch:
        batch.drop_column("calibration")

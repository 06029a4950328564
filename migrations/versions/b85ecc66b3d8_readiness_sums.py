"""readiness sums kept per learner and answer class

Readiness reads these few rows per learner instead of every answer (see
app/models/readiness_sums.py). The tables start empty: `flask readiness rebuild` (run by
`make run`'s setup and hourly in production) learns the calibration and fills them, and
from then on every answer that becomes final updates them in its own transaction.

Revision ID: b85ecc66b3d8
Revises: e5a1c7d3b9f2
Create Date: 2026-12-06 23:06:11.364758

"""

import sqlalchemy as sa
from alembic import op

import app.models.base

# revision identifiers, used by Alembic.
revision = "b85ecc66b3d8"
down_revision = "e5a1c7d3b9f2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "readiness_basis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("half_life_days", sa.Float(), nullable=True),
        sa.Column("repeat_weight", sa.Float(), nullable=False),
        sa.Column("base_day", sa.Float(), nullable=False),
        sa.Column("oldest_week", sa.Integer(), nullable=False),
        sa.Column("difficulties", sa.JSON(), nullable=False),
        sa.Column("classes_hash", sa.String(length=64), nullable=False),
        sa.Column("built_at", app.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_basis")),
    )
    op.create_table(
        "readiness_sums",
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("right", sa.Float(), nullable=False),
        sa.Column("aged", sa.Float(), nullable=False),
        sa.Column("latest_day", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["users.id"],
            name=op.f("fk_readiness_sums_learner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("learner_id", "class_id", "week", name=op.f("pk_readiness_sums")),
    )
    op.create_table(
        "readiness_classes",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["question_versions.id"],
            name=op.f("fk_readiness_classes_version_id_question_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_readiness_classes")),
    )


def downgrade():
    op.drop_table("readiness_classes")
    op.drop_table("readiness_sums")
    op.drop_table("readiness_basis")

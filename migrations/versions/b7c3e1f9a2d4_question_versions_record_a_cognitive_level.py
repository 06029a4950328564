"""question versions record a cognitive level

What an item asks of a candidate (recall, understand, apply), beside its difficulty.
Nullable: versions written before it existed are untagged, and their content hashes do
not change.

Revision ID: b7c3e1f9a2d4
Revises: 6e2a9c4d7f15
Create Date: 2026-12-06 05:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7c3e1f9a2d4"
down_revision = "6e2a9c4d7f15"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("question_versions", sa.Column("cognitive", sa.String(length=12), nullable=True))
    op.create_index(
        op.f("ix_question_versions_cognitive"), "question_versions", ["cognitive"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_question_versions_cognitive"), table_name="question_versions")
    op.drop_column("question_versions", "cognitive")

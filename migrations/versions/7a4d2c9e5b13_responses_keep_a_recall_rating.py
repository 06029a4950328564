"""responses keep the learner's own recall rating

In a review set, after checking an answer, the learner may say how well they recalled
it: 1 Again, 2 Hard, 3 Good, 4 Easy (the FSRS ratings). Review scheduling
(`app.domain.scheduling`) uses it in place of the rating derived from the marks and the
certainty given. Existing responses have none.

Revision ID: 7a4d2c9e5b13
Revises: f3a8c2d6e1b7
Create Date: 2026-12-07 05:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7a4d2c9e5b13"
down_revision = "f3a8c2d6e1b7"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("responses", sa.Column("recall", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("recall")

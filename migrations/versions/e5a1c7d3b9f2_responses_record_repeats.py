"""responses record whether the learner had answered the question before

A learner who meets a question again may remember its key (shown after every answer), so
readiness weighs such an answer less (`app.analytics.readiness`, the repeat weight).
`seen_before` is set when a response becomes final (an essay's too, before it is marked);
existing responses are filled here: seen before when the same learner has an earlier final
response to the same question (any version of it). The covering index of final answers takes the column too.

Revision ID: e5a1c7d3b9f2
Revises: b7c3e1f9a2d4
Create Date: 2026-12-06 23:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5a1c7d3b9f2"
down_revision = "b7c3e1f9a2d4"
branch_labels = None
depends_on = None

FINAL = sa.text("score IS NOT NULL")
EARLIER = """
UPDATE responses SET seen_before = TRUE
WHERE EXISTS (
    SELECT 1 FROM responses AS earlier
    JOIN question_versions AS their ON their.id = earlier.version_id
    JOIN question_versions AS mine ON mine.id = responses.version_id
    WHERE earlier.user_id = responses.user_id
      AND earlier.score IS NOT NULL
      AND their.question_id = mine.question_id
      AND (earlier.answered_at < responses.answered_at
           OR (earlier.answered_at = responses.answered_at AND earlier.id < responses.id))
)
"""


def upgrade():
    op.drop_index("ix_responses_final", table_name="responses")
    op.add_column(
        "responses",
        sa.Column("seen_before", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.execute(EARLIER)
    _index(["user_id", "version_id", "answered_at", "score", "seen_before"])


def _index(columns):
    op.create_index(
        "ix_responses_final",
        "responses",
        columns,
        unique=False,
        sqlite_where=FINAL,
        postgresql_where=FINAL,
    )


def downgrade():
    op.drop_index("ix_responses_final", table_name="responses")
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.drop_column("seen_before")
    _index(["user_id", "version_id", "answered_at", "score"])

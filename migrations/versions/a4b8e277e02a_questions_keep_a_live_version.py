"""questions keep a live version beside a change under review

Exams draw a question's live (approved) version; an edit or a re-import adds a newer
current version that waits for review while the live one stays in exams. Existing
published questions are live at their current version; drafts, questions in review and
retired ones have no live version (exams did not draw them before either).

Revision ID: a4b8e277e02a
Revises: 8b3f2d61c0a4
Create Date: 2026-11-24 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "a4b8e277e02a"
down_revision = "8b3f2d61c0a4"
branch_labels = None
depends_on = None

FK = "fk_questions_live_version_id_question_versions"


def upgrade():
    # SQLite: a plain ADD COLUMN with a named REFERENCES clause, so the table is not
    # copied as batch mode would. PostgreSQL: the column, then the constraint.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE questions ADD COLUMN live_version_id INTEGER "
            f"CONSTRAINT {FK} REFERENCES question_versions (id)"
        )
    else:
        op.add_column("questions", sa.Column("live_version_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FK, "questions", "question_versions", ["live_version_id"], ["id"])
    op.execute(
        "UPDATE questions SET live_version_id = current_version_id WHERE status = 'published'"
    )


def downgrade():
    # Without a live version, a question with a pending change leaves exams (the old rule).
    # SQLite does not report the name of a constraint written inside ADD COLUMN; rebuilding
    # the table without the column drops its constraint along with it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("questions", schema=None) as batch_op:
        if not sqlite:
            batch_op.drop_constraint(FK, type_="foreignkey")
        batch_op.drop_column("live_version_id")

"""question search: a full-text index kept by triggers, and the list's sort index

SQLite: an FTS5 table with the trigram tokenizer. PostgreSQL: a weighted tsvector
(English) with a GIN index, and a pg_trgm GIN index on the plain text for Chinese and
ids (when the server offers pg_trgm). Triggers on `questions` rebuild a question's row
whenever its current version (or id) changes; the index is filled here from the
questions there are (see app/queries/question_search.py).

The question list sorts a bank's questions by last change: (bank_id, updated_at, id)
lets a deep page skip rows in index order instead of sorting the bank.

Revision ID: e8c4a1f6d2b9
Revises: d4e9b1a7c352
Create Date: 2026-12-07 10:45:00.000000

"""

from alembic import op

from app.queries import question_search

# revision identifiers, used by Alembic.
revision = "e8c4a1f6d2b9"
down_revision = "d4e9b1a7c352"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_questions_bank_id_updated_at", "questions", ["bank_id", "updated_at", "id"]
    )
    # The index as it was then; the translations migration rebuilds it with them.
    question_search.create_index(op.get_bind(), translations=False)


def downgrade():
    question_search.drop_index(op.get_bind())
    op.drop_index("ix_questions_bank_id_updated_at", table_name="questions")

"""attempts keep a secret for the opaque ids of their answers

Learners see options, steps, matching prompts and matches under ids derived from a
per-attempt secret (app/domain/answer_ids.py). Existing attempts get a random secret
each, from the database's own strong random source.

Revision ID: 8b3f2d61c0a4
Revises: 5d1e7a3c9b20
Create Date: 2026-12-05 12:30:00.000000

"""

import warnings

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8b3f2d61c0a4"
down_revision = "5d1e7a3c9b20"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("answer_secret", sa.String(length=32), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE attempts SET answer_secret = replace(gen_random_uuid()::text, '-', '')")
    else:
        op.execute("UPDATE attempts SET answer_secret = lower(hex(randomblob(16)))")
    # SQLite rebuilds the table; reflecting its foreign keys' targets warns that the
    # expression index on users cannot be reflected (it is not touched).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table("attempts", schema=None) as batch_op:
            batch_op.alter_column(
                "answer_secret", existing_type=sa.String(length=32), nullable=False
            )


def downgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_column("answer_secret")

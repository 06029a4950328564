"""reference data in other languages: titles of editions and clauses, scheme and section
wording, keyed by language tag (zh-Hans); English stays in the existing columns

Existing rows start with no translations ({}); `flask reference load` fills them from
question_banks/.

Revision ID: c5e2f8a1d9b3
Revises: b2d6f0a9c4e1
Create Date: 2026-12-07 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c5e2f8a1d9b3"
down_revision = "b2d6f0a9c4e1"
branch_labels = None
depends_on = None

COLUMNS = {
    "editions": ["translations"],
    "clauses": ["translations"],
    "schemes": ["translations", "section_translations"],
}


def upgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(
                    sa.Column(column, sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
                )


def downgrade():
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column)

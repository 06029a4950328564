"""case texts keep their revisions: a change is a new row, versions keep the text they had

Revision ID: 6e2a9c4d7f15
Revises: 3b7d9e2f4a61
Create Date: 2026-12-05 17:30:00.000000

"""
import warnings

from alembic import op
import sqlalchemy as sa

import app.models.base


# revision identifiers, used by Alembic.
revision = '6e2a9c4d7f15'
down_revision = '3b7d9e2f4a61'
branch_labels = None
depends_on = None

CURRENT = sa.text("superseded_at IS NULL")


def upgrade():
    # SQLite rebuilds the table; reflecting its foreign keys' targets warns that the
    # users table's lower(email) index cannot be reflected (it is not touched).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table('scenarios', schema=None) as batch_op:
            batch_op.add_column(sa.Column('superseded_at', app.models.base.UTCDateTime(timezone=True), nullable=True))
            batch_op.drop_constraint('uq_scenarios_bank_id', type_='unique')
            batch_op.create_index('uq_scenarios_current_key', ['bank_id', 'key'], unique=True, sqlite_where=CURRENT, postgresql_where=CURRENT)


def downgrade():
    # Older revisions are removed first: the old schema holds one row per key.
    op.execute("UPDATE question_versions SET scenario_id = (SELECT c.id FROM scenarios o JOIN scenarios c ON c.bank_id = o.bank_id AND c.key = o.key AND c.superseded_at IS NULL WHERE o.id = question_versions.scenario_id) WHERE scenario_id IN (SELECT id FROM scenarios WHERE superseded_at IS NOT NULL)")
    op.execute("DELETE FROM scenarios WHERE superseded_at IS NOT NULL")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        with op.batch_alter_table('scenarios', schema=None) as batch_op:
            batch_op.drop_index('uq_scenarios_current_key')
            batch_op.create_unique_constraint('uq_scenarios_bank_id', ['bank_id', 'key'])
            batch_op.drop_column('superseded_at')

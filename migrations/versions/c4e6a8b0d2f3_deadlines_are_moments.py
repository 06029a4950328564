"""deadlines of team targets and drill assignments are moments in UTC, not bare days

A target or drill used to be due on a calendar day with no time zone. It is now due at
a moment stored in UTC (`due_at`), which managers type on their own clocks and every
reader sees on theirs. An existing day becomes 23:59 UTC of that day (the zone its
readers saw until now); downgrading keeps the UTC day.

Revision ID: c4e6a8b0d2f3
Revises: b3d5f7a9c1e2
Create Date: 2026-12-07 15:00:00.000000

"""
import warnings
from datetime import UTC, datetime, time

from alembic import op
import sqlalchemy as sa

import app.models.base


# revision identifiers, used by Alembic.
revision = 'c4e6a8b0d2f3'
down_revision = 'b3d5f7a9c1e2'
branch_labels = None
depends_on = None

TABLES = ('team_targets', 'drill_assignments')
REQUIRED = {'team_targets'}  # a target always has a deadline; a drill may have none
END_OF_DAY = time(23, 59)


def _rows(name):
    return sa.table(
        name,
        sa.column('id', sa.Integer()),
        sa.column('due_on', sa.Date()),
        sa.column('due_at', app.models.base.UTCDateTime()),
    )


def _copy(name, source, target, convert):
    """Fill column `target` from `source` through `convert`, row by row."""
    rows = _rows(name)
    connection = op.get_bind()
    found = connection.execute(sa.select(rows.c.id, rows.c[source])).all()
    for row_id, value in found:
        if value is not None:
            update = rows.update().where(rows.c.id == row_id).values({target: convert(value)})
            connection.execute(update)


def _replace(name, old, new, new_type, convert):
    """Add column `new`, fill it from `old`, then drop `old`."""
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.add_column(sa.Column(new, new_type, nullable=True))
    _copy(name, old, new, convert)
    with op.batch_alter_table(name, schema=None) as batch_op:
        if name in REQUIRED:
            batch_op.alter_column(new, existing_type=new_type, nullable=False)
        batch_op.drop_column(old)


def upgrade():
    # SQLite rebuilds the tables; reflecting their foreign keys' targets warns that the
    # lower(email) index of users cannot be reflected (it is not touched).
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        for name in TABLES:
            _replace(
                name,
                'due_on',
                'due_at',
                app.models.base.UTCDateTime(),
                lambda day: datetime.combine(day, END_OF_DAY, tzinfo=UTC),
            )


def downgrade():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        for name in TABLES:
            _replace(
                name, 'due_at', 'due_on', sa.Date(), lambda moment: moment.astimezone(UTC).date()
            )

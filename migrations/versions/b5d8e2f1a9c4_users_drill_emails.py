"""users may turn off the e-mail sent when a drill is assigned to their team

Revision ID: b5d8e2f1a9c4
Revises: c5e2f8a1d9b3
Create Date: 2026-12-08 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b5d8e2f1a9c4'
down_revision = "c5e2f8a1d9b3"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ALTER TABLE … ADD COLUMN on both databases: a batch copy would reflect the
    # users table, whose lower(email) index SQLite cannot reflect.
    op.add_column(
        'users', sa.Column('drill_emails', sa.Boolean(), nullable=False, server_default=sa.true())
    )


def downgrade():
    # SQLite (3.35 and later) drops a column in place too, keeping the lower(email) index.
    op.drop_column('users', 'drill_emails')

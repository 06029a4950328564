"""users have a time zone (an IANA name); existing accounts keep seeing UTC

Revision ID: b3d5f7a9c1e2
Revises: b8d2f4a6c913
Create Date: 2026-12-07 14:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d5f7a9c1e2'
down_revision = "b8d2f4a6c913"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('time_zone', sa.String(length=64), nullable=False, server_default='UTC')
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('time_zone')

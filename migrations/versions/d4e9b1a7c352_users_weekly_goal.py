"""users set a weekly goal: questions to answer per ISO week (0: no goal)

Revision ID: d4e9b1a7c352
Revises: 7a4d2c9e5b13
Create Date: 2026-12-07 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e9b1a7c352'
down_revision = '7a4d2c9e5b13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('weekly_goal', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('weekly_goal')

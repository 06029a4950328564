"""user identities: (issuer, subject) pairs from OpenID Connect sign-in, each naming a user

The table starts empty: accounts gain an identity at their first single sign-on.

Revision ID: c9d2e4f6a8b1
Revises: a7c3e9d1f4b2
Create Date: 2026-12-07 14:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = "c9d2e4f6a8b1"
down_revision = "a7c3e9d1f4b2"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "user_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=255), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_user_identities_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_identities")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_user_identities_issuer")),
    )
    with op.batch_alter_table("user_identities") as batch:
        batch.create_index(batch.f("ix_user_identities_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("user_identities") as batch:
        batch.drop_index(batch.f("ix_user_identities_user_id"))
    op.drop_table("user_identities")

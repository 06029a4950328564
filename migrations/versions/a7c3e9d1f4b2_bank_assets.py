"""bank assets: the images and sounds a bank's texts refer to as asset:<name>

Imports write them in the same transaction as the questions; the media type is told
from the bytes. The table starts empty.

Revision ID: a7c3e9d1f4b2
Revises: e8c4a1f6d2b9
Create Date: 2026-12-07 10:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = "a7c3e9d1f4b2"
down_revision = "e8c4a1f6d2b9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "bank_assets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bank_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank_id"],
            ["banks.id"],
            name=op.f("fk_bank_assets_bank_id_banks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_assets")),
        sa.UniqueConstraint("bank_id", "name", name=op.f("uq_bank_assets_bank_id")),
    )
    with op.batch_alter_table("bank_assets") as batch:
        batch.create_index(batch.f("ix_bank_assets_bank_id"), ["bank_id"], unique=False)


def downgrade():
    with op.batch_alter_table("bank_assets") as batch:
        batch.drop_index(batch.f("ix_bank_assets_bank_id"))
    op.drop_table("bank_assets")

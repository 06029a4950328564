"""background jobs (the outbox a worker runs from) and the ids xAPI statements carry

`jobs` holds every piece of background work, written in the transaction of the change
that asks for it; `job_files` the uploads jobs read and the exports they make. Attempts
get an xAPI registration and users an opaque xAPI account name; rows older than these
columns get theirs when their first statement is sent.

Revision ID: b8d2f4a6c913
Revises: d2f7b3c9e4a1
Create Date: 2026-12-07 13:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

from app.models.base import UTCDateTime

# revision identifiers, used by Alembic.
revision = "b8d2f4a6c913"
down_revision = "d2f7b3c9e4a1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kwargs", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("max_tries", sa.Integer(), nullable=False),
        sa.Column("run_after", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(length=8), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_jobs_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("public_id", name=op.f("uq_jobs_public_id")),
    )
    with op.batch_alter_table("jobs") as batch:
        batch.create_index(batch.f("ix_jobs_name"), ["name"], unique=False)
        batch.create_index("ix_jobs_due", ["state", "run_after"], unique=False)
    op.create_table(
        "job_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["jobs.id"],
            name=op.f("fk_job_files_job_id_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_files")),
    )
    with op.batch_alter_table("job_files") as batch:
        batch.create_index(batch.f("ix_job_files_job_id"), ["job_id"], unique=False)
    with op.batch_alter_table("attempts") as batch:
        batch.add_column(sa.Column("registration", sa.String(length=36), nullable=True))
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("xapi_id", sa.String(length=36), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("xapi_id")
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("registration")
    with op.batch_alter_table("job_files") as batch:
        batch.drop_index(batch.f("ix_job_files_job_id"))
    op.drop_table("job_files")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_index("ix_jobs_due")
        batch.drop_index(batch.f("ix_jobs_name"))
    op.drop_table("jobs")

"""users.language holds the user's own choice of interface language, or '' for none

Until now every account was created with 'en' (the model's default) and no page let
anyone choose, so 'en' said nothing about the user: it becomes '' (no choice), and such a
user's pages follow the browser (its session choice, else Accept-Language) until they
pick a language. Chinese of any spelling becomes the locale id 'zh_Hans'; any other value
that is not an offered locale id becomes '' too.

The column stays NOT NULL: making it nullable would rebuild the users table on SQLite,
and with foreign keys enforced that rebuild deletes every row that cascades from users.

Revision ID: b2d6f0a9c4e1
Revises: c9d2e4f6a8b1
Create Date: 2026-12-07 14:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b2d6f0a9c4e1'
down_revision = 'c9d2e4f6a8b1'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE users SET language = 'zh_Hans' "
        "WHERE lower(replace(language, '_', '-')) = 'zh' "
        "OR lower(replace(language, '_', '-')) LIKE 'zh-%'"
    )
    op.execute("UPDATE users SET language = '' WHERE language <> 'zh_Hans'")


def downgrade():
    op.execute("UPDATE users SET language = 'zh' WHERE language = 'zh_Hans'")
    op.execute("UPDATE users SET language = 'en' WHERE language = ''")

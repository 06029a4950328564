"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.extensions import db


def test_upgrade_produces_the_schema_of_the_models(app, db_url):
    engine = create_engine(db_url)
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect the lower(email) index; it is checked separately below.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    engine.dispose()
    assert differences == []


def test_email_uniqueness_index_exists(app, db_url):
    engine = create_engine(db_url)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        indexes = {ix["name"] for ix in inspect(engine).get_indexes("users")}
    engine.dispose()
    if engine.dialect.name == "postgresql":
        assert "uq_users_email_lower" in indexes
    else:
        with engine.connect() as conn:
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name='uq_users_email_lower'"
            ).scalar()
        assert sql is not None and "lower(email)" in sql

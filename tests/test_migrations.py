"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app.extensions import db
from app.queries.question_search import SEARCH_TABLES


def _not_search_tables(name, type_, parent_names):
    """The search index is raw DDL outside the models (see app/queries/question_search.py)."""
    return not (type_ == "table" and name in SEARCH_TABLES)


def test_upgrade_produces_the_schema_of_the_models(app, db_url):
    engine = create_engine(db_url)
    with engine.connect() as conn, warnings.catch_warnings():
        # SQLite cannot reflect the lower(email) index; it is checked separately below.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        opts = {"compare_type": True, "include_name": _not_search_tables}
        context = MigrationContext.configure(conn, opts=opts)
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


def test_published_questions_are_live_after_the_live_version_migration(tmp_path):
    """Existing data: a published question stays in exams at its current version; a
    draft (or a question in review) is not drawn, as before."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from tests.conftest import app_config, dispose_engines

    application = create_app(app_config(f"sqlite:///{tmp_path}/old.sqlite"))
    with application.app_context():
        upgrade(revision="5d1e7a3c9b20")
        now = "2026-01-01 00:00:00.000000"
        db.session.execute(
            text(
                "INSERT INTO banks (id, code, title, language, licence, edition, description,"
                " created_at, updated_at) VALUES (1, 'b', 'B', 'en', '', '2018', '', :now, :now)"
            ),
            {"now": now},
        )
        for qid, status in ((1, "published"), (2, "draft")):
            db.session.execute(
                text(
                    "INSERT INTO questions (id, bank_id, key, status, created_at, updated_at)"
                    " VALUES (:id, 1, :key, :status, :now, :now)"
                ),
                {"id": qid, "key": f"q{qid}", "status": status, "now": now},
            )
            db.session.execute(
                text(
                    "INSERT INTO question_versions (id, question_id, number, content_hash, type,"
                    " level, edition, difficulty, marks, title, stem, explanation, body, tags,"
                    " created_at) VALUES (:id, :id, 1, 'h', 'true_false', 'foundation', '2018',"
                    " 2, 1.0, '', 'S', '', '{}', '[]', :now)"
                ),
                {"id": qid, "now": now},
            )
            db.session.execute(
                text("UPDATE questions SET current_version_id = :id WHERE id = :id"), {"id": qid}
            )
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT key, live_version_id FROM questions ORDER BY id"))
        assert rows.all() == [("q1", 1), ("q2", None)]
        db.session.remove()
    dispose_engines(application)


def test_the_search_migration_indexes_the_questions_already_there(tmp_path):
    """Existing questions are searchable after the upgrade: id, title, stem, options,
    explanation and tags of their current version, Chinese included."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.analytics import questions as question_views
    from tests.conftest import app_config, dispose_engines

    application = create_app(app_config(f"sqlite:///{tmp_path}/old.sqlite"))
    with application.app_context():
        upgrade(revision="d4e9b1a7c352")
        now = "2026-01-01 00:00:00.000000"
        db.session.execute(
            text(
                "INSERT INTO banks (id, code, title, language, licence, edition, description,"
                " created_at, updated_at) VALUES (1, 'b', 'B', 'en', '', '2018', '', :now, :now)"
            ),
            {"now": now},
        )
        db.session.execute(
            text(
                "INSERT INTO questions (id, bank_id, key, status, created_at, updated_at)"
                " VALUES (1, 1, 'old-q', 'draft', :now, :now)"
            ),
            {"now": now},
        )
        db.session.execute(
            text(
                "INSERT INTO question_versions (id, question_id, number, content_hash, type,"
                " level, edition, difficulty, marks, title, stem, explanation, body, tags,"
                " created_at) VALUES (1, 1, 1, 'h', 'single_choice', 'foundation', '2018', 2,"
                " 1.0, 'Budgeting', '服务预算由谁批准？', 'Clause 8.2.2 on accounting.', '{}',"
                " '[\"finance\"]', :now)"
            ),
            {"now": now},
        )
        db.session.execute(
            text(
                "INSERT INTO question_options (id, version_id, key, position, text, correct,"
                " feedback) VALUES (1, 1, 'a', 0, 'The governing body', 1, '')"
            )
        )
        db.session.execute(text("UPDATE questions SET current_version_id = 1 WHERE id = 1"))
        db.session.commit()
        upgrade()
        for words in (
            "old-q",
            "budgeting",
            "预算",
            "服务预算",
            "accounting",
            "governing",
            "finance",
        ):
            page = question_views.question_page(1, question_views.Filters(q=words))
            assert [row.key for row in page.rows] == ["old-q"], words
        db.session.remove()
    dispose_engines(application)


def test_the_translations_migration_keeps_questions_searchable_and_indexes_translations(
    tmp_path,
):
    """Questions already there stay searchable after the upgrade; a translation written
    afterwards is found by its text; and the downgrade goes back to the index without
    translations."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app import create_app
    from app.analytics import questions as question_views
    from tests.conftest import app_config, dispose_engines

    def found(words: str) -> list[str]:
        page = question_views.question_page(1, question_views.Filters(q=words))
        return [row.key for row in page.rows]

    application = create_app(app_config(f"sqlite:///{tmp_path}/old.sqlite"))
    with application.app_context():
        upgrade(revision="a7c3e9d1f4b2")
        now = "2026-01-01 00:00:00.000000"
        db.session.execute(
            text(
                "INSERT INTO banks (id, code, title, language, licence, edition, description,"
                " created_at, updated_at) VALUES (1, 'b', 'B', 'en', '', '2018', '', :now, :now)"
            ),
            {"now": now},
        )
        db.session.execute(
            text(
                "INSERT INTO questions (id, bank_id, key, status, created_at, updated_at)"
                " VALUES (1, 1, 'old-q', 'draft', :now, :now)"
            ),
            {"now": now},
        )
        db.session.execute(
            text(
                "INSERT INTO question_versions (id, question_id, number, content_hash, type,"
                " level, edition, difficulty, marks, title, stem, explanation, body, tags,"
                " created_at) VALUES (1, 1, 1, 'h', 'true_false', 'foundation', '2018', 2,"
                " 1.0, 'Budgeting', 'Who approves the budget?', '', '{}', '[]', :now)"
            ),
            {"now": now},
        )
        db.session.execute(text("UPDATE questions SET current_version_id = 1 WHERE id = 1"))
        db.session.commit()
        upgrade()
        assert found("budget") == ["old-q"]
        db.session.execute(
            text(
                "INSERT INTO question_translations (question_id, language, source_language,"
                " source_hash, fields, updated_at) VALUES (1, 'zh-Hans', 'en', 'x',"
                " :fields, :now)"
            ),
            {"fields": '{"stem": "服务预算由谁批准？"}', "now": now},
        )
        db.session.commit()
        assert found("服务预算") == found("预算") == found("批") == ["old-q"]
        downgrade(revision="a7c3e9d1f4b2")
        assert found("budget") == ["old-q"]
        assert found("服务预算") == []
        db.session.remove()
    dispose_engines(application)

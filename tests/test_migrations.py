"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import copy
import warnings

import pytest
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


def test_deadline_days_become_the_end_of_that_day_in_utc_and_back(tmp_path):
    """Targets and drills due on a day (shown in UTC until then) are due at 23:59 UTC of
    that day after the upgrade; a downgrade gives the day back."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from app import create_app
    from tests.conftest import app_config, dispose_engines

    application = create_app(app_config(f"sqlite:///{tmp_path}/old.sqlite"))
    with application.app_context():
        upgrade(revision="b3d5f7a9c1e2")
        now = "2026-01-01 00:00:00.000000"
        db.session.execute(
            text("INSERT INTO teams (id, name, description, created_at) VALUES (1, 'T', '', :now)"),
            {"now": now},
        )
        db.session.execute(
            text(
                "INSERT INTO schemes (id, code, title, level, disclaimer, duration_minutes,"
                " item_count, pass_mark, review_policy, blueprint, active) VALUES"
                " (1, 's', 'S', 'foundation', '', 60, 40, 0.65, 'immediately', '{}', 1)"
            )
        )
        db.session.execute(
            text(
                "INSERT INTO team_targets (id, team_id, scheme_id, required_share, due_on, note,"
                " created_at) VALUES (1, 1, 1, 0.9, '2027-03-31', '', :now)"
            ),
            {"now": now},
        )
        for drill_id, clause, due in ((1, "8.2", "2027-01-15"), (2, "8.3", None)):
            db.session.execute(
                text(
                    "INSERT INTO drill_assignments (id, team_id, scheme_id, clause, questions,"
                    " note, due_on, created_at) VALUES (:id, 1, 1, :clause, 10, '', :due, :now)"
                ),
                {"id": drill_id, "clause": clause, "due": due, "now": now},
            )
        # A named member of the target: SQLite rebuilds team_targets to change its column,
        # and with foreign keys on, dropping the old table would delete this row.
        _insert_minimal_row(db.session, "users", {"id": 7, "email": "a@example.org"})
        db.session.execute(text("INSERT INTO team_target_members VALUES (1, 7)"))
        db.session.commit()

        upgrade(revision="c4e6a8b0d2f3")
        members = db.session.execute(text("SELECT * FROM team_target_members")).all()
        assert [tuple(m) for m in members] == [(1, 7)]
        target = db.session.execute(text("SELECT due_at FROM team_targets")).scalar()
        drills = db.session.execute(text("SELECT due_at FROM drill_assignments ORDER BY id"))
        assert str(target).startswith("2027-03-31 23:59:00")
        due = [None if d is None else str(d)[:19] for (d,) in drills]
        assert due == ["2027-01-15 23:59:00", None]

        downgrade(revision="b3d5f7a9c1e2")
        assert str(db.session.execute(text("SELECT due_on FROM team_targets")).scalar()) == (
            "2027-03-31"
        )
        db.session.remove()
    dispose_engines(application)


def test_the_language_migration_keeps_choices_and_forgets_the_old_default(tmp_path, db_url):
    """'en' was every account's default, not a choice: it becomes '' (the browser decides);
    Chinese of any spelling becomes zh_Hans. Nothing else changes: the rows that point at
    users (which a rebuild of the table would delete on SQLite) and the case-blind e-mail
    index stay."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from app import create_app
    from tests.conftest import app_config, dispose_engines

    url = db_url if db_url.startswith("postgresql") else f"sqlite:///{tmp_path}/old.sqlite"
    application = create_app(app_config(url))
    with application.app_context():
        if url == db_url:  # PostgreSQL: the session's database, put back at the end
            downgrade(revision="a7c3e9d1f4b2")
        else:
            upgrade(revision="a7c3e9d1f4b2")
        now = "2026-01-01 00:00:00.000000"
        for uid, language in enumerate(("en", "zh", "zh-CN", "zh_TW", "fr"), start=1):
            db.session.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, active, language,"
                    " created_at, session_version, weekly_goal) VALUES (:id, :email, 'N', 'h',"
                    " true, :language, :now, 1, 0)"
                ),
                {"id": uid, "email": f"u{uid}@example.org", "language": language, "now": now},
            )
            db.session.execute(
                text("INSERT INTO user_roles (user_id, role) VALUES (:id, 'learner')"), {"id": uid}
            )
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT id, language FROM users ORDER BY id")).all()
        assert rows == [(1, ""), (2, "zh_Hans"), (3, "zh_Hans"), (4, "zh_Hans"), (5, "")]
        assert db.session.execute(text("SELECT count(*) FROM user_roles")).scalar() == 5
        with pytest.raises(IntegrityError):
            db.session.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, active,"
                    " created_at, session_version, weekly_goal) VALUES (9, 'U1@example.org',"
                    " 'N', 'h', true, :now, 1, 0)"
                ),
                {"now": now},
            )
        db.session.rollback()
        db.session.execute(text("DELETE FROM user_roles"))
        db.session.execute(text("DELETE FROM users"))
        db.session.commit()
        db.session.remove()
    dispose_engines(application)


def test_the_translations_migration_keeps_questions_searchable_and_indexes_translations(
    tmp_path,
):
    """Questions already there stay searchable after the upgrade; a translation written
    afterwards is found by its text; and the downgrade goes back to the index without
    translations."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select, text

    from app import create_app
    from app.models import Question
    from app.queries import question_search
    from tests.conftest import app_config, dispose_engines

    def found(words: str) -> list[str]:
        # The search itself, not the question list: the models describe the newest
        # question_versions, which the downgraded database no longer has.
        matched = question_search.match("sqlite", words, 1).ids.subquery()
        keys = select(Question.key).join(matched, matched.c[0] == Question.id)
        return list(db.session.scalars(keys.order_by(Question.key)))

    application = create_app(app_config(f"sqlite:///{tmp_path}/old.sqlite"))
    with application.app_context():
        upgrade(revision="c4e6a8b0d2f3")
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
        downgrade(revision="c4e6a8b0d2f3")
        assert found("budget") == ["old-q"]
        assert found("服务预算") == []
        db.session.remove()
    dispose_engines(application)


def test_the_source_hash_migration_hashes_every_version_as_the_app_does(tmp_path, db_url):
    """Versions stored before the column get the hash of their translatable texts, worked
    out from what they store as the app reads it (every type, combined feedback, hints, a
    plug-in type's own texts): the translations made from them count as up to date, one
    made from an earlier version does not."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import insert, select, text

    from app import create_app
    from app.analytics import exam_languages
    from app.analytics import questions as question_views
    from app.domain import translation
    from app.models import QuestionOption, QuestionTranslation, QuestionVersion
    from app.models.base import utcnow
    from app.queries import banks as bank_queries
    from app.queries import translations as translation_queries
    from app.services.bank_store import version_row
    from tests.conftest import app_config, dispose_engines
    from tests.unit.formats.sample import translated_bank, translated_classification

    records = [*translated_bank().questions, translated_classification()]
    edited = copy.deepcopy(records[0])
    edited.stem += " (edited)"  # a second version of the first question
    url = db_url if db_url.startswith("postgresql") else f"sqlite:///{tmp_path}/old.sqlite"
    application = create_app(app_config(url))
    with application.app_context():
        if url == db_url:  # PostgreSQL: the session's database, put back at the end
            downgrade(revision="1f660669c476")
        else:
            upgrade(revision="1f660669c476")
        try:
            now = "2026-01-01 00:00:00.000000"
            db.session.execute(
                text(
                    "INSERT INTO banks (id, code, title, language, licence, edition, description,"
                    " created_at, updated_at) VALUES (1, 'b', 'B', 'en', '', '2018', '', :now,"
                    " :now)"
                ),
                {"now": now},
            )
            written: dict[int, object] = {}  # version id → the record it was written from
            for qid, record in enumerate(records, start=1):
                db.session.execute(
                    text(
                        "INSERT INTO questions (id, bank_id, key, status, created_at,"
                        " updated_at) VALUES (:id, 1, :key, 'published', :now, :now)"
                    ),
                    {"id": qid, "key": record.id, "now": now},
                )
                versions = [record, edited] if qid == 1 else [record]
                for number, content in enumerate(versions, start=1):
                    row = version_row(content, qid, number, None, None)
                    row.pop("source_hash", None)  # not a column yet
                    vid = db.session.execute(
                        insert(QuestionVersion.__table__).values(row)
                    ).inserted_primary_key[0]
                    written[vid] = content
                    for position, o in enumerate(content.options):
                        db.session.execute(
                            insert(QuestionOption.__table__).values(
                                version_id=vid,
                                key=o.id,
                                position=position,
                                text=o.text,
                                correct=o.correct,
                                feedback=o.feedback,
                            )
                        )
                db.session.execute(
                    text(
                        "UPDATE questions SET current_version_id = :vid, live_version_id = :vid"
                        " WHERE id = :id"
                    ),
                    {"vid": vid, "id": qid},
                )
                made = record.translations["zh-Hans"]  # made from the first version
                db.session.execute(
                    insert(QuestionTranslation.__table__).values(
                        question_id=qid,
                        language="zh-Hans",
                        source_language="en",
                        source_hash=made.source_hash,
                        fields=made.fields,
                        updated_at=utcnow(),
                    )
                )
            db.session.commit()

            upgrade()

            stored = dict(
                db.session.execute(select(QuestionVersion.id, QuestionVersion.source_hash)).all()
            )
            rebuilt = bank_queries.version_records(list(written))
            assert stored == {vid: translation.source_hash(r) for vid, r in rebuilt.items()}
            assert stored == {vid: translation.source_hash(r) for vid, r in written.items()}
            assert len(set(stored.values())) == len(stored)  # every version's texts differ
            columns = inspect(db.engine).get_columns("question_versions")
            assert [c["nullable"] for c in columns if c["name"] == "source_hash"] == [False]
            # Up to date: every question's translation but the first's (made before its edit).
            shown, _totals = exam_languages._counts()
            in_chinese = sum(per_level.get("zh-Hans", 0) for per_level in shown.values())
            assert in_chinese == len(records) - 1
            assert translation_queries.has_current_translation("zh-Hans")
            # SQLite rebuilt the table: the search index's triggers that read it still work.
            db.session.execute(
                text("UPDATE question_translations SET fields = :fields WHERE question_id = 2"),
                {"fields": '{"stem": "多项选择的标记"}'},
            )
            db.session.commit()
            page = question_views.question_page(1, question_views.Filters(q="多项选择"))
            assert [row.key for row in page.rows] == [records[1].id]
            db.session.commit()  # PostgreSQL: no read left open on the table to change
            downgrade(revision="1f660669c476")
            columns = inspect(db.engine).get_columns("question_versions")
            assert "source_hash" not in {c["name"] for c in columns}
            assert db.session.execute(text("SELECT count(*) FROM question_versions")).scalar() == (
                len(written)
            )
        finally:
            db.session.rollback()
            for statement in (
                "DELETE FROM question_translations",
                "UPDATE questions SET current_version_id = NULL, live_version_id = NULL",
                "DELETE FROM question_options",
                "DELETE FROM question_versions",
                "DELETE FROM questions",
                "DELETE FROM banks",
            ):
                db.session.execute(text(statement))
            db.session.commit()
            upgrade()  # PostgreSQL: the session's database at the head again
            db.session.remove()
    dispose_engines(application)


def _insert_minimal_row(session, table: str, values: dict) -> None:
    """Insert a row giving `values` and a plain value for every other NOT NULL column
    without a default (SQLite: read from PRAGMA table_info)."""
    from sqlalchemy import text

    row = dict(values)
    for _cid, name, kind, notnull, default, _pk in session.execute(
        text(f"PRAGMA table_info({table})")
    ):
        if name in row or not notnull or default is not None:
            continue
        kind = (kind or "").upper()
        row[name] = (
            0
            if ("INT" in kind or "BOOL" in kind)
            else ("2026-01-01 00:00:00.000000" if ("DATE" in kind or "TIME" in kind) else "x")
        )
    columns = ", ".join(row)
    marks = ", ".join(f":{name}" for name in row)
    session.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks})"), row)  # noqa: S608 (test names)

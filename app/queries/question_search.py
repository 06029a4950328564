"""Full-text search over questions: the search index, its triggers and the match.

The index holds one row per question, built from the question's current version: its
id, title and tags (weighted highest), stem, then options (text and feedback),
explanation and the texts of the question's translations. Database triggers on
`questions` and `question_translations` keep it in step with every write that changes a
question's current version (editor saves, imports, case-text revisions, discarded
changes) or a translation, so no service has to remember it.

- SQLite: an FTS5 table with the trigram tokenizer (case-insensitive substrings, so
  Chinese, which has no spaces between words, is found like any other text). Words of
  three characters or more go through MATCH and rank by bm25; shorter words (many
  Chinese words are two characters) are matched by LIKE on the same table.
- PostgreSQL: a weighted `tsvector` (English stemming, prefix matching) for words of
  letters, and a pg_trgm index on the plain text for everything else (Chinese words,
  ids, clause numbers), matched by ILIKE.

The index lives outside the SQLAlchemy metadata (an FTS5 table cannot be described
there): `SEARCH_TABLES` names its tables so the schema comparison leaves them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    Text,
    case,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSVECTOR

from app.extensions import db

SEARCH_TABLE = "question_search"
# The table and, on SQLite, the shadow tables FTS5 keeps beside it.
SEARCH_TABLES = frozenset(
    {SEARCH_TABLE}
    | {f"{SEARCH_TABLE}_{part}" for part in ("data", "idx", "content", "docsize", "config")}
)

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_LETTERS = re.compile(r"^[^\W\d_]+$")
_MAX_TERMS = 8

# --- SQLite ------------------------------------------------------------------------------

# Chinese (CJK) words are often two characters, shorter than a trigram: every pair of
# adjacent CJK characters is also indexed as a token of its own, "服务#", in `pairs`.
# (A trigger cannot hold a recursive CTE: the positions come from json_each over a JSON
# array of the text's length, built from zeroblob.)
_CJK_FIRST, _CJK_LAST = 0x3400, 0x9FFF
_SQLITE_PAIRS = f"""CASE WHEN d.doc GLOB '*[{chr(_CJK_FIRST)}-{chr(_CJK_LAST)}]*' THEN coalesce((
    SELECT group_concat(substr(d.doc, p.key + 1, 2) || '#', ' ')
    FROM json_each('[' || replace(hex(zeroblob(length(d.doc))), '00', '0,') || '0]') p
    WHERE unicode(substr(d.doc, p.key + 1, 1)) BETWEEN {_CJK_FIRST} AND {_CJK_LAST}
      AND unicode(substr(d.doc, p.key + 2, 1)) BETWEEN {_CJK_FIRST} AND {_CJK_LAST}
), '') ELSE '' END"""
_SQLITE_TRANSLATIONS = """coalesce((SELECT group_concat(j.value, ' ')
                                 FROM question_translations t, json_tree(t.fields) j
                                 WHERE t.question_id = {id} AND j.type = 'text'), '')"""


# The CJK pairs of the translations, text by text: SQLite's substr walks UTF-8 from the
# start, so pairs taken over one long document cost its length squared; over the short
# texts of a translation, next to nothing.
_SQLITE_TRANSLATION_PAIRS = f"""coalesce((
    SELECT group_concat(substr(j.value, p.key + 1, 2) || '#', ' ')
    FROM question_translations t, json_tree(t.fields) j,
         json_each('[' || replace(hex(zeroblob(length(j.value))), '00', '0,') || '0]') p
    WHERE t.question_id = {{id}} AND j.type = 'text'
      AND unicode(substr(j.value, p.key + 1, 1)) BETWEEN {_CJK_FIRST} AND {_CJK_LAST}
      AND unicode(substr(j.value, p.key + 2, 1)) BETWEEN {_CJK_FIRST} AND {_CJK_LAST}
), '')"""


def _sqlite_select(translations: bool) -> str:
    """The INSERT … SELECT of search rows, with `{id}`, `{key}` and `{source}` to fill in
    (and, with `translations`, the texts of the question's translations and their pairs)."""
    texts = _SQLITE_TRANSLATIONS if translations else "''"
    pairs = _SQLITE_PAIRS
    if translations:
        pairs = (
            f"trim({_SQLITE_PAIRS} || ' ' || {_SQLITE_TRANSLATION_PAIRS.replace('{id}', 'd.id')})"
        )
    return f"""
    INSERT INTO question_search (rowid, key, title, tags, stem, options, explanation,
                                 {"translations, " if translations else ""}pairs)
    SELECT d.id, d.key, d.title, d.tags, d.stem, d.options, d.explanation,
           {"d.translations, " if translations else ""}{pairs}
    FROM (SELECT r.*, r.title || ' ' || r.tags || ' ' || r.stem || ' ' || r.options
                      || ' ' || r.explanation AS doc
          FROM (SELECT {{id}} AS id, {{key}} AS key, v.title AS title,
                       coalesce((SELECT group_concat(t.value, ' ')
                                 FROM json_each(v.tags) t), '') AS tags,
                       v.stem AS stem,
                       coalesce((SELECT group_concat(o.text || ' ' || o.feedback, ' ')
                                 FROM question_options o WHERE o.version_id = v.id), '')
                           AS options,
                       v.explanation AS explanation,
                       {texts} AS translations
                FROM {{source}}) r) d"""


def _sqlite_create(translations: bool) -> list[str]:
    """The FTS5 table and the triggers that keep it (those of translations included)."""
    select_ = _sqlite_select(translations)
    row = select_.format(
        id="NEW.id", key="NEW.key", source="question_versions v WHERE v.id = NEW.current_version_id"
    )
    columns = "key, title, tags, stem, options, explanation, "
    columns += "translations, pairs" if translations else "pairs"
    statements = [
        f"CREATE VIRTUAL TABLE question_search USING fts5({columns}, tokenize='trigram')",
        f"CREATE TRIGGER question_search_insert AFTER INSERT ON questions "
        f"WHEN NEW.current_version_id IS NOT NULL BEGIN {row}; END",
        "CREATE TRIGGER question_search_update AFTER UPDATE OF current_version_id, key ON "
        "questions WHEN NEW.current_version_id IS NOT OLD.current_version_id "
        "OR NEW.key IS NOT OLD.key "
        f"BEGIN DELETE FROM question_search WHERE rowid = OLD.id; {row}; END",
        "CREATE TRIGGER question_search_delete AFTER DELETE ON questions "
        "BEGIN DELETE FROM question_search WHERE rowid = OLD.id; END",
    ]
    if translations:
        statements += [_sqlite_translation_trigger(event, select_) for event in _EVENTS]
    return statements


_EVENTS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}


def _sqlite_translation_trigger(event: str, select_: str) -> str:
    """A trigger that rebuilds a question's search row when a translation of it changes."""
    row = _EVENTS[event]
    source = (
        "questions q JOIN question_versions v ON v.id = q.current_version_id "
        f"WHERE q.id = {row}.question_id"
    )
    rebuild = select_.format(id="q.id", key="q.key", source=source)
    return (
        f"CREATE TRIGGER question_search_translation_{event} AFTER {event.upper()} ON "
        f"question_translations BEGIN DELETE FROM question_search WHERE rowid = "
        f"{row}.question_id; {rebuild}; END"
    )


def _sqlite_fill(translations: bool) -> str:
    """Fill the index from every question's current version."""
    return _sqlite_select(translations).format(
        id="q.id",
        key="q.key",
        source="questions q JOIN question_versions v ON v.id = q.current_version_id",
    )


SQLITE_CREATE = _sqlite_create(translations=True)
SQLITE_FILL = _sqlite_fill(translations=True)
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS question_search_insert",
    "DROP TRIGGER IF EXISTS question_search_update",
    "DROP TRIGGER IF EXISTS question_search_delete",
    *(f"DROP TRIGGER IF EXISTS question_search_translation_{event}" for event in _EVENTS),
    "DROP TABLE IF EXISTS question_search",
]

# --- PostgreSQL --------------------------------------------------------------------------

_PG_TRANSLATIONS = """(
            SELECT string_agg(j.value #>> '{}', ' ')
            FROM question_translations t
            CROSS JOIN LATERAL jsonb_path_query(CAST(t.fields AS jsonb), 'strict $.**') j(value)
            WHERE t.question_id = q.id AND jsonb_typeof(j.value) = 'string'
        )"""


def _pg_rows(translations: bool) -> str:
    """The SELECT of search rows (`rest` holds the translations' texts, with them)."""
    texts = f", {_PG_TRANSLATIONS}" if translations else ""
    return """
    SELECT q.id, q.bank_id, parts.head, v.stem, parts.rest, pairs.found,
           setweight(to_tsvector('english', parts.head), 'A')
           || setweight(to_tsvector('english', v.stem), 'B')
           || setweight(to_tsvector('english', parts.rest), 'C')
    FROM questions q
    JOIN question_versions v ON v.id = q.current_version_id
    CROSS JOIN LATERAL (SELECT
        concat_ws(' ', q.key, v.title, (
            SELECT string_agg(t.value, ' ') FROM json_array_elements_text(
                CASE WHEN json_typeof(v.tags) = 'array' THEN v.tags ELSE '[]'::json END) t
        )) AS head,
        concat_ws(' ', (
            SELECT string_agg(o.text || ' ' || o.feedback, ' ' ORDER BY o.position)
            FROM question_options o WHERE o.version_id = v.id
        ), v.explanation{texts}) AS rest
    ) parts
    CROSS JOIN LATERAL (SELECT parts.head || ' ' || v.stem || ' ' || parts.rest AS doc) whole
    CROSS JOIN LATERAL (SELECT CASE WHEN whole.doc ~ '[{cjk}]' THEN ARRAY(
        SELECT DISTINCT substr(whole.doc, i, 2)
        FROM generate_series(1, greatest(length(whole.doc) - 1, 0)) i
        WHERE substr(whole.doc, i, 2) ~ '^[{cjk}]{{2}}$'
    ) ELSE '{{}}'::text[] END AS found) pairs
""".format(cjk=f"{chr(_CJK_FIRST)}-{chr(_CJK_LAST)}", texts=texts)


_PG_INSERT = "INSERT INTO question_search (question_id, bank_id, head, stem, rest, pairs, document)"


def _postgres_create(translations: bool) -> list[str]:
    """The table, its indexes, and the triggers that keep it."""
    rows = _pg_rows(translations)
    statements = [
        "CREATE TABLE question_search ("
        " question_id integer PRIMARY KEY REFERENCES questions(id) ON DELETE CASCADE,"
        " bank_id integer NOT NULL,"
        " head text NOT NULL, stem text NOT NULL, rest text NOT NULL, pairs text[] NOT NULL,"
        " document tsvector NOT NULL)",
        "CREATE INDEX ix_question_search_document ON question_search USING gin (document)",
        "CREATE INDEX ix_question_search_pairs ON question_search USING gin (pairs)",
        "CREATE FUNCTION question_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        " IF TG_OP = 'UPDATE' AND NEW.current_version_id IS NOT DISTINCT FROM "
        "OLD.current_version_id"
        "  AND NEW.key = OLD.key AND NEW.bank_id = OLD.bank_id THEN RETURN NULL; END IF;"
        " DELETE FROM question_search WHERE question_id = NEW.id;"
        f" {_PG_INSERT} {rows} WHERE q.id = NEW.id;"
        " RETURN NULL; "
        "END $$",
        "CREATE TRIGGER question_search_refresh AFTER INSERT"
        " OR UPDATE OF current_version_id, key, bank_id"
        " ON questions FOR EACH ROW EXECUTE FUNCTION question_search_refresh()",
    ]
    if translations:
        statements += [
            "CREATE FUNCTION question_search_translations() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ DECLARE target integer; "
            "BEGIN "
            " IF TG_OP = 'DELETE' THEN target := OLD.question_id;"
            " ELSE target := NEW.question_id; END IF;"
            " DELETE FROM question_search WHERE question_id = target;"
            f" {_PG_INSERT} {rows} WHERE q.id = target;"
            " RETURN NULL; "
            "END $$",
            "CREATE TRIGGER question_search_translations AFTER INSERT OR UPDATE OR DELETE"
            " ON question_translations FOR EACH ROW"
            " EXECUTE FUNCTION question_search_translations()",
        ]
    return statements


POSTGRES_CREATE = _postgres_create(translations=True)
# The substring index needs pg_trgm; without it, substring searches scan the table.
POSTGRES_TRIGRAM = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_question_search_text ON question_search"
    " USING gin ((head || ' ' || stem || ' ' || rest) gin_trgm_ops)",
]
POSTGRES_FILL = f"{_PG_INSERT} {_pg_rows(translations=True)}"
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS question_search_translations ON question_translations",
    "DROP FUNCTION IF EXISTS question_search_translations()",
    "DROP TRIGGER IF EXISTS question_search_refresh ON questions",
    "DROP FUNCTION IF EXISTS question_search_refresh()",
    "DROP TABLE IF EXISTS question_search",
]


def create_index(connection: Connection, translations: bool = True, fill: bool = True) -> None:
    """Create the search index and its triggers, and fill it from the questions there are
    (unless not `fill`: the tests' copies of the bundled banks are searched only by the
    tests that ask for it, as filling takes seconds).

    `translations=False` builds the index as it was before translations existed (the
    migration that first made it runs before their table does)."""
    if connection.dialect.name == "postgresql":
        for statement in _postgres_create(translations):
            connection.exec_driver_sql(statement)
        _try_trigram_index(connection)
    else:
        for statement in _sqlite_create(translations):
            connection.exec_driver_sql(statement)
    if fill:
        fill_index(connection, translations)


def fill_index(connection: Connection, translations: bool = True) -> None:
    """Index every question with a current version (the index holds none of them yet)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"{_PG_INSERT} {_pg_rows(translations)}")
    else:
        connection.exec_driver_sql(_sqlite_fill(translations))


def _try_trigram_index(connection: Connection) -> None:
    """Add the pg_trgm index when the server has the extension (savepoint: a server
    without it, or a role not allowed to create it, keeps the rest of the migration)."""
    available = connection.exec_driver_sql(
        "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
    ).first()
    if available is None:
        return
    with connection.begin_nested():
        for statement in POSTGRES_TRIGRAM:
            connection.exec_driver_sql(statement)


def drop_index(connection: Connection) -> None:
    """Remove the search index and its triggers."""
    drops = POSTGRES_DROP if connection.dialect.name == "postgresql" else SQLITE_DROP
    for statement in drops:
        connection.exec_driver_sql(statement)


# --- matching ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A search as a subquery of (question id, rank): higher rank is a better match."""

    ids: Select[Any]


def terms(query: str) -> list[str]:
    """The words of a search, lower-cased, quotes and duplicates dropped, at most eight."""
    words = [w.strip("\"'").lower() for w in query.split()]
    return list(dict.fromkeys(w for w in words if w))[:_MAX_TERMS]


def _escape_like(word: str) -> str:
    """The word with LIKE wildcards taken literally (escape character `\\`)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def match(dialect: str, query: str, bank_id: int) -> Match | None:
    """The questions of a bank whose current version contains every word of `query`,
    ranked; None when the query has no words."""
    words = terms(query)
    if not words:
        return None
    if dialect == "postgresql":
        return _match_postgres(words, bank_id)
    return _match_sqlite(words, bank_id)


_FTS = table(
    SEARCH_TABLE,
    column("rowid", Integer()),
    *(
        column(name, Text())
        for name in (
            "key",
            "title",
            "tags",
            "stem",
            "options",
            "explanation",
            "translations",
            "pairs",
        )
    ),
)
_PG = table(
    SEARCH_TABLE,
    column("question_id", Integer()),
    column("bank_id", Integer()),
    column("head", Text()),
    column("stem", Text()),
    column("rest", Text()),
    column("pairs", ARRAY(Text())),
    column("document", TSVECTOR()),
)


def _cjk_pair(word: str) -> bool:
    """Whether the word is two CJK characters (indexed as a pair of its own)."""
    return len(word) == 2 and all(_CJK.match(ch) for ch in word)


def _match_sqlite(words: list[str], bank_id: int) -> Match:
    """FTS5 trigram MATCH for words of three characters or more and for pairs of CJK
    characters (the `pairs` column), LIKE for other short words."""
    fts = _FTS.c
    phrases = ['"' + w.replace('"', '""') + '"' for w in words if len(w) >= 3]
    phrases += [f'pairs : "{w}#"' for w in words if _cjk_pair(w)]
    where: list[ColumnElement[bool]] = []
    rank: ColumnElement[Any] = literal(0.0)
    if phrases:
        where.append(literal_column(SEARCH_TABLE).op("MATCH")(" AND ".join(phrases)))
        # bm25 is lower for better matches; weights: key, title, tags, stem, options,
        # explanation, translations, CJK pairs
        rank = -func.bm25(literal_column(SEARCH_TABLE), 10.0, 10.0, 6.0, 3.0, 1.0, 1.0, 1.0, 1.0)
    for word in (w for w in words if len(w) < 3):
        pattern = f"%{_escape_like(word)}%"
        head = or_(*(c.like(pattern, escape="\\") for c in (fts.key, fts.title, fts.tags)))
        stem = fts.stem.like(pattern, escape="\\")
        rest = or_(
            *(
                c.like(pattern, escape="\\")
                for c in (fts.options, fts.explanation, fts.translations)
            )
        )
        if not _cjk_pair(word):
            where.append(or_(head, stem, rest))
        rank = rank + case((head, 3.0), (stem, 1.0), else_=0.0)
    questions = table("questions", column("id", Integer()), column("bank_id", Integer()))
    found = (
        select(fts.rowid.label("id"), rank.label("rank"))
        .join(questions, questions.c.id == fts.rowid)
        .where(questions.c.bank_id == bank_id, *where)
    )
    return Match(found)


def _stop_words(words: list[str]) -> set[str]:
    """The words the English configuration drops (such as "the"): they are matched as
    text instead, or a search for them alone would find nothing."""
    if not words:
        return set()
    found = db.session.execute(
        text(
            "SELECT w FROM unnest(CAST(:words AS text[])) AS w"
            " WHERE numnode(to_tsquery('english', quote_literal(w) || ':*')) = 0"
        ),
        {"words": words},
    )
    return {row[0] for row in found}


def _match_postgres(words: list[str], bank_id: int) -> Match:
    """tsvector with English stems and prefixes for words of letters; ILIKE on the
    trigram-indexed text for the rest (Chinese, ids, numbers)."""
    pg = _PG.c
    letters = [w for w in words if _LETTERS.match(w) and not _CJK.search(w)]
    letters = [w for w in letters if w not in _stop_words(letters)]
    where: list[ColumnElement[bool]] = []
    rank: ColumnElement[Any] = literal(0.0)
    if letters:
        # Only letters reach to_tsquery, so the words cannot carry its operators.
        query = func.to_tsquery("english", " & ".join(f"'{w}':*" for w in letters))
        where.append(pg.document.op("@@")(query))
        rank = func.ts_rank(pg.document, query)
    # Written as the trigram index's expression, literally, so the planner can use it.
    whole = literal_column(
        "question_search.head || ' ' || question_search.stem || ' ' || question_search.rest",
        Text(),
    )
    for word in (w for w in words if w not in letters):
        pattern = f"%{_escape_like(word)}%"
        if _cjk_pair(word):
            where.append(pg.pairs.contains([word]))
        else:
            where.append(whole.ilike(pattern, escape="\\"))
        rank = rank + case(
            (pg.head.ilike(pattern, escape="\\"), 1.0),
            (pg.stem.ilike(pattern, escape="\\"), 0.4),
            else_=0.1,
        )
    found = select(pg.question_id.label("id"), rank.label("rank"))
    return Match(found.where(pg.bank_id == bank_id, *where))

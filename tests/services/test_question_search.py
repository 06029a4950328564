"""Searching the question list: full-text ranking, Chinese text, and an index that follows
every write (editor saves, imports, discarded changes). Runs on SQLite (FTS5 trigram)
and, with TEST_DATABASE_URL, on PostgreSQL (tsvector and pg_trgm)."""

from pathlib import Path

import pytest

from app.analytics import questions as question_views
from app.domain.records import OptionRecord, QuestionRecord
from app.models import Role
from app.services import authoring
from app.services.bank_import import ImportOptions, import_files

DATA = Path(__file__).resolve().parents[1] / "data" / "search"


@pytest.fixture
def trainer(reference, make_user):
    return make_user(role=Role.TRAINER)


@pytest.fixture
def bank(trainer):
    return authoring.save_bank(trainer, "search", "Search tests")


def choice(key: str, stem: str, *, title: str = "", explanation: str = "", options=(), tags=()):
    """A valid single-choice record with the given texts."""
    texts = list(options) or ["Yes", "No"]
    return QuestionRecord(
        id=key,
        type="single_choice",
        stem=stem,
        title=title,
        clauses=["8.2.4"],
        explanation=explanation,
        tags=list(tags),
        options=[OptionRecord(f"o{i}", t, i == 0) for i, t in enumerate(texts)],
    )


def keys(bank, q: str, **filters) -> list[str]:
    """The keys the list shows for a search, in its order (first page)."""
    page = question_views.question_page(bank.id, question_views.Filters(q=q, **filters))
    return [row.key for row in page.rows]


def test_a_word_in_the_title_ranks_above_the_same_word_in_the_explanation(trainer, bank):
    authoring.save_question(
        trainer,
        bank.id,
        choice("s-expl", "Which record is kept?", explanation="Capacity plans are reviewed."),
    )
    authoring.save_question(
        trainer, bank.id, choice("s-title", "Which plan is reviewed?", title="Capacity planning")
    )
    authoring.save_question(trainer, bank.id, choice("s-none", "Who approves a change?"))
    assert keys(bank, "capacity") == ["s-title", "s-expl"]


def test_every_word_must_match_and_options_and_tags_are_searched(trainer, bank):
    authoring.save_question(
        trainer,
        bank.id,
        choice("s-opt", "Pick one.", options=["Supplier contract", "Budget"], tags=["outsourcing"]),
    )
    authoring.save_question(trainer, bank.id, choice("s-other", "Supplier of what?"))
    assert keys(bank, "supplier contract") == ["s-opt"]
    assert keys(bank, "outsourcing") == ["s-opt"]  # a tag
    assert keys(bank, "s-opt") == ["s-opt"]  # ids are searched too


def test_search_words_are_data_not_query_syntax(trainer, bank):
    authoring.save_question(trainer, bank.id, choice("s-plain", "What is 100% availability?"))
    for odd in ('"', "100%", "a_b", "NOT OR AND", "'x':* | y", "*", "(", "%_"):
        page = question_views.question_page(bank.id, question_views.Filters(q=odd))
        assert page.total in (0, 1)
    assert keys(bank, "100%") == ["s-plain"]
    assert keys(bank, "what") == ["s-plain"]  # a word English search drops as too common


def test_chinese_words_of_two_and_four_characters_are_found(trainer, bank):
    authoring.save_question(
        trainer,
        bank.id,
        choice("s-zh", "组织应如何管理服务级别协议？", title="服务级别管理", tags=["复习"]),
    )
    authoring.save_question(trainer, bank.id, choice("s-zh2", "供应商合同应当定期评审。"))
    authoring.save_question(trainer, bank.id, choice("s-en", "Service level agreements."))
    assert keys(bank, "服务") == ["s-zh"]
    assert keys(bank, "服务级别") == ["s-zh"]
    assert keys(bank, "合同") == ["s-zh2"]
    assert keys(bank, "复习") == ["s-zh"]  # a Chinese tag
    assert keys(bank, "服务 service") == []  # both words must match the same question


def test_imported_chinese_and_english_questions_are_searchable(trainer, reference):
    files = [("mixed.yaml", (DATA / "mixed_languages.yaml").read_bytes())]
    assert import_files(trainer, files, ImportOptions()).ok
    bank = authoring.Bank.query.filter_by(code="search-mix").one()
    assert keys(bank, "变更") == ["sm-change-zh"]
    assert keys(bank, "供应商") == ["sm-change-zh"]  # an option's text
    assert keys(bank, "incidents") == ["sm-incident-en"]
    assert keys(bank, "urgency") == ["sm-incident-en"]  # the explanation


def test_the_index_follows_new_versions_and_discarded_changes(trainer, bank, make_user):
    question, _ = authoring.save_question(trainer, bank.id, choice("s-v", "About budgets."))
    authoring.transition(trainer, question.id, "submit")
    authoring.transition(make_user(role=Role.TRAINER), question.id, "approve")
    authoring.save_question(trainer, bank.id, choice("s-v", "About continuity."), question.id)
    assert keys(bank, "continuity") == ["s-v"] and keys(bank, "budgets") == []
    authoring.transition(trainer, question.id, "discard")
    assert keys(bank, "budgets") == ["s-v"] and keys(bank, "continuity") == []


def test_search_combines_with_filters_and_pages(trainer, bank):
    for n in range(55):
        authoring.save_question(trainer, bank.id, choice(f"s-{n:02d}", f"Audit finding {n}"))
    authoring.save_question(trainer, bank.id, choice("s-x", "Unrelated"))
    first = question_views.question_page(bank.id, question_views.Filters(q="audit"))
    second = question_views.question_page(bank.id, question_views.Filters(q="audit"), page=2)
    assert first.total == 55 and first.pages == 2 and len(second.rows) == 5
    assert not {r.key for r in first.rows} & {r.key for r in second.rows}
    assert keys(bank, "audit", status="published") == []

"""Reference texts in several languages: a Wording is its English text and keeps its
translations; `localized` picks the reader's language and falls back to English."""

from __future__ import annotations

import copy

import flask_babel
import pandas as pd
import pytest

from app.domain.blueprint import parse_blueprint
from app.domain.messages import Message
from app.domain.wording import (
    Wording,
    content_language,
    in_language,
    listed,
    translated,
    wording,
)
from app.localized import localized
from app.messages import render, render_cells

CHANGE = Wording("Change management", {"zh-Hans": "变更管理"})


def test_a_wording_is_its_english_text_wherever_a_string_is_expected():
    assert CHANGE == "Change management" and hash(CHANGE) == hash("Change management")
    assert f"{CHANGE}" == "Change management" and sorted([CHANGE, "Asset"])[0] == "Asset"
    assert CHANGE.in_language("zh-Hans") == "变更管理"
    assert CHANGE.in_language("fr") == "Change management"
    assert copy.deepcopy(CHANGE).in_language("zh-Hans") == "变更管理"


@pytest.mark.parametrize(
    ("language", "script", "tag"),
    [("zh", None, "zh-Hans"), ("zh", "Hans", "zh-Hans"), ("en", None, "en"), ("fr", None, "en")],
)
def test_a_babel_locale_reads_the_content_language_it_has(language, script, tag):
    assert content_language(language, script) == tag


def test_a_row_gives_each_field_in_a_language_or_in_english():
    translations = {"zh-Hans": {"title": "基础级", "disclaimer": ""}, "xx": "broken"}
    assert translated("Foundation", translations, "title", "zh-Hans") == "基础级"
    assert translated("Not official", translations, "disclaimer", "zh-Hans") == "Not official"
    assert translated("Foundation", translations, "title", "xx") == "Foundation"
    assert translated("Foundation", None, "title", "zh-Hans") == "Foundation"
    assert wording("Foundation", translations).translations == {"zh-Hans": "基础级"}


def test_localized_reads_rows_mappings_wordings_and_plain_values():
    row = {"title": "Scope", "translations": {"zh-Hans": {"title": "范围"}}}
    assert localized(row, "title", "zh-Hans") == "范围"
    assert localized(row, "title", "en") == "Scope"
    assert localized(CHANGE, language="zh-Hans") == "变更管理"
    assert localized("plain", language="zh-Hans") == "plain"
    assert localized(None, language="zh-Hans") == ""


def test_a_list_of_titles_is_written_in_each_language():
    both = listed([CHANGE, Wording("Problem management", {"zh-Hans": "问题管理"})])
    assert both == "Change management, Problem management"
    assert both.in_language("zh-Hans") == "变更管理、问题管理"
    assert listed([CHANGE, "Other"]).in_language("zh-Hans") == "变更管理、Other"


def test_section_titles_of_a_blueprint_carry_their_translations():
    data = {"sections": [{"id": "ops", "title": "Operation", "clauses": ["8"], "items": 1}]}
    plain = parse_blueprint(data).sections[0].title
    given = parse_blueprint(data, {"ops": {"zh-Hans": {"title": "运行"}}}).sections[0].title
    assert (in_language(plain, "zh-Hans"), in_language(given, "zh-Hans")) == ("Operation", "运行")


def test_messages_and_exported_cells_give_wordings_in_the_readers_language(app):
    message = Message("coverage.section", {"section": CHANGE, "needed": 2, "available": 1})
    frame = pd.DataFrame({"scheme": pd.Series([CHANGE], dtype=object), "n": [1]})
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        assert render(message).startswith("变更管理：")  # the catalogue's full-width colon
        assert render_cells(frame)["scheme"].tolist() == ["变更管理"]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        flask_babel.refresh()
        assert render(message).startswith("Change management:")
        assert render_cells(frame)["scheme"].tolist() == ["Change management"]

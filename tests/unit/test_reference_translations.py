"""The reference data speaks Simplified Chinese: every clause of both editions, every
scheme and section has a zh-Hans title in the glossary's terms, and the schemas refuse
a translation they do not know, saying where."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from app.domain.glossary import avoided_in
from tests.unit.test_reference_data import SCHEMES, errors, load, tree

HAN = re.compile(r"[\u4e00-\u9fff]")


def _clauses(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every clause of a tree, depth first."""
    return [c for node in nodes for c in [node, *_clauses(node["children"])]]


def _chinese(fields: dict[str, Any], name: str = "title") -> str:
    """The zh-Hans text of one field; fails when it is missing or not Chinese."""
    text = fields["translations"]["zh-Hans"][name]
    assert isinstance(text, str) and HAN.search(text), (fields.get("number"), name, text)
    return text


@pytest.mark.parametrize("edition", ["2018", "2011"])
def test_every_clause_and_the_standard_have_a_chinese_title(edition: str) -> None:
    data = tree(edition)
    assert _chinese(data) == "信息技术 服务管理 第1部分：服务管理体系要求"
    clauses = _clauses(data["clauses"])
    assert len(clauses) > 50
    for clause in clauses:
        _chinese(clause)


def test_the_2018_titles_follow_the_harmonized_structure() -> None:
    titles = {c["number"]: _chinese(c) for c in _clauses(tree("2018")["clauses"])}
    assert titles["4.2"] == "理解相关方的需求和期望"
    assert titles["5.3"] == "组织的岗位、职责和权限"
    assert titles["6.1"] == "应对风险和机遇的措施"
    assert titles["7.5"] == "成文信息"
    assert titles["8.5.1"] == "变更管理"
    assert titles["8.6.1"] == "事件管理"
    assert titles["9.1"] == "监视、测量、分析和评价"
    assert titles["10.1"] == "不符合和纠正措施"


@pytest.mark.parametrize("name", ["foundation", "practitioner", "auditor"])
def test_every_scheme_and_section_has_chinese_wording(name: str) -> None:
    scheme = load(SCHEMES / f"{name}.yaml")
    for field in ("title", "disclaimer", "description"):
        _chinese(scheme, field)
    assert "并非官方考试" in scheme["translations"]["zh-Hans"]["disclaimer"]
    titles = [_chinese(section) for section in scheme["sections"]]
    assert len(titles) == len(set(titles))


def test_no_chinese_title_uses_a_rendering_the_glossary_avoids() -> None:
    texts = [_chinese(c) for e in ("2018", "2011") for c in _clauses(tree(e)["clauses"])]
    for name in ("foundation", "practitioner", "auditor"):
        scheme = load(SCHEMES / f"{name}.yaml")
        texts += [_chinese(scheme, f) for f in ("title", "disclaimer", "description")]
        texts += [_chinese(s) for s in scheme["sections"]]
    wrong = [(text, use.avoid.text) for text in texts for use in avoided_in(text)]
    assert wrong == []
    assert [use.avoid.text for use in avoided_in("服务管理系统的审计")] == ["服务管理系统", "审计"]


def test_the_standard_schema_refuses_an_unknown_language_saying_where() -> None:
    data = copy.deepcopy(tree("2018"))
    data["clauses"][3]["children"][1]["translations"]["zh-CN"] = {"title": "相关方"}
    assert errors("standard", data) == [
        "clauses/3/children/1/translations: Additional properties are not allowed "
        "('zh-CN' was unexpected)"
    ]


def test_the_standard_schema_refuses_a_title_that_is_not_text_saying_where() -> None:
    data = copy.deepcopy(tree("2011"))
    data["clauses"][0]["translations"]["zh-Hans"]["title"] = 3
    assert errors("standard", data) == [
        "clauses/0/translations/zh-Hans/title: 3 is not of type 'string'"
    ]


def test_the_scheme_schema_refuses_unknown_languages_and_fields_saying_where() -> None:
    data = copy.deepcopy(load(SCHEMES / "foundation.yaml"))
    data["sections"][2]["translations"] = {"zh": {"title": "策划和支持"}}
    data["translations"]["zh-Hans"]["title"] = ["基础级"]
    data["translations"]["zh-Hans"]["summary"] = "多余"
    assert sorted(errors("scheme", data)) == [
        "sections/2/translations: Additional properties are not allowed ('zh' was unexpected)",
        "translations/zh-Hans/title: ['基础级'] is not of type 'string'",
        "translations/zh-Hans: Additional properties are not allowed ('summary' was unexpected)",
    ]


def test_a_scheme_translation_must_carry_the_disclaimer() -> None:
    data = copy.deepcopy(load(SCHEMES / "auditor.yaml"))
    del data["translations"]["zh-Hans"]["disclaimer"]
    assert errors("scheme", data) == ["translations/zh-Hans: 'disclaimer' is a required property"]

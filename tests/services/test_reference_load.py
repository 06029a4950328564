"""Reloading reference data makes the stored mapping what the files say, not a union."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.errors import InvalidInput
from app.extensions import db
from app.models import Clause, ClauseMapping, Edition, Scheme
from app.services.reference import load_reference_data

BUNDLED = Path(__file__).resolve().parents[2] / "question_banks"


def _pairs() -> dict[tuple[str, str], str]:
    """Each stored (2011 clause, 2018 clause) pair with its note."""
    numbers = {c.id: c.number for c in db.session.scalars(db.select(Clause))}
    return {
        (numbers[m.from_clause_id], numbers[m.to_clause_id]): m.note
        for m in db.session.scalars(db.select(ClauseMapping))
    }


def test_a_mapping_dropped_from_the_file_is_dropped_on_reload(app, tmp_path):
    root = tmp_path / "question_banks"
    shutil.copytree(BUNDLED / "standards", root / "standards")
    shutil.copytree(BUNDLED / "schemes", root / "schemes")
    load_reference_data(root)
    assert ("6.1", "8.2.4") in _pairs()

    mapping_file = root / "standards" / "mapping-2011-2018.yaml"
    data = yaml.safe_load(mapping_file.read_text(encoding="utf-8"))
    for entry in data["mappings"]:
        if entry["from"] == "6.1":
            entry["to"] = ["8.3.3"]
            entry["note"] = "Service level management only."
    mapping_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    load_reference_data(root)

    pairs = _pairs()
    assert ("6.1", "8.2.4") not in pairs
    assert pairs[("6.1", "8.3.3")] == "Service level management only."
    assert ("4.5.2", "6.1") in pairs


def _copy(tmp_path: Path) -> Path:
    """A copy of the bundled standards and schemes to edit."""
    root = tmp_path / "question_banks"
    shutil.copytree(BUNDLED / "standards", root / "standards")
    shutil.copytree(BUNDLED / "schemes", root / "schemes")
    return root


def _edit(path: Path, change) -> None:
    """Rewrite one YAML file with `change` applied to its data."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _clause(number: str, edition: str = "2018") -> Clause:
    return db.session.scalars(
        db.select(Clause).join(Edition).where(Clause.number == number, Edition.code == edition)
    ).one()


def test_translations_are_stored_with_their_rows_and_reloading_updates_them(app, tmp_path):
    root = _copy(tmp_path)
    load_reference_data(root)
    assert _clause("8.5.1").translations == {"zh-Hans": {"title": "变更管理"}}
    assert _clause("9.2", "2011").translations == {"zh-Hans": {"title": "变更管理"}}
    edition = db.session.scalars(db.select(Edition).where(Edition.code == "2018")).one()
    assert edition.translations["zh-Hans"]["title"].startswith("信息技术")
    scheme = db.session.scalars(db.select(Scheme).where(Scheme.code == "foundation")).one()
    assert scheme.translations["zh-Hans"]["title"] == "ISO/IEC 20000-1 基础级模拟考试"
    assert scheme.section_translations["operation"] == {"zh-Hans": {"title": "服务管理体系的运行"}}

    def reword(data):
        data["clauses"][7]["children"][4]["children"][0]["translations"]["zh-Hans"]["title"] = (
            "变更的管理"
        )

    def retitle(data):
        data["translations"]["zh-Hans"]["title"] = "基础级模拟考试"
        del data["sections"][0]["translations"]

    _edit(root / "standards" / "iso20000-1-2018.yaml", reword)
    _edit(root / "schemes" / "foundation.yaml", retitle)
    load_reference_data(root)
    db.session.expire_all()
    assert _clause("8.5.1").translations == {"zh-Hans": {"title": "变更的管理"}}
    scheme = db.session.scalars(db.select(Scheme).where(Scheme.code == "foundation")).one()
    assert scheme.translations["zh-Hans"]["title"] == "基础级模拟考试"
    assert "series-terms" not in scheme.section_translations


def test_the_stored_blueprint_leaves_the_wording_out_but_its_sections_carry_it(app, tmp_path):
    load_reference_data(_copy(tmp_path))
    scheme = db.session.scalars(db.select(Scheme).where(Scheme.code == "auditor")).one()
    assert "translations" not in scheme.blueprint
    assert all("translations" not in s for s in scheme.blueprint["sections"])
    first = scheme.exam_blueprint.sections[0]
    assert first.title == "Multiple choice"
    assert first.title.in_language("zh-Hans") == "选择题"
    scheme.section_translations = {"multiple-choice": {"zh-Hans": {"title": "单项选择"}}}
    assert scheme.exam_blueprint.sections[0].title.in_language("zh-Hans") == "单项选择"


def test_a_file_its_schema_refuses_changes_nothing_and_says_where(app, tmp_path):
    root = _copy(tmp_path)
    load_reference_data(root)

    def unknown_language(data):
        data["clauses"][0]["translations"]["zh-TW"] = {"title": "範圍"}
        data["clauses"][1]["translations"]["zh-Hans"]["title"] = "规范性引用"

    _edit(root / "standards" / "iso20000-1-2018.yaml", unknown_language)
    with pytest.raises(InvalidInput) as refused:
        load_reference_data(root)
    assert refused.value.message == (
        "iso20000-1-2018.yaml, at $.clauses[0].translations: Additional properties are not "
        "allowed ('zh-TW' was unexpected)"
    )
    assert _clause("2").translations == {"zh-Hans": {"title": "规范性引用文件"}}

    def not_text(data):
        data["sections"][1]["translations"]["zh-Hans"]["title"] = 5

    shutil.copy(BUNDLED / "standards" / "iso20000-1-2018.yaml", root / "standards")
    _edit(root / "schemes" / "practitioner.yaml", not_text)
    with pytest.raises(InvalidInput, match=r"practitioner\.yaml, at .*sections\[1\]"):
        load_reference_data(root)

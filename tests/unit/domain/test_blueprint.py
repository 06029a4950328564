"""A blueprint is parsed and checked once; every reader gets the same typed facts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.domain.blueprint import BlueprintError, parse_blueprint

SCHEMES = Path(__file__).resolve().parents[3] / "question_banks" / "schemes"


def test_bundled_blueprints_parse_with_their_item_counts():
    for path in sorted(SCHEMES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        plan = parse_blueprint(data)
        assert plan.item_count == data["items"], path.name
        assert plan.levels == tuple(data["levels"]) and plan.pass_mark == data["pass_mark"]


def test_levels_fall_back_to_the_single_level_then_any():
    one = parse_blueprint({"level": "auditor", "sections": []})
    assert one.levels == ("auditor",) and one.allows_level("auditor")
    assert not one.allows_level("foundation")
    assert parse_blueprint({"sections": []}).allows_level("anything")


def test_section_types_default_to_the_blueprint_allowed_types():
    plan = parse_blueprint(
        {
            "allowed_types": ["single_choice", "true_false"],
            "sections": [
                {"id": "a", "clauses": ["4"], "items": 2},
                {"id": "b", "clauses": ["8.5"], "items": 1, "types": ["essay"], "min_score": 0.5},
            ],
        }
    )
    a, b = plan.sections
    assert a.types == {"single_choice", "true_false"} and a.title == "a" and a.min_score is None
    assert b.types == {"essay"} and b.clauses == ("8.5",) and b.min_score == 0.5


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"sections": "4, 5"}, "sections_not_list"),
        ({"sections": [{"clauses": ["4"], "items": 1}]}, "section_without_id"),
        ({"sections": [{"id": "a", "items": "ten"}]}, "section_items"),
        ({"sections": [{"id": "a", "items": -1}]}, "section_items"),
        ({"sections": [{"id": "a", "clauses": "4", "items": 1}]}, "section_clauses"),
        ({"sections": [{"id": "a", "items": 1}, {"id": "a", "items": 1}]}, "duplicate_section"),
        ({"pass_mark": 65, "sections": []}, "share_out_of_range"),
        ({"sections": [{"id": "a", "items": 1, "min_score": 1.5}]}, "share_out_of_range"),
        ({"allowed_types": "essay", "sections": []}, "types_not_list"),
        ({"levels": "foundation", "sections": []}, "levels_not_list"),
    ],
)
def test_unusable_blueprints_are_refused_with_a_code(data, code):
    with pytest.raises(BlueprintError) as caught:
        parse_blueprint(data)
    assert caught.value.code == code


def test_loading_a_scheme_with_an_unusable_blueprint_changes_nothing(app, tmp_path):
    from sqlalchemy import func, select

    from app.errors import InvalidInput
    from app.extensions import db
    from app.models import Scheme
    from app.services.reference import load_reference_data

    (tmp_path / "schemes").mkdir()
    bad = {"id": "broken", "title": "Broken", "level": "foundation", "duration_minutes": 10}
    bad |= {"items": 1, "pass_mark": 0.5, "sections": [{"id": "a", "items": "one"}]}
    (tmp_path / "schemes" / "broken.yaml").write_text(yaml.safe_dump(bad), encoding="utf-8")
    with app.app_context():
        with pytest.raises(InvalidInput, match=r"broken\.yaml"):
            load_reference_data(tmp_path)
        assert db.session.scalar(select(func.count()).select_from(Scheme)) == 0

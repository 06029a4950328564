"""Reloading reference data makes the stored mapping what the files say, not a union."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from app.extensions import db
from app.models import Clause, ClauseMapping
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

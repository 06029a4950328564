"""Loading the reference data of question_banks/ (clause trees, mappings, schemes)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from flask_babel import gettext as _
from sqlalchemy import select

from app.domain.blueprint import BlueprintError, parse_blueprint
from app.domain.records import clause_sort_key
from app.errors import InvalidInput
from app.extensions import db
from app.models import Clause, ClauseMapping, Edition, Scheme


@dataclass
class LoadReport:
    """What a reference load added or changed."""

    editions: int = 0
    clauses: int = 0
    mappings: int = 0
    schemes: int = 0

    def __str__(self) -> str:
        return (
            f"{self.editions} editions, {self.clauses} clauses, "
            f"{self.mappings} mappings, {self.schemes} schemes"
        )


sort_key = clause_sort_key
# The schemas of question_banks/schema describe what this code reads, whichever folder
# the data is loaded from.
SCHEMAS = Path(__file__).resolve().parents[2] / "question_banks" / "schema"


def _walk(
    nodes: list[dict[str, Any]], parent: str | None = None
) -> Iterator[tuple[dict, str | None]]:
    """Every node of a clause tree with its parent's number, parents first."""
    for node in nodes:
        yield node, parent
        yield from _walk(node.get("children") or [], str(node["number"]))


def _load_edition(data: dict[str, Any], report: LoadReport) -> None:
    """Insert or update one edition and its clause tree."""
    code = str(data["edition"])
    edition = db.session.scalars(select(Edition).where(Edition.code == code)).first()
    if edition is None:
        edition = Edition(code=code, title=data.get("title", code))
        db.session.add(edition)
        report.editions += 1
    edition.title = data.get("title", code)
    edition.translations = data.get("translations") or {}
    db.session.flush()
    existing = {
        c.number: c
        for c in db.session.scalars(select(Clause).where(Clause.edition_id == edition.id))
    }
    for node, parent in _walk(data["clauses"]):
        number = str(node["number"])
        clause = existing.get(number)
        if clause is None:
            clause = Clause(edition_id=edition.id, number=number)
            db.session.add(clause)
            existing[number] = clause
            report.clauses += 1
        clause.title = node["title"]
        clause.translations = node.get("translations") or {}
        clause.depth = number.count(".") + 1
        clause.sort_key = sort_key(number)
        db.session.flush()
        clause.parent_id = existing[parent].id if parent else None


def _clause_ids(edition_code: str) -> dict[str, int]:
    """Clause number → id for one edition."""
    stmt = select(Clause.number, Clause.id).join(Edition).where(Edition.code == edition_code)
    return {number: cid for number, cid in db.session.execute(stmt)}


def _load_mapping(data: dict[str, Any], report: LoadReport) -> None:
    """Make the mappings between two editions what the file says: add, update, drop."""
    sources = _clause_ids(str(data["from_edition"]))
    targets = _clause_ids(str(data["to_edition"]))
    wanted = {
        (sources[str(entry["from"])], targets[str(target)]): entry.get("note", "")
        for entry in data["mappings"]
        for target in entry["to"]
    }
    source_ids = set(sources.values())
    have = {
        (m.from_clause_id, m.to_clause_id): m
        for m in db.session.scalars(select(ClauseMapping))
        if m.from_clause_id in source_ids
    }
    for pair, mapping in have.items():
        if pair not in wanted:
            db.session.delete(mapping)
    for pair, note in wanted.items():
        if pair in have:
            have[pair].note = note
        else:
            db.session.add(ClauseMapping(from_clause_id=pair[0], to_clause_id=pair[1], note=note))
            report.mappings += 1


def _load_scheme(data: dict[str, Any], report: LoadReport) -> None:
    """Insert or update one qualification scheme."""
    scheme = db.session.scalars(select(Scheme).where(Scheme.code == data["id"])).first()
    if scheme is None:
        scheme = Scheme(code=data["id"])
        db.session.add(scheme)
        report.schemes += 1
    scheme.title = data["title"]
    scheme.level = data["level"]
    scheme.disclaimer = data.get("disclaimer", "")
    scheme.duration_minutes = int(data["duration_minutes"])
    scheme.item_count = int(data["items"])
    scheme.pass_mark = float(data["pass_mark"])
    scheme.review_policy = data.get("review", "immediately")
    scheme.translations = data.get("translations") or {}
    scheme.section_translations = {
        str(s["id"]): s["translations"] for s in data.get("sections") or [] if s.get("translations")
    }
    scheme.blueprint = _without_translations(data)


def _without_translations(data: dict[str, Any]) -> dict[str, Any]:
    """The scheme's data without its wording in other languages: the stored blueprint,
    which calibrations and kept results compare, stays the same when a title is reworded."""
    blueprint = {k: v for k, v in data.items() if k != "translations"}
    if isinstance(data.get("sections"), list):
        blueprint["sections"] = [
            {k: v for k, v in s.items() if k != "translations"} if isinstance(s, dict) else s
            for s in data["sections"]
        ]
    return blueprint


def _yaml_files(folder: Path) -> list[Path]:
    """The YAML files of a folder, sorted; none if the folder is missing."""
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


@cache
def _validator(name: str) -> Any:
    """The validator of one schema of question_banks/schema (standard, mapping, scheme)."""
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    return jsonschema.validators.validator_for(schema)(schema)


def _position(error: Any) -> list[str]:
    """Where a schema error lies, sortable: list indexes compare as numbers."""
    return [f"{p:09d}" if isinstance(p, int) else str(p) for p in error.path]


def _checked(path: Path, schema: str) -> dict[str, Any]:
    """A reference file's data; InvalidInput names the file and the first place (by
    position) that its schema rejects."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = sorted(_validator(schema).iter_errors(data), key=_position)
    if found:
        db.session.rollback()
        raise InvalidInput(
            _(
                "%(file)s, at %(where)s: %(problem)s",
                file=path.name,
                where=found[0].json_path,
                problem=found[0].message,
            )
        )
    return data


def load_reference_data(root: Path) -> LoadReport:
    """Load standards, mappings and schemes from `root`; safe to run again (one commit).

    Every file is checked against its schema first: a file it rejects changes nothing.
    """
    report = LoadReport()
    documents = [
        _checked(p, "mapping" if p.name.startswith("mapping-") else "standard")
        for p in _yaml_files(root / "standards")
    ]
    schemes = [(p, _checked(p, "scheme")) for p in _yaml_files(root / "schemes")]
    for data in documents:
        if "clauses" in data:
            _load_edition(data, report)
    db.session.flush()
    for data in documents:
        if "mappings" in data:
            _load_mapping(data, report)
    for path, data in schemes:
        try:
            parse_blueprint(data)
        except BlueprintError as error:
            db.session.rollback()
            raise InvalidInput(
                _(
                    "%(file)s: the blueprint cannot be used (%(problem)s).",
                    file=path.name,
                    problem=error,
                )
            ) from error
        _load_scheme(data, report)
    db.session.commit()
    return report


def clause_numbers_from_files(root: Path, edition: str = "2018") -> set[str]:
    """Clause numbers of an edition read straight from the clause-tree files (no database)."""
    for path in _yaml_files(root / "standards"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "clauses" in data and str(data["edition"]) == edition:
            return {str(node["number"]) for node, _parent in _walk(data["clauses"])}
    return set()

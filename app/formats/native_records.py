"""The native bank shape in both directions: plain data to records, records to data."""

from __future__ import annotations

from typing import Any

from app.domain.messages import Message
from app.domain.records import (
    BANK_FIELDS,
    COMBINED_FEEDBACK,
    BankRecord,
    HintRecord,
    Location,
    OptionRecord,
    PairRecord,
    QuestionRecord,
    RubricCriterion,
    ScenarioRecord,
    StepRecord,
)
from app.formats import native_translations, type_formats
from app.formats.native_fields import (
    BANK_KEYS,
    CRITERION_KEYS,
    FIELD_KEYS,
    FORMAT,
    HINT_KEYS,
    OPTION_KEYS,
    PAIR_KEYS,
    QUESTION_KEYS,
    SCENARIO_KEYS,
    STEP_KEYS,
    TOP_KEYS,
    FieldReader,
)
from app.formats.native_lines import Path


def bank_from_data(reader: FieldReader) -> BankRecord:
    """Read a whole bank from the reader's data, reporting what is wrong."""
    data = reader.data
    if not isinstance(data, dict):
        reader.report((), Message("native.not_a_mapping"))
        return BankRecord(id="", title="")
    reader.check_keys(data, (), TOP_KEYS)
    if data.get("format") is not None and data.get("format") != FORMAT:
        found = repr(data.get("format"))
        reader.report(("format",), Message("native.format", {"format": FORMAT, "found": found}))
    meta = data.get("bank")
    if not isinstance(meta, dict):
        no_bank = Message("native.no_bank")
        message = no_bank if meta is None else Message("native.bank_not_mapping")
        reader.report(("bank",) if "bank" in data else (), message)
        meta = {}
    else:
        reader.check_keys(meta, ("bank",), BANK_KEYS)
    bank = _bank_meta(reader, meta, required=bool(meta))
    bank.scenarios = [
        _scenario(reader, s, p, bank.language) for s, p in reader.records(data, (), "scenarios")
    ]
    if "questions" not in data:
        reader.report((), Message("native.no_questions"))
    for item, path in reader.records(data, (), "questions"):
        bank.questions.append(_question(reader, item, path, bank))
    return bank


def _bank_meta(reader: FieldReader, meta: dict[str, Any], required: bool) -> BankRecord:
    """The bank's own fields."""
    path: Path = ("bank",)
    bank = BankRecord(
        id=reader.text(meta, path, "id", required=required) or "",
        title=reader.text(meta, path, "title", required=required) or "",
        language=reader.text(meta, path, "language", "en") or "en",
        licence=reader.text(meta, path, "licence") or "",
        edition=reader.text(meta, path, "edition", "2018") or "2018",
        description=reader.text(meta, path, "description") or "",
    )
    bank.given = {name for name in BANK_FIELDS if name in meta}
    return bank


def _scenario(
    reader: FieldReader, item: dict[str, Any], path: Path, language: str
) -> ScenarioRecord:
    """One shared case text, with its translations."""
    reader.check_keys(item, path, (*SCENARIO_KEYS, "translations"))
    key, title, text = (reader.text(item, path, k, required=True) or "" for k in SCENARIO_KEYS)
    scenario = ScenarioRecord(key, title, text)
    scenario.translations = native_translations.read_scenario(
        reader, item, path, scenario, language
    )
    return scenario


def _question(
    reader: FieldReader, item: dict[str, Any], path: Path, bank: BankRecord
) -> QuestionRecord:
    """One question: the fields every question shares, then those its type reads."""
    kind = type_formats.hooks(item["type"] if isinstance(item.get("type"), str) else "")
    reader.check_keys(item, path, QUESTION_KEYS + FIELD_KEYS + kind.native_keys)

    def text(key: str, default: str = "") -> str:
        return reader.text(item, path, key, default, required=key in ("id", "type", "stem")) or ""

    q = QuestionRecord(id=text("id"), type=text("type"), stem=text("stem"))
    q.level, q.edition, q.title = (
        text("level", "foundation"),
        text("edition", bank.edition),
        text("title"),
    )
    q.clauses = reader.texts(item, path, "clauses", clauses=True)
    q.difficulty = reader.integer(item, path, "difficulty", 2)
    q.cognitive = reader.text(item, path, "cognitive", None)
    q.explanation, q.tags = text("explanation"), reader.texts(item, path, "tags")
    q.scenario = reader.text(item, path, "scenario", None)
    for name in COMBINED_FEEDBACK:
        setattr(q, name, text(name))
    q.hints = [_hint(reader, h, p) for h, p in reader.records(item, path, "hints")]
    fields = kind.read_native(reader, item, path) if kind.read_native is not None else {}
    default_marks = fields.pop("marks", 1.0)
    fields |= _stray_fields(reader, item, path, kind)
    for key, value in fields.items():
        if key in FIELD_KEYS:
            setattr(q, key, value)
        else:
            q.data[key] = value
    q.marks = reader.number(item, path, "marks", default_marks)
    q.location = Location(file=reader.source, line=reader.source_map.line(path))
    q.translations = native_translations.read_question(reader, item, path, q, bank.language)
    return q


def _stray_fields(
    reader: FieldReader, item: dict[str, Any], path: Path, kind: type_formats.TypeFormats
) -> dict[str, Any]:
    """Record fields another type owns, read by that type, so validation names them.

    A single-choice question with `answers:` keeps them, and `validate_bank` says that
    the type does not use answers, rather than the reader calling the field unknown.
    """
    found: dict[str, Any] = {}
    for key in FIELD_KEYS:
        if key not in item or key in kind.native_keys or key in found:
            continue
        owner = type_formats.native_owner(key)
        if owner is None or owner.read_native is None:
            continue
        read = owner.read_native(reader, item, path)
        stray = [k for k in owner.native_keys if k in item and k not in kind.native_keys]
        found |= {k: read[k] for k in stray if k in read}
    return found


def read_options(reader: FieldReader, item: dict[str, Any], path: Path) -> list[OptionRecord]:
    """The options of a choice question."""
    return [_option(reader, o, p) for o, p in reader.records(item, path, "options")]


def read_pairs(reader: FieldReader, item: dict[str, Any], path: Path) -> list[PairRecord]:
    """The prompts of a matching question and their matches."""
    return [_pair(reader, o, p) for o, p in reader.records(item, path, "pairs")]


def read_steps(reader: FieldReader, item: dict[str, Any], path: Path) -> list[StepRecord]:
    """The steps of an ordering question, in the correct order."""
    return [_step(reader, o, p) for o, p in reader.records(item, path, "steps")]


def read_rubric(reader: FieldReader, item: dict[str, Any], path: Path) -> list[RubricCriterion]:
    """The rubric lines of an essay."""
    return [_criterion(reader, o, p) for o, p in reader.records(item, path, "rubric")]


def read_text(reader: FieldReader, item: dict[str, Any], path: Path, key: str) -> str:
    """An optional text field, '' when absent."""
    return reader.text(item, path, key) or ""


def _option(reader: FieldReader, item: dict[str, Any], path: Path) -> OptionRecord:
    """One option of a choice question."""
    reader.check_keys(item, path, OPTION_KEYS)
    return OptionRecord(
        id=reader.text(item, path, "id", required=True) or "",
        text=reader.text(item, path, "text", required=True) or "",
        correct=bool(reader.boolean(item, path, "correct", False)),
        feedback=reader.text(item, path, "feedback") or "",
    )


def _pair(reader: FieldReader, item: dict[str, Any], path: Path) -> PairRecord:
    """One prompt of a matching question and its match."""
    reader.check_keys(item, path, PAIR_KEYS)
    return PairRecord(*[reader.text(item, path, k, required=True) or "" for k in PAIR_KEYS])


def _step(reader: FieldReader, item: dict[str, Any], path: Path) -> StepRecord:
    """One step of an ordering question."""
    reader.check_keys(item, path, STEP_KEYS)
    return StepRecord(*[reader.text(item, path, k, required=True) or "" for k in STEP_KEYS])


def _hint(reader: FieldReader, item: dict[str, Any], path: Path) -> HintRecord:
    """One hint, with its options."""
    reader.check_keys(item, path, HINT_KEYS)
    return HintRecord(
        text=reader.text(item, path, "text", required=True) or "",
        show_num_correct=bool(reader.boolean(item, path, "show_num_correct", False)),
        clear_wrong=bool(reader.boolean(item, path, "clear_wrong", False)),
    )


def _criterion(reader: FieldReader, item: dict[str, Any], path: Path) -> RubricCriterion:
    """One line of an essay rubric."""
    reader.check_keys(item, path, CRITERION_KEYS)
    if item.get("marks") is None:
        reader.report(
            path, Message("native.missing", {"where": reader.where(path), "key": "marks"})
        )
    return RubricCriterion(
        criterion=reader.text(item, path, "criterion", required=True) or "",
        marks=reader.number(item, path, "marks", 0.0),
        guidance=reader.text(item, path, "guidance") or "",
    )


def plain_number(value: float) -> int | float:
    """2.0 as 2, so files show marks the way people write them."""
    return int(value) if float(value).is_integer() else value


def bank_to_data(bank: BankRecord) -> dict[str, Any]:
    """The native structure of a bank, leaving out empty and default fields."""
    meta = {"id": bank.id, "title": bank.title, "language": bank.language}
    meta |= {"licence": bank.licence} if bank.licence else {}
    meta |= {"edition": bank.edition}
    meta |= {"description": bank.description} if bank.description else {}
    data: dict[str, Any] = {"format": FORMAT, "bank": meta}
    if bank.scenarios:
        data["scenarios"] = [_scenario_data(s) for s in bank.scenarios]
    data["questions"] = [question_to_data(q, bank.edition) for q in bank.questions]
    return data


def _scenario_data(s: ScenarioRecord) -> dict[str, Any]:
    """One case text, with its translations when it has any."""
    out: dict[str, Any] = {"id": s.id, "title": s.title, "text": s.text}
    if s.translations:
        out["translations"] = native_translations.to_data(s.translations)
    return out


def question_to_data(q: QuestionRecord, bank_edition: str) -> dict[str, Any]:
    """One question in the key order of the format description."""
    out: dict[str, Any] = {"id": q.id, "type": q.type, "level": q.level, "clauses": list(q.clauses)}
    if q.edition != bank_edition:
        out["edition"] = q.edition
    out["difficulty"] = q.difficulty
    if q.cognitive is not None:
        out["cognitive"] = q.cognitive
    fields = _type_fields(q)
    if "marks" in fields or q.marks != 1.0:
        out["marks"] = plain_number(q.marks)
    optional = {"title": q.title, "stem": q.stem}
    out |= {k: v for k, v in optional.items() if v or k == "stem"}
    out |= {k: fields[k] for k in FIELD_KEYS if k in fields}
    out |= {k: v for k, v in fields.items() if k not in FIELD_KEYS and k != "marks"}
    out |= {"explanation": q.explanation} if q.explanation else {}
    out |= {name: getattr(q, name) for name in COMBINED_FEEDBACK if getattr(q, name)}
    out |= {"hints": [_drop_empty(vars(h), keep=("text",)) for h in q.hints]} if q.hints else {}
    out |= {"tags": list(q.tags)} if q.tags else {}
    out |= {"scenario": q.scenario} if q.scenario is not None else {}
    if q.translations:
        out["translations"] = native_translations.to_data(q.translations)
    return out


def _type_fields(q: QuestionRecord) -> dict[str, Any]:
    """What the question's type writes, then every other non-empty record field.

    A field the type does not use is written too (by the type that owns it), so that
    nothing is lost silently. A type that returns "marks" has its marks always written.
    """
    own = type_formats.hooks(q.type)
    fields = own.write_native(q) if own.write_native is not None else {}
    written: dict[int, dict[str, Any]] = {}
    for key in FIELD_KEYS:
        owner = type_formats.native_owner(key)
        if key in fields or owner is None or owner.write_native is None:
            continue
        if id(owner) not in written:
            written[id(owner)] = owner.write_native(q)
        value = written[id(owner)].get(key)
        if value not in (None, "", []):
            fields[key] = value
    return fields


def non_empty(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields that hold something: no None, empty text or empty list."""
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def options_data(options: list[OptionRecord]) -> list[dict[str, Any]]:
    """Options without false or empty fields (id and text always)."""
    return [_drop_empty(vars(o), keep=("id", "text")) for o in options]


def rubric_data(rubric: list[RubricCriterion]) -> list[dict[str, Any]]:
    """Rubric lines without empty guidance."""
    return [_criterion_data(c) for c in rubric]


def _criterion_data(c: RubricCriterion) -> dict[str, Any]:
    """One rubric line, without empty guidance."""
    out = {"criterion": c.criterion, "marks": plain_number(c.marks)}
    return out | ({"guidance": c.guidance} if c.guidance else {})


def _drop_empty(fields: dict[str, Any], keep: tuple[str, ...]) -> dict[str, Any]:
    """A record's fields without false or empty values, except the ones to keep."""
    return {k: v for k, v in fields.items() if k in keep or v}

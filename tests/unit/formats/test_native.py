"""The native bank format: exact round trips and located, plain-words problems."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.domain.records import OptionRecord, QuestionRecord
from app.formats import native
from app.messages import render
from tests.unit.formats.sample import every_type_bank

DATA = Path(__file__).resolve().parents[2] / "data" / "native"

TRICKY_TEXTS = [
    "First line\n  indented second line\n",
    "No final newline\nsecond",
    "trailing space \nnext",
    "- looks like a list item",
    "# looks like a comment",
    "key: value",
    "yes",
    "10.10",
    "'single' and \"double\" quotes",
    "tab\tinside",
    "中文 and émojis 🙂",
    "  leading spaces",
    "\n starts with a line break",
]


def tricky_bank():
    """The sample bank with texts that YAML writers often get wrong."""
    bank = every_type_bank()
    q = bank.questions[0]
    q.stem = "\n".join(TRICKY_TEXTS)
    q.explanation = TRICKY_TEXTS[0]
    q.options = [OptionRecord(chr(97 + i), t, i == 0) for i, t in enumerate(TRICKY_TEXTS)]
    bank.description = "A description\nover two lines."
    return bank


def read(path: Path):
    """Read a corpus file with the reader its extension names."""
    reader = native.read_json if path.suffix == ".json" else native.read_yaml
    return reader(path.read_bytes(), path.name)


@pytest.mark.parametrize("bank_factory", [every_type_bank, tricky_bank])
@pytest.mark.parametrize(
    ("write", "read_back"),
    [(native.write_yaml, native.read_yaml), (native.write_json, native.read_json)],
)
def test_banks_round_trip_exactly(bank_factory, write, read_back):
    bank = bank_factory()
    data = write(bank).data
    result = read_back(data, "bank")
    assert result.problems == []
    assert result.bank == bank
    assert write(result.bank).data == data


def test_written_yaml_is_tidy_and_in_the_documented_key_order():
    text = native.write_yaml(tricky_bank()).data.decode()
    assert text.startswith("format: clausewise-bank/1\n\nbank:\n  id: sample\n")
    assert 'edition: "2018"' in text and 'clauses: ["8.6.1"]' in text
    assert "correct: false" not in text and "marks: 1\n" not in text
    assert "    explanation: |\n      First line\n        indented second line\n" in text
    assert "      - {id: c, text: trailing space \\nnext}" not in text
    single = yaml.safe_load(text)["questions"][0]
    assert list(single)[:6] == ["id", "type", "level", "clauses", "difficulty", "title"]
    assert list(single)[-2:] == ["explanation", "tags"]


def test_written_files_satisfy_the_schema():
    jsonschema = pytest.importorskip("jsonschema")
    import json

    schema = json.loads(native.SCHEMA_PATH.read_text(encoding="utf-8"))
    for write, load in ((native.write_yaml, yaml.safe_load), (native.write_json, json.loads)):
        jsonschema.validate(load(write(every_type_bank()).data), schema)


def test_questions_remember_their_line():
    data = native.write_yaml(every_type_bank()).data
    lines = data.decode().splitlines()
    for q in native.read_yaml(data, "sample.yaml").bank.questions:
        assert q.location.file == "sample.yaml"
        assert lines[q.location.line - 1] == f"  - id: {q.id}"


CORPUS = {
    "bad_indentation.yaml": [(6, "YAML syntax error: expected <block end>")],
    "tab_indent.yaml": [(4, "indent with spaces, not tabs")],
    "clauses_as_numbers.yaml": [
        (5, 'question q1: clauses must be a list such as clauses: ["8.5.1"]; found 8.5'),
        (10, 'clause 9.1 is written as a number; put it in quotes ("9.1")'),
    ],
    "unknown_field.yaml": [(10, "unknown field 'explaination' (did you mean explanation?)")],
    "missing_stem.yaml": [(9, "question q2: stem is missing")],
    "options_not_a_list.yaml": [(7, "question q1: options must be a list of entries")],
    "wrong_kinds.yaml": [
        (6, "difficulty must be a whole number such as 1, 2 or 3; found 'hard'"),
        (7, "marks must be a number; found 'lots'"),
        (9, "answer must be true or false; found 'maybe'"),
    ],
    "not_a_mapping.yaml": [(1, "the file must be a mapping with a bank: section")],
    "duplicate_key.yaml": [(8, "question q1: stem is given twice")],
    "option_not_a_mapping.yaml": [(9, "question q1, options: entry 2 must be a mapping")],
    "no_bank_section.yaml": [(1, "the file has no bank: section")],
    "trailing_comma.json": [(9, "is there a comma after the last field?")],
    "wrong_kinds.json": [
        (7, "clauses must be a list"),
        (9, "answer must be true or false; found 'maybe'"),
    ],
}


def test_the_corpus_holds_every_malformed_file():
    assert sorted(p.name for p in DATA.iterdir()) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_malformed_files_are_reported_at_the_right_line(name: str):
    problems = read(DATA / name).errors
    found = [(p.location.line, render(p.message)) for p in problems]
    assert len(found) == len(CORPUS[name]), found
    for (line, message), (want_line, fragment) in zip(found, CORPUS[name], strict=True):
        assert line == want_line and fragment in message, found
    assert all(p.location.file == name for p in problems)


def bank_text(question: str) -> bytes:
    """A one-question bank around the given question lines."""
    return f"bank: {{id: t, title: T}}\nquestions:\n{question}".encode()


def test_numbers_where_text_belongs_are_kept_as_typed_with_a_warning():
    result = native.read_yaml(
        bank_text(
            "  - id: 2018\n    type: single_choice\n    clauses: ['9.2']\n    stem: Year?\n"
            "    options:\n      - {id: a, text: 2018, correct: true}\n"
            "      - {id: b, text: 2011}\n"
        ),
        "years.yaml",
    )
    assert result.errors == []
    assert [o.text for o in result.bank.questions[0].options] == ["2018", "2011"]
    assert result.bank.questions[0].id == "2018"
    assert {p.location.line for p in result.problems} == {3, 8, 9}
    assert all("put it in quotes" in render(p.message) for p in result.problems)


def test_an_essay_without_marks_is_worth_its_rubric():
    result = native.read_yaml(
        bank_text(
            "  - id: e1\n    type: essay\n    clauses: ['10.1']\n    stem: Write.\n"
            "    rubric:\n      - {criterion: A, marks: 2}\n      - {criterion: B, marks: 1.5}\n"
        ),
        "essay.yaml",
    )
    assert result.problems == []
    assert result.bank.questions[0].marks == 3.5


def test_questions_inherit_the_bank_edition():
    text = b"bank: {id: old, title: Old, edition: '2011'}\nquestions:\n"
    text += b"  - {id: q, type: essay, stem: S}\n"
    bank = native.read_yaml(text, "old.yaml").bank
    assert bank.questions[0].edition == "2011"
    assert "edition" not in yaml.safe_load(native.write_yaml(bank).data)["questions"][0]


def test_schema_errors_are_located_when_the_schema_exists():
    assert native.SCHEMA_PATH.is_file()
    result = native.read_yaml(
        bank_text(
            "  - id: q1\n    type: single_choice\n    clauses: ['8.x']\n    stem: S\n"
            "    options:\n      - {id: 'a b', text: One, correct: true}\n"
            "      - {id: c, text: Two}\n"
        ),
        "schema.yaml",
    )
    found = [(p.location.line, render(p.message)) for p in result.errors]
    assert found == [
        (5, "question q1, clause 1 '8.x' should be written as a clause number such as \"8.5.1\""),
        (
            8,
            "question q1, option a b: id 'a b' should be written as letters, digits, '.', '_' "
            "and '-' only",
        ),
    ]


def test_without_a_schema_file_only_the_shape_is_checked(monkeypatch, tmp_path):
    monkeypatch.setattr(native, "SCHEMA_PATH", tmp_path / "absent.schema.json")
    text = bank_text("  - id: q1\n    type: essay\n    clauses: ['8.x']\n    stem: S\n")
    assert native.read_yaml(text, "noschema.yaml").problems == []


def test_byte_order_mark_and_bad_encoding():
    data = native.write_yaml(every_type_bank()).data
    assert native.read_yaml(b"\xef\xbb\xbf" + data, "bom.yaml").bank == every_type_bank()
    [problem] = native.read_json(b'{\n"bank": "\xff"}', "latin.json").problems
    assert problem.location.line == 2 and "not UTF-8" in render(problem.message)


def test_alias_bombs_are_refused():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    ]
    [problem] = native.read_yaml("\n".join(lines), "bomb.yaml").problems
    assert "far more values" in render(problem.message)


def test_an_empty_file_is_not_a_bank():
    [problem] = native.read_yaml(b"", "empty.yaml").problems
    assert "must be a mapping" in render(problem.message)


def test_stray_fields_are_written_so_validation_can_report_them():
    bank = every_type_bank()
    bank.questions.append(
        QuestionRecord(id="odd", type="true_false", stem="S", answer=True, answers=["stray"])
    )
    again = native.read_json(native.write_json(bank).data, "odd.json").bank
    assert again.questions[-1].answers == ["stray"]

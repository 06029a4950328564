"""Word-level differences between versions, field by field."""

from __future__ import annotations

import pytest

from app.domain.content import content_of
from app.domain.records import OptionRecord, QuestionRecord
from app.domain.version_diff import (
    DELETED,
    INSERTED,
    SAME,
    Segment,
    field_changes,
    flatten,
    word_diff,
    words,
)


def _marked(segments: list[Segment] | tuple[Segment, ...]) -> str:
    """Segments as text with [-deleted-] and {+inserted+}, for readable assertions."""
    marks = {SAME: "{}", DELETED: "[-{}-]", INSERTED: "{{+{}+}}"}
    return "".join(marks[s.kind].format(s.text) for s in segments)


@pytest.mark.parametrize(
    "text",
    [
        "Which clause asks for a **service catalogue**?",
        "  two  spaces,\nand a new line\t",
        "服务目录管理（8.2.4）",
        "ISO/IEC 20000-1:2018 clause 8.5.1",
        "",
    ],
)
def test_the_words_join_back_into_the_text(text):
    assert "".join(words(text)) == text


def test_each_chinese_character_is_a_word_and_latin_words_stay_whole():
    assert words("变更管理 change") == ["变", "更", "管", "理", " ", "change"]


@pytest.mark.parametrize(
    ("before", "after", "marked"),
    [
        (
            "Which clause asks for a service catalogue?",
            "Which clause requires a service catalogue?",
            "Which clause [-asks for-]{+requires+} a service catalogue?",
        ),
        ("Record the incident", "Record the incident first", "Record the incident{+ first+}"),
        ("Record the incident first", "Record the incident", "Record the incident[- first-]"),
        ("a b c", "x y c", "[-a b-]{+x y+} c"),  # the space between two changes joins them
        ("", "new text", "{+new text+}"),
        ("old text", "", "[-old text-]"),
        ("服务目录管理", "服务级别管理", "服务[-目录-]{+级别+}管理"),
        ("8.5.1, 8.5.2", "8.5.1, 8.5.3", "8.5.1, 8.5.[-2-]{+3+}"),
        ("same words", "same words", "same words"),
    ],
)
def test_word_diff_marks_only_the_changed_words(before, after, marked):
    segments = word_diff(before, after)
    assert _marked(segments) == marked
    assert "".join(s.text for s in segments if s.kind != INSERTED) == before
    assert "".join(s.text for s in segments if s.kind != DELETED) == after


def _question(**changes) -> dict:
    record = QuestionRecord(
        id="q1",
        type="single_choice",
        stem="Which record does the desk open?",
        level="foundation",
        clauses=["8.6.1"],
        explanation="A loss of service is an incident.",
        options=[
            OptionRecord("a", "An incident record", True, "Right."),
            OptionRecord("b", "A change record", False),
        ],
    )
    for name, value in changes.items():
        setattr(record, name, value)
    return content_of(record)


def test_unchanged_fields_are_left_out_and_changed_ones_named_by_path():
    before = _question()
    after = _question(stem="Which record does the night desk open?", clauses=["8.6.1", "8.6.2"])
    changes = {c.path: _marked(c.segments) for c in field_changes(before, after)}
    assert changes == {
        ("stem",): "Which record does the {+night +}desk open?",
        ("clauses",): "8.6.1{+, 8.6.2+}",
    }


def test_an_option_change_names_the_option_and_the_cell():
    before = _question()
    options = [
        OptionRecord("a", "An incident record", False, "Right."),
        OptionRecord("b", "A change record", True, "Changes are planned."),
    ]
    changes = {
        c.path: _marked(c.segments) for c in field_changes(before, _question(options=options))
    }
    assert changes == {
        ("options", "a", "correct"): "[-✓-]{+✗+}",
        ("options", "b", "correct"): "[-✗-]{+✓+}",
        ("options", "b", "feedback"): "{+Changes are planned.+}",
    }


def test_a_removed_part_shows_every_cell_deleted_after_the_kept_fields():
    before = _question()
    after = _question(options=[OptionRecord("a", "An incident record", True, "Right.")])
    paths = [c.path for c in field_changes(before, after)]
    assert paths == [("options", "b", "text"), ("options", "b", "correct")]


def test_a_plug_in_types_own_data_is_compared_part_by_part():
    before = {"data": {"items": [{"id": "i1", "text": "VPN drops", "category": "c1"}]}}
    after = {"data": {"items": [{"id": "i1", "text": "VPN drops hourly", "category": "c2"}]}}
    assert flatten(after) == {
        ("data", "items", "i1", "text"): "VPN drops hourly",
        ("data", "items", "i1", "category"): "c2",
    }
    assert [c.path[-1] for c in field_changes(before, after)] == ["text", "category"]


def test_identical_versions_have_no_changes():
    assert field_changes(_question(), _question()) == []

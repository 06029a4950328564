"""Translations in Moodle XML (multilang texts), QTI (an item file per language) and the
spreadsheets (a row per translation): round trips, files from other tools, and hostile
files reported where they go wrong (issue 19)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest

from app import formats
from app.domain import translation
from app.domain.records import BankRecord
from app.formats import moodle_xml, qti
from app.formats.languages import moodle_code, tag_of
from app.formats.sheet_model import column_letter
from app.formats.spreadsheet import read_csv, write_csv
from app.messages import render
from tests.unit.formats.sample import translate, translated_bank

NAMES = {"moodlexml": "bank.xml", "qti": "bank.zip", "csv": "bank.csv", "xlsx": "bank.xlsx"}


def _round_trip(bank: BankRecord, fmt: str) -> tuple[BankRecord, list[str]]:
    exported = formats.write_bank(bank, fmt)
    assert exported.skipped == []
    result = formats.read_file(exported.data, NAMES[fmt], fmt)
    assert result.errors == [], [str(p) for p in result.errors]
    return result.bank, [w.message.code for w in exported.warnings]


@pytest.mark.parametrize("fmt", ["moodlexml", "qti", "csv", "xlsx"])
def test_every_type_comes_back_with_its_translations_and_case_text_translation(fmt):
    bank = translated_bank()
    back, notes = _round_trip(bank, fmt)
    assert not [code for code in notes if "translation" in code]
    assert back.language == "en"
    assert [q.id for q in back.questions] == [q.id for q in bank.questions]
    for want, got in zip(bank.questions, back.questions, strict=True):
        assert (got.stem, got.explanation) == (want.stem, want.explanation)
        assert got.translations == want.translations, want.id
        assert got.translations["zh-Hans"].status == "current"
    assert back.scenarios == bank.scenarios


@pytest.mark.parametrize("fmt", ["moodlexml", "csv", "xlsx"])
def test_formats_without_source_hashes_leave_a_stale_translation_out_with_a_warning(fmt):
    """A file that cannot say a translation is stale would bring it back as current (and
    shown to learners): it is left out, with a warning naming the item and language."""
    bank = translated_bank()
    t = bank.questions[1].translations["zh-Hans"]
    t.source_hash, t.status = "0123456789ab", "stale"
    exported = formats.write_bank(bank, fmt)
    stale = [w for w in exported.warnings if w.message.code == "export.translation_stale"]
    assert [(w.location.path, w.message.params["language"]) for w in stale] == [
        (bank.questions[1].id, "zh-Hans")
    ]
    back, _notes = _round_trip(bank, fmt)
    assert "zh-Hans" not in back.questions[1].translations
    assert back.questions[0].translations == bank.questions[0].translations


def test_qti_keeps_the_source_hash_so_a_stale_translation_stays_stale():
    bank = translated_bank()
    t = bank.questions[1].translations["zh-Hans"]
    t.source_hash, t.status = "0123456789ab", "stale"
    back, _notes = _round_trip(bank, "qti")
    assert back.questions[1].translations["zh-Hans"] == t


@pytest.mark.parametrize("fmt", ["moodlexml", "qti", "csv"])
def test_a_translation_that_does_not_fit_its_source_is_left_out_with_a_warning(fmt):
    bank = translated_bank()
    del bank.questions[0].translations["zh-Hans"].fields["explanation"]
    exported = formats.write_bank(bank, fmt)
    lost = [w for w in exported.warnings if w.message.code == "export.translation_misfit"]
    assert [(w.location.path, w.message.params["language"]) for w in lost] == [
        ("q-single", "zh-Hans")
    ]
    back = formats.read_file(exported.data, NAMES[fmt], fmt).bank
    assert back.questions[0].translations == {}
    assert back.questions[1].translations == bank.questions[1].translations


@pytest.mark.parametrize("fmt", ["moodlexml", "qti", "csv"])
def test_a_bank_written_in_chinese_comes_back_with_chinese_as_its_source(fmt):
    bank = translated_bank()
    bank.language = "zh-Hans"
    bank.questions, bank.scenarios = bank.questions[:2], []
    for q in bank.questions:
        q.translations = {"en": translate(q, "en")}
        q.translations["en"].source_language = "zh-Hans"
    back, _notes = _round_trip(bank, fmt)
    assert back.language == "zh-Hans" and "language" in back.given
    assert back.questions[0].translations == bank.questions[0].translations


# --- Moodle XML -------------------------------------------------------------------------


def test_moodle_writes_multilang_spans_with_moodles_language_codes():
    text = moodle_xml.write(translated_bank()).data.decode()
    assert (
        '&lt;span lang="en" class="multilang"&gt;What happens **first** to a new incident?'
        '&lt;/span&gt;&lt;span lang="zh_cn" class="multilang"&gt;译：What happens' in text
    )
    # A short answer's accepted answers are compared as typed: one set per language.
    assert '<answer fraction="100" format="moodle_auto_format" lang="zh_cn">' in text


def test_language_codes_of_moodle_and_bcp_47():
    assert [tag_of(c) for c in ("zh_cn", "zh-hans", "zh_hans", "zh-CN", "pt_br", "EN")] == [
        "zh-Hans",
        "zh-Hans",
        "zh-Hans",
        "zh-Hans",
        "pt-BR",
        "en",
    ]
    assert tag_of("klingon") is None and tag_of("") is None
    assert [moodle_code(t) for t in ("zh-Hans", "pt-BR", "en")] == ["zh_cn", "pt_br", "en"]


DESK = """\
<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>&lt;span lang="en" class="multilang"&gt;Desk first&lt;/span&gt;&lt;span lang="zh-hans" class="multilang"&gt;服务台优先&lt;/span&gt;</text></name>
    <questiontext format="html"><text><![CDATA[<p><span lang="en" class="multilang">Who records an incident <b>first</b>?</span> <span lang="zh_cn" class="multilang">谁<b>首先</b>记录事件？</span></p>]]></text></questiontext>
    <generalfeedback format="html"><text>{mlang en}The service desk does.{mlang}{mlang zh_cn}服务台。{mlang}</text></generalfeedback>
    <defaultgrade>1</defaultgrade>
    <idnumber>desk-1</idnumber>
    <single>true</single>
    <answer fraction="100" format="html"><text><![CDATA[<span lang="en" class="multilang">The service desk</span><span lang="zh_cn" class="multilang">服务台</span>]]></text></answer>
    <answer fraction="0" format="html"><text>{mlang en}The supplier{mlang}{mlang other}供方{mlang}</text></answer>
    <answer fraction="0" format="html"><text>ISO/IEC 20000</text></answer>
  </question>
</quiz>
"""  # noqa: E501


def _moodle(text: str) -> tuple[BankRecord, list[tuple[str, str, str]]]:
    result = moodle_xml.read(text.encode(), "desk.xml")
    found = [(p.severity, p.location.path or "", render(p.message)) for p in result.problems]
    return result.bank, found


def test_moodle_reads_spans_and_mlang_blocks_from_html_texts():
    bank, problems = _moodle(DESK)
    assert problems == []
    q = bank.questions[0]
    assert (q.title, q.stem, q.explanation) == (
        "Desk first",
        "Who records an incident **first**?",
        "The service desk does.",
    )
    assert [o.text for o in q.options] == ["The service desk", "The supplier", "ISO/IEC 20000"]
    t = q.translations["zh-Hans"]
    assert t.fields == {
        "title": "服务台优先",
        "stem": "谁**首先**记录事件？",
        "options": {"a": "服务台", "b": "供方", "c": "ISO/IEC 20000"},
        "explanation": "服务台。",
    }
    assert (t.status, t.source_language, t.assumed_hash) == ("current", "en", True)
    assert t.source_hash == translation.source_hash(q)


QUESTION = "quiz/question[1]"


@pytest.mark.parametrize(
    ("change", "path", "said"),
    [
        (
            ('lang="zh_cn" class="multilang">谁', 'lang="klingon" class="multilang">谁'),
            f"{QUESTION}/questiontext/text",
            "question 'Desk first': klingon is not a language code such as en or zh_cn",
        ),
        (
            ("服务台</span>]]>", "服务台]]>"),
            f"{QUESTION}/answer[1]/text",
            "question 'Desk first': the text for zh_cn is never closed (a multilang span "
            "needs its </span>, an {mlang zh_cn} block its {mlang})",
        ),
        (
            ("{mlang zh_cn}服务台。{mlang}", ""),
            f"{QUESTION}/generalfeedback/text",
            "question 'Desk first': this text has no zh_cn version, though other texts of the "
            "question have one",
        ),
        (
            ("{mlang zh_cn}服务台。{mlang}", "{mlang en}Again.{mlang}"),
            f"{QUESTION}/generalfeedback/text",
            "question 'Desk first': one run of language blocks gives en twice",
        ),
        (
            ("{mlang en}The supplier{mlang}", "The supplier{mlang}"),
            f"{QUESTION}/answer[2]/text",
            "question 'Desk first': an {mlang} closes no block; a block starts with {mlang en}",
        ),
    ],
)
def test_moodle_language_markup_that_cannot_be_read_is_an_error_at_its_text(change, path, said):
    bank, problems = _moodle(DESK.replace(*change))
    assert ("error", path, said) in problems
    assert bank.questions == []


def test_a_moodle_question_missing_the_files_source_language_is_an_error():
    second = DESK.split("<quiz>")[1].split("</quiz>")[0].replace('lang="en"', 'lang="fr"')
    second = second.replace("{mlang en}", "{mlang fr}").replace("desk-1", "desk-2")
    bank, problems = _moodle(DESK.replace("</quiz>", second + "</quiz>"))
    assert [q.id for q in bank.questions] == ["desk-1"]
    assert (
        "error",
        "quiz/question[2]",
        "question 'Desk first': none of its texts is in en, the source language (the first "
        "language of the file's first multilingual text)",
    ) in problems


def test_a_moodle_question_naming_too_many_languages_is_an_error_and_not_read():
    """One {mlang} block may name any number of codes, each read as a whole copy of the
    question: a few bytes would make thousands of translations."""
    import itertools

    codes = ["".join(p) for p in itertools.product("abcdefghij", repeat=3)][:400]
    many = "{mlang other}供方{mlang}{mlang " + ",".join(codes) + "}x{mlang}"
    bank, problems = _moodle(DESK.replace("{mlang other}供方{mlang}", many))
    assert bank.questions == []
    assert (
        "error",
        QUESTION,
        "question 'Desk first': its texts name 402 languages; a question may have at most 30",
    ) in problems


def test_a_moodle_translation_that_misfits_its_source_is_an_error_and_left_out():
    # The translated options read alike, where the source's differ.
    bank, problems = _moodle(DESK.replace("}供方{", "}服务台{"))
    assert (
        "error",
        QUESTION,
        "desk-1, translation zh-Hans: two entries of options read alike",
    ) in problems
    assert bank.questions[0].translations == {}


# --- QTI --------------------------------------------------------------------------------


def _package(bank: BankRecord) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(qti.write(bank).data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_qti_writes_an_item_file_per_language_listed_with_its_resource():
    files = _package(translated_bank())
    assert b'xml:lang="en"' in files["items/q-single.xml"]
    assert b'xml:lang="zh-Hans"' in files["items/q-single.zh-Hans.xml"]
    assert b'identifier="q-single"' in files["items/q-single.zh-Hans.xml"]
    manifest = files["imsmanifest.xml"].decode()
    assert manifest.count('<resource identifier="RES-q-single"') == 1
    assert '<file href="items/q-single.zh-Hans.xml" />' in manifest


def test_qti_reads_a_translation_item_without_clausewise_metadata():
    """Another tool's package: the resource lists the Chinese item as a file of its own."""
    files = _package(translated_bank())
    manifest = files["imsmanifest.xml"].decode()
    start = manifest.index("<cw:bank>")
    manifest = manifest[:start] + manifest[manifest.index("</cw:bank>") + 10 :]
    while "<cw:question>" in manifest:
        start = manifest.index("<cw:question>")
        manifest = manifest[:start] + manifest[manifest.index("</cw:question>") + 14 :]
    files["imsmanifest.xml"] = manifest.encode()
    result = qti.read(_zip(files), "other.zip")
    assert result.errors == []
    q = result.bank.questions[0]
    assert (
        q.translations["zh-Hans"].fields["options"]["a"] == "译：Record, classify and prioritise it"
    )
    assert result.bank.language == "en"


def test_a_qti_translation_with_another_identifier_is_an_error_at_its_file():
    files = _package(translated_bank())
    item = files["items/q-single.zh-Hans.xml"]
    files["items/q-single.zh-Hans.xml"] = item.replace(
        b'identifier="q-single"', b'identifier="q-x"'
    )
    result = qti.read(_zip(files), "bank.zip")
    said = [(p.location.path, render(p.message)) for p in result.errors]
    assert (
        "manifest/resources/resource[1]/file[2]",
        "the zh-Hans item file items/q-single.zh-Hans.xml has the identifier q-x; a "
        "translation keeps its item's identifier q-single",
    ) in said
    assert result.bank.questions[0].translations == {}


def test_a_qti_translation_file_missing_from_the_package_is_an_error():
    files = _package(translated_bank())
    del files["items/q-multi.zh-Hans.xml"]
    result = qti.read(_zip(files), "bank.zip")
    said = [(p.location.path, render(p.message)) for p in result.errors]
    assert (
        "manifest/resources/resource[2]/file[2]",
        "the translation's item file items/q-multi.zh-Hans.xml is not in the package or "
        "not listed as a file of the resource",
    ) in said


# --- CSV and XLSX -----------------------------------------------------------------------


def _csv_rows() -> list[list[str]]:
    text = write_csv(translated_bank()).data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _sheet_problems(rows: list[list[str]]) -> tuple[BankRecord, list[tuple[int, str, str, str]]]:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    result = read_csv(out.getvalue().encode(), "bank.csv")
    found = [
        (p.location.row or 0, p.location.column or "", p.severity, render(p.message))
        for p in result.problems
    ]
    return result.bank, found


def _translation_row(rows: list[list[str]], ident: str) -> int:
    """The index of a question's zh-Hans row."""
    return next(n for n, row in enumerate(rows) if row[0] == ident and row[-1] == "zh-Hans")


def test_a_translation_row_follows_its_source_and_fills_only_text_columns():
    rows = _csv_rows()
    header = rows[1]
    assert header[-1] == "language"
    case = dict(zip(header, rows[3], strict=True))
    assert {k: v for k, v in case.items() if v} == {
        "id": "sc-desk",
        "type": "scenario",
        "title": "译：A service desk",
        "stem": "译：A desk with **30** agents.",
        "language": "zh-Hans",
    }
    tf = dict(zip(header, rows[_translation_row(rows, "q-tf")], strict=True))
    assert set(k for k, v in tf.items() if v) == {
        "id",
        "type",
        "stem",
        "feedback_a",
        "feedback_b",
        "explanation",
        "language",
    }


def test_translation_rows_may_stand_anywhere_in_the_sheet():
    rows = _csv_rows()
    moved = rows[:2] + sorted(rows[2:], key=lambda row: row[-1] != "zh-Hans")
    bank, problems = _sheet_problems(moved)
    assert problems == []
    assert [q.translations for q in bank.questions] == [
        q.translations for q in translated_bank().questions
    ]


def test_hostile_translation_rows_are_reported_at_their_row_and_column():
    rows = _csv_rows()
    width = len(rows[1])
    language = f"{column_letter(width - 1)} (language)"
    single = rows[_translation_row(rows, "q-single")]
    unknown = ["q-nope"] + [""] * (width - 2) + ["zh-Hans"]
    rows += [unknown, [*single[:-1], "klingon"], single]
    bank, problems = _sheet_problems(rows)
    end = len(rows)
    assert (
        end - 2,
        "A (id)",
        "error",
        "this translation row is for q-nope, but no question or scenario row has that id",
    ) in problems
    assert (
        end - 1,
        language,
        "error",
        "'klingon' is not a language tag such as zh-Hans or pt-BR",
    ) in problems
    assert (
        end,
        language,
        "error",
        "q-single has a second row for its zh-Hans translation",
    ) in problems
    assert bank.questions[0].translations == translated_bank().questions[0].translations


def test_a_translation_row_that_misfits_its_source_is_an_error_at_the_row():
    rows = _csv_rows()
    n = _translation_row(rows, "q-single")
    explanation = rows[1].index("explanation")
    assert rows[n][explanation].startswith("译：Clause 8.6.1")
    rows[n][explanation] = ""
    rows[n][rows[1].index("level")] = "auditor"  # the source's row says what it is
    bank, problems = _sheet_problems(rows)
    assert problems == [
        (
            n + 1,
            "C (level)",
            "warning",
            "level is not read on a translation row; it comes from the source's row",
        ),
        (
            n + 1,
            "",
            "error",
            "q-single, translation zh-Hans: explanation is missing; the source has it",
        ),
    ]
    assert bank.questions[0].translations == {}


def test_a_sheet_whose_rows_all_name_one_language_is_a_bank_in_that_language():
    text = "id,type,stem,option_a,option_b,correct,language\r\n"
    text += "q1,single_choice,谁首先记录事件？,服务台,供方,A,zh_cn\r\n"
    result = read_csv(text.encode(), "zh.csv")
    assert result.problems == []
    assert result.bank.language == "zh-Hans" and "language" in result.bank.given
    assert result.bank.questions[0].translations == {}


@pytest.mark.parametrize(
    "text",
    [
        "multilang <span " + "a" * 300_000 + ">x</span>",  # one endless attribute name
        "multilang " + "<span " * 60_000,  # openings that never close
        "{mlang x" * 40_000,  # mlang blocks that never close
        "<lang lang='en'>" + "<" * 300_000,  # an unclosed run, then its plain text
    ],
    ids=["attribute", "span", "mlang", "plain"],
)
def test_hostile_multilang_markup_is_read_in_time_linear_in_its_length(text):
    """Language markup is read in one pass: a text of a few hundred thousand characters
    (a Moodle file may hold 20 MB) takes milliseconds, not minutes."""
    import time

    from app.formats import moodle_lang

    began = time.perf_counter()
    moodle_lang.parse(text)
    moodle_lang.plain(text)
    assert time.perf_counter() - began < 5


# --- a plug-in type's own texts: classification -----------------------------------


def _classified() -> BankRecord:
    from tests.unit.formats.sample import translated_classification

    return BankRecord(id="b", title="B", questions=[translated_classification()])


def test_qti_carries_a_classifications_translated_categories_and_items():
    bank = _classified()
    files = _package(bank)
    assert "译：Service request".encode() in files["items/q-class.zh-Hans.xml"]
    back, notes = _round_trip(bank, "qti")
    assert not [code for code in notes if "translation" in code]
    assert back.questions[0].translations == bank.questions[0].translations


@pytest.mark.parametrize("fmt", ["moodlexml", "csv", "xlsx"])
def test_formats_that_skip_classification_write_nothing_of_its_translation(fmt):
    exported = formats.write_bank(_classified(), fmt)
    assert [s.name for s in exported.skipped] == ["q-class"]
    assert "译：" not in exported.data.decode("utf-8", "replace")
    assert not [w for w in exported.warnings if "translation" in w.message.code]


def test_a_type_that_cannot_translate_its_data_has_its_translation_left_out_of_qti(monkeypatch):
    """A copy in the other language would show the type's own texts untranslated: the
    export leaves it out and says so."""
    from app.domain.question_types.base import QuestionType
    from app.question_types.classification.domain import Classification

    bank = _classified()
    monkeypatch.setattr(Classification, "data_texts", QuestionType.data_texts)
    t = bank.questions[0].translations["zh-Hans"]
    del t.fields["data"]
    t.source_hash = translation.source_hash(bank.questions[0])
    exported = formats.write_bank(bank, "qti")
    lost = [w for w in exported.warnings if w.message.code == "export.translation_misfit"]
    assert [(w.location.path, w.message.params["language"]) for w in lost] == [
        ("q-class", "zh-Hans")
    ]
    assert "items/q-class.zh-Hans.xml" not in _package(bank)

"""The Simplified Chinese catalogue is complete, current and safe to format.

It fails (with the messages named) on:
- a message of the code (Babel's extraction with babel.cfg, as `make translations` runs
  it) that app/translations/messages.pot or the zh_Hans catalogue does not hold: the
  catalogue is out of date; run `make translations`;
- a message that is untranslated (any plural form empty) or marked fuzzy, and a header
  marked fuzzy (pybabel would not compile the catalogue at all);
- a translation whose placeholders differ from its English: another name, another
  conversion (`%(n)d` against `%(n)s`), one missing or one added, or a stray `%` that is
  not `%%`. Chinese has one plural form, used for every count, so it must carry the
  placeholders of the English plural as well as the singular.

While the catalogue waits for its translations this test fails: that is its purpose.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from tests.unit.test_catalogue import _msgids

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app" / "translations"
PO = TRANSLATIONS / "zh_Hans" / "LC_MESSAGES" / "messages.po"
POT = TRANSLATIONS / "messages.pot"
SHOWN = 15  # messages named in a failure; the count says how many there are in all

# A Python %-placeholder: %(name)s, %(n)d, %(p).2f; `%%` is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*\d*(?:\.\d+)?(?P<kind>[a-zA-Z%])")


@cache
def _catalogue(path: Path) -> Catalog:
    with path.open("rb") as source:
        return read_po(source)


def _ids(catalogue: Catalog) -> set[str]:
    """Every msgid and msgid_plural a catalogue holds (obsolete entries are not held)."""
    found: set[str] = set()
    for message in catalogue:
        if message.id:
            found.update(message.id if isinstance(message.id, tuple) else [message.id])
    return found


def _messages() -> list[Message]:
    return [m for m in _catalogue(PO) if m.id]


def _named(messages: list[str]) -> str:
    listed = "\n  ".join(messages[:SHOWN])
    more = f"\n  … and {len(messages) - SHOWN} more" if len(messages) > SHOWN else ""
    return f"{len(messages)} in all:\n  {listed}{more}"


def _placeholders(text: str) -> tuple[list[tuple[str, str]], bool]:
    """The placeholders of `text` as sorted (name, conversion), and whether a stray `%`
    (one no placeholder explains) is left."""
    found = [(m["name"] or "", m["kind"]) for m in PLACEHOLDER.finditer(text) if m["kind"] != "%"]
    stray = "%" in PLACEHOLDER.sub("", text)
    return sorted(found), stray


def test_the_catalogue_header_is_for_zh_hans_and_not_fuzzy():
    catalogue = _catalogue(PO)
    assert str(catalogue.locale) == "zh_Hans"
    assert catalogue.num_plurals == 1  # Chinese has one form for every count
    assert not catalogue.fuzzy, f"{PO.relative_to(ROOT)}: the header is marked fuzzy"


def test_the_template_and_the_catalogue_hold_every_message_of_the_code():
    in_code = _msgids()
    for path in (POT, PO):
        missing = sorted(in_code - _ids(_catalogue(path)))
        assert not missing, (
            f"{path.relative_to(ROOT)} is out of date with the code (run `make translations`); "
            f"messages missing, {_named(missing)}"
        )


def test_every_message_is_translated_and_none_is_fuzzy():
    untranslated = [
        m.id if isinstance(m.id, str) else m.id[0]
        for m in _messages()
        if not m.string or (isinstance(m.string, tuple) and not all(m.string))
    ]
    fuzzy = [m.id if isinstance(m.id, str) else m.id[0] for m in _messages() if m.fuzzy]
    problems = []
    if untranslated:
        problems.append(f"untranslated messages, {_named(untranslated)}")
    if fuzzy:
        problems.append(f"fuzzy messages (check, then drop the flag), {_named(fuzzy)}")
    assert not problems, f"{PO.relative_to(ROOT)}: " + "\n".join(problems)


def test_translations_keep_the_placeholders_of_their_english():
    wrong = []
    for message in _messages():
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = sorted({p for text in english for p in _placeholders(text)[0]})
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        for form in filter(None, forms):
            found, stray = _placeholders(form)
            # Chinese has one plural form: it needs the singular's placeholders and may
            # use the plural's (Babel refuses one the singular lacks, see below).
            singular = set(_placeholders(english[0])[0])
            fits = (
                singular <= set(found) <= set(wanted)
                if len(english) > 1
                else sorted(set(found)) == wanted
            )
            if not fits or (stray and "python-format" in message.flags):
                wrong.append(f"{english[0]!r} → {form!r}")
    assert not wrong, f"{PO.relative_to(ROOT)}: placeholders differ from the English, " + _named(
        wrong
    )


# A Chinese character against a Latin letter or a digit (either side), or a percent sign
# straight before one: the house style puts a space between them ("共 %(n)d 题", "80%% 的
# 把握", "导出为 YAML"). A number placeholder counts as digits; a text placeholder may stand
# for Chinese (a language's name: "以%(language)s显示"), so it is not checked.
CJK = r"[\u4e00-\u9fff]"
UNSPACED = re.compile(rf"{CJK}[A-Za-z0-9]|[A-Za-z0-9%]{CJK}")
NUMBER_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[dif]")
TEXT_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?s")


def _unspaced(text: str) -> list[str]:
    """Where `text` puts Chinese straight against Latin letters, digits or a percent."""
    plain = TEXT_PLACEHOLDER.sub("\x00", NUMBER_PLACEHOLDER.sub("0", text)).replace("%%", "%")
    return [hit.group() for hit in UNSPACED.finditer(plain)]


def test_chinese_is_spaced_from_latin_letters_digits_and_numbers():
    wrong = []
    for message in _messages():
        forms = [message.string] if isinstance(message.string, str) else list(message.string)
        wrong += [f"{hit!r} in {form!r}" for form in forms for hit in _unspaced(form)]
    assert not wrong, f"{PO.relative_to(ROOT)}: no space between Chinese and " + _named(wrong)


def test_the_spacing_check_sees_what_it_should():
    assert _unspaced("有 80%%的把握") and _unspaced("共%(n)d 题") and _unspaced("共 %(n)d题")
    assert _unspaced("导出为YAML") and _unspaced("第3条")
    assert not _unspaced("有 80%% 的把握，共 %(n)d 题，导出为 YAML；以%(language)s显示“%(name)s”")


def test_the_catalogue_compiles():
    """What `make catalogues` does, in memory: a broken entry fails here, not in production."""
    from io import BytesIO

    write_mo(BytesIO(), _catalogue(PO))


def test_the_placeholder_check_sees_what_it_should():
    assert _placeholders("%(n)d of %(total)s, 5%%") == ([("n", "d"), ("total", "s")], False)
    assert _placeholders("%(p).0f%% 完成")[0] == [("p", "f")]
    assert _placeholders("完成 50%") == ([], True)
    assert _placeholders("%(n)s 个")[0] != _placeholders("%(n)d questions")[0]


def test_the_catalogue_passes_babels_compile_checks():
    """`pybabel compile` (run by the Makefile) refuses a translation whose placeholders
    Babel's checkers reject, such as `%(num)d` in the one Chinese form of a plural whose
    English singular has no number: caught here too, not only by `make`."""
    catalogue = _catalogue(PO)
    problems = [
        f"line {message.lineno}: {message.id!r}: {error}"
        for message, errors in catalogue.check()
        for error in errors
    ]
    assert not problems, "\n".join(problems)

"""Images, sounds, MathML and ruby survive a Moodle XML import and export; what cannot
be kept is a warning at its element."""

import base64
import hashlib
from pathlib import Path

from app.domain.assets import AssetRecord, check_asset, clean_name, sniff
from app.domain.messages import Message
from app.formats import read_file, write_bank
from app.messages import render as render_message

DATA = Path(__file__).resolve().parents[2] / "data"
MEDIA = (DATA / "moodlexml" / "media_export.xml").read_bytes()


def _codes(result):
    return [(p.location.path, p.message.code, p.severity) for p in result.problems]


def test_embedded_files_become_bank_assets_referred_to_by_name():
    result = read_file(MEDIA, "media_export.xml")
    assets = {a.name: a for a in result.bank.assets}
    assert sorted(assets) == ["marker.png", "redundant-links.png", "term.mp3"]
    assert assets["redundant-links.png"].media_type == "image/png"
    assert assets["term.mp3"].media_type == "audio/mpeg"
    first, second = result.bank.questions
    assert "![Two links between the data centres](asset:redundant-links.png)" in first.stem
    assert "![marker](asset:marker.png)" in first.explanation
    assert "[term.mp3](asset:term.mp3)" in second.stem


def test_mathml_and_ruby_are_kept_as_inline_markup():
    first, second = read_file(MEDIA, "media_export.xml").bank.questions
    assert "<math><mn>1</mn><mo>−</mo><msup><mrow><mo>(</mo>" in first.stem
    assert "<ruby>服务<rp>(</rp><rt>fúwù</rt><rp>)</rp></ruby>" in second.stem


def test_what_cannot_be_kept_is_a_located_warning():
    result = read_file(MEDIA, "media_export.xml")
    codes = _codes(result)
    assert ("quiz/question[3]/questiontext/file[2]", "asset.type", "warning") in codes
    assert ("quiz/question[3]", "markup.object", "warning") in codes
    assert not result.errors
    second = result.bank.questions[1]
    assert "The clip shows a service desk taking a call." in second.stem  # the fallback
    object_warning = next(p for p in result.problems if p.message.code == "markup.object")
    assert "clip.swf" in render_message(object_warning.message)
    # The refused SVG is reported once, at its file element, not again as a missing file.
    assert [c for c in codes if c[1] == "asset.missing"] == []


def test_export_carries_the_files_and_reads_back_identically():
    result = read_file(MEDIA, "media_export.xml")
    exported = write_bank(result.bank, "moodlexml").data
    assert b'<file name="redundant-links.png" path="/" encoding="base64">' in exported
    assert b"](@@PLUGINFILE@@/redundant-links.png)" in exported
    assert b"asset:" not in exported
    again = read_file(exported, "again.xml")
    assert again.bank.questions == result.bank.questions
    hashes = {a.name: hashlib.sha256(a.data).hexdigest() for a in again.bank.assets}
    assert hashes == {a.name: a.sha256 for a in result.bank.assets}


def test_a_file_of_the_markdown_format_keeps_its_reference():
    png = base64.b64encode(_tiny_png()).decode()
    text = f"""<?xml version="1.0"?><quiz><question type="essay"><name><text>Draw</text></name>
<questiontext format="markdown"><text>Label ![the desk](@@PLUGINFILE@@/desk%20plan.png)</text>
<file name="desk plan.png" path="/" encoding="base64">{png}</file></questiontext>
<idnumber>ESS-1</idnumber></question></quiz>"""
    result = read_file(text.encode(), "md.xml")
    assert result.bank.questions[0].stem == "Label ![the desk](asset:desk-plan.png)"
    assert [a.name for a in result.bank.assets] == ["desk-plan.png"]


def test_bad_base64_and_a_missing_file_are_warnings():
    text = """<?xml version="1.0"?><quiz><question type="essay"><name><text>Draw</text></name>
<questiontext format="html"><text><![CDATA[<p>See <img src="@@PLUGINFILE@@/gone.png" alt="gone">
<img src="@@PLUGINFILE@@/bad.png" alt="bad"></p>]]></text>
<file name="bad.png" path="/" encoding="base64">not base64!!</file></questiontext>
<idnumber>ESS-2</idnumber></question></quiz>"""
    result = read_file(text.encode(), "warn.xml")
    codes = {c[1] for c in _codes(result)}
    assert {"asset.not_base64", "asset.missing"} <= codes and not result.errors


def test_types_are_told_by_their_bytes_not_their_names():
    assert sniff(_tiny_png()) == "image/png"
    assert sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None
    assert sniff(b"GIF89a" + b"\0" * 10) == "image/gif"
    assert sniff(b"RIFF\0\0\0\0WEBPVP8 ") == "image/webp"
    assert sniff(b"OggS\0\2") == "audio/ogg"
    refused = check_asset("evil.png", b"<html><script>alert(1)</script>")
    assert isinstance(refused, Message) and refused.code == "asset.type"
    too_big = check_asset("big.png", _tiny_png() + b"\0" * (3 * 1024 * 1024))
    assert isinstance(too_big, Message) and too_big.code == "asset.too_large"
    kept = check_asset("a b.png", _tiny_png())
    assert isinstance(kept, AssetRecord) and (kept.name, kept.media_type) == (
        "a-b.png",
        "image/png",
    )


def test_names_are_sanitised():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("C:\\pics\\my pic (1).PNG") == "my-pic-1.PNG"
    assert clean_name("图表.png") == "png"
    assert clean_name("...") == ""


def _tiny_png() -> bytes:
    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGM4oaEBRAwQCgAhLgRhHuBtwgAAAABJRU5ErkJggg=="
    )


def test_formats_without_files_warn_where_a_file_is_left_behind():
    result = read_file(MEDIA, "media_export.xml")
    for fmt in ("gift", "aiken", "csv", "yaml"):
        exported = write_bank(result.bank, fmt)
        # beside the files, GIFT and Aiken also say they leave MED-001's outcome feedback out
        files = [w for w in exported.warnings if w.message.code == "asset.not_exported"]
        left = {(w.location.path, w.message.params["name"]) for w in files}
        assert ("MED-001", "redundant-links.png") in left, fmt
        assert ("MED-001", "marker.png") in left and ("MED-002", "term.mp3") in left, fmt
        assert all(w.severity == "warning" for w in exported.warnings)
    assert write_bank(result.bank, "moodlexml").warnings == []
    assert write_bank(result.bank, "qti").warnings == []


def test_a_pasted_data_image_becomes_a_file_named_by_its_hash():
    png = base64.b64encode(_tiny_png()).decode()
    svg = base64.b64encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>").decode()
    text = f"""<?xml version="1.0"?><quiz><question type="essay"><name><text>Paste</text></name>
<questiontext format="html"><text><![CDATA[<p>Pasted <img src="data:image/png;base64,{png}"
alt="a dot"> twice <img src="data:image/png;base64,{png}" alt="again">
and <img src="data:image/svg+xml;base64,{svg}" alt="vector"></p>]]></text></questiontext>
<idnumber>ESS-3</idnumber></question></quiz>"""
    result = read_file(text.encode(), "paste.xml")
    digest = hashlib.sha256(_tiny_png()).hexdigest()[:16]
    name = f"image-{digest}.png"
    assert [a.name for a in result.bank.assets] == [name]
    stem = result.bank.questions[0].stem
    assert f"![a dot](asset:{name})" in stem and f"![again](asset:{name})" in stem
    assert "vector" in stem and "svg" not in stem
    found = [(p.location.path, p.message.code) for p in result.problems]
    assert ("quiz/question[1]", "asset.type") in found
    assert not any(code.startswith("markup.") for _path, code in found)  # warned once


def test_the_image_of_a_moodle_1_9_question_follows_its_text():
    result = read_file((DATA / "moodlexml" / "legacy_image.xml").read_bytes(), "old.xml")
    assert [a.name for a in result.bank.assets] == ["escalation-chart.png"]
    question = result.bank.questions[0]
    assert question.stem == (
        "Which level of the chart handles a major incident first?\n\n"
        "![](asset:escalation-chart.png)"
    )
    again = read_file(write_bank(result.bank, "moodlexml").data, "again.xml")
    assert again.bank.questions == result.bank.questions
    assert [a.sha256 for a in again.bank.assets] == [a.sha256 for a in result.bank.assets]


def test_files_of_the_same_name_in_two_questions_stay_apart():
    first = base64.b64encode(_tiny_png()).decode()
    second_png = (DATA / "qti" / "media_package" / "images" / "failover.png").read_bytes()
    second = base64.b64encode(second_png).decode()

    def question(number: int, encoded: str) -> str:
        return f"""<question type="essay"><name><text>Draw {number}</text></name>
<questiontext format="html"><text><![CDATA[<p>Plan {number}:
<img src="@@PLUGINFILE@@/image.png" alt="plan {number}"></p>]]></text>
<file name="image.png" path="/" encoding="base64">{encoded}</file></questiontext>
<idnumber>PLAN-{number}</idnumber></question>"""

    text = f'<?xml version="1.0"?><quiz>{question(1, first)}{question(2, second)}</quiz>'
    result = read_file(text.encode(), "plans.xml")
    renamed = f"image-{hashlib.sha256(second_png).hexdigest()[:8]}.png"
    assert [a.name for a in result.bank.assets] == ["image.png", renamed]
    one, two = result.bank.questions
    assert "![plan 1](asset:image.png)" in one.stem
    assert f"![plan 2](asset:{renamed})" in two.stem
    assert not [p for p in result.problems if p.message.code.startswith("asset.")]
    again = read_file(write_bank(result.bank, "moodlexml").data, "again.xml")
    assert again.bank.questions == result.bank.questions
    assert [a.sha256 for a in again.bank.assets] == [a.sha256 for a in result.bank.assets]

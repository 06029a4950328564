"""A QTI package's images, sounds, MathML, ruby and stimuli survive import and export."""

import io
import zipfile
from pathlib import Path

from app.formats import qti, read_file, write_bank
from tests.unit.formats.test_qti import zip_folder

PACKAGE = Path(__file__).resolve().parents[2] / "data" / "qti" / "media_package"


def _read():
    return qti.read(zip_folder(PACKAGE), "media.zip")


def test_package_images_and_sounds_become_bank_assets():
    result = _read()
    assert {(a.name, a.media_type) for a in result.bank.assets} == {
        ("failover.png", "image/png"),
        ("legend.gif", "image/gif"),
        ("greeting.ogg", "audio/ogg"),
    }
    failover, greeting = result.bank.questions
    assert "![green marks the standby site](asset:legend.gif)" in failover.stem
    assert "[the agent gives her name and the call number](asset:greeting.ogg)" in greeting.stem


def test_mathml_and_ruby_are_kept():
    failover, greeting = _read().bank.questions
    assert '<math display="inline"><mfrac><mrow><mn>720</mn>' in failover.stem
    assert "<ruby>受付<rp>(</rp><rt>uketsuke</rt><rp>)</rp></ruby>" in greeting.stem


def test_a_stimulus_becomes_the_scenario_of_the_items_referring_to_it():
    result = _read()
    assert [(s.id, s.title) for s in result.bank.scenarios] == [
        ("outage-case", "The Saturday outage")
    ]
    case = result.bank.scenarios[0]
    assert "lost power for four hours" in case.text
    assert "![Failover timeline](asset:failover.png)" in case.text  # relative to the stimulus
    assert [q.scenario for q in result.bank.questions] == ["outage-case", "outage-case"]


def test_what_cannot_be_kept_is_a_located_warning():
    result = _read()
    found = {(p.location.file, p.location.path, p.message.code) for p in result.problems}
    assert found == {
        ("media.zip!items/greeting.xml", "assessmentItem", "markup.object"),
        (
            "media.zip!items/greeting.xml",
            "assessmentItem/assessmentStimulusRef[2]",
            "markup.stimulus_missing",
        ),
    }
    assert all(p.severity == "warning" for p in result.problems)
    greeting = result.bank.questions[1]
    assert "A video of the call back, not shipped with this package." in greeting.stem


def test_export_lists_the_files_in_the_manifest_and_reads_back_identically():
    result = _read()
    exported = write_bank(result.bank, "qti").data
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        names = set(archive.namelist())
        manifest = archive.read("imsmanifest.xml").decode()
        item = archive.read("items/failover-target.xml").decode()
    assert {"assets/failover.png", "assets/legend.gif", "assets/greeting.ogg"} <= names
    assert '<file href="assets/legend.gif" />' in manifest
    assert 'src="../assets/legend.gif"' in item and "asset:" not in item
    assert '<math display="inline" xmlns="http://www.w3.org/1998/Math/MathML">' in item
    again = read_file(exported, "again.zip")
    assert again.problems == []
    assert again.bank.questions == result.bank.questions
    assert again.bank.scenarios == result.bank.scenarios
    assert {a.name: a.sha256 for a in again.bank.assets} == {
        a.name: a.sha256 for a in result.bank.assets
    }


def test_a_package_file_outside_the_allow_list_is_refused_with_a_warning():
    entries = {
        p.relative_to(PACKAGE).as_posix(): p.read_bytes() for p in PACKAGE.rglob("*") if p.is_file()
    }
    entries["images/legend.gif"] = b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    result = qti.read(buffer.getvalue(), "svg.zip")
    assert "legend.gif" not in {a.name for a in result.bank.assets}
    codes = {(p.location.file, p.message.code) for p in result.problems}
    assert ("svg.zip!items/failover.xml", "asset.type") in codes
    assert "green marks the standby site" in result.bank.questions[0].stem
    assert "asset:legend.gif" not in result.bank.questions[0].stem


def test_a_qti_3_stimulus_and_its_image_are_kept():
    result = qti.read(zip_folder(PACKAGE.parent / "media_package30"), "rota.zip")
    assert result.problems == []
    (case,) = result.bank.scenarios
    assert (case.id, case.title) == ("rota-passage", "The on-call rota")
    assert "![March rota](asset:rota.png)" in case.text
    assert [a.name for a in result.bank.assets] == ["rota.png"]
    assert result.bank.questions[0].scenario == "rota-passage"

"""A bank's files are written with its questions, exported back and re-imported unchanged."""

from pathlib import Path

from app.extensions import db
from app.models import SYSTEM, BankAsset, QuestionVersion
from app.queries import banks as bank_queries
from app.services.bank_import import ImportOptions, import_files

MEDIA = Path(__file__).resolve().parents[1] / "data" / "moodlexml" / "media_export.xml"


def _import(name: str, content: bytes, **options):
    return import_files(SYSTEM, [(name, content)], ImportOptions(**options))


def _state():
    hashes = sorted(db.session.scalars(db.select(QuestionVersion.content_hash)))
    files = sorted(db.session.execute(db.select(BankAsset.name, BankAsset.sha256)).all())
    return hashes, files


def test_import_writes_the_files_in_the_same_transaction(reference):
    dry = _import("media.xml", MEDIA.read_bytes(), dry_run=True)
    assert dry.ok and dry.files[0].files_added == 3
    assert BankAsset.query.count() == 0  # a dry run writes nothing, files included
    done = _import("media.xml", MEDIA.read_bytes())
    assert done.written and BankAsset.query.count() == 3
    row = BankAsset.query.filter_by(name="redundant-links.png").one()
    assert row.media_type == "image/png" and row.size == len(row.data) == 73


def test_export_and_reimport_give_identical_hashes(reference):
    _import("media.xml", MEDIA.read_bytes())
    before = _state()
    record = bank_queries.bank_record("media")
    assert record is not None and {a.name for a in record.assets} == {
        "marker.png",
        "redundant-links.png",
        "term.mp3",
    }
    from app.formats import write_bank

    exported = write_bank(record, "moodlexml").data
    again = _import("media.xml", exported)
    assert again.ok and again.files[0].unchanged == 2 and again.files[0].files_added == 0
    assert _state() == before


def test_a_changed_file_replaces_the_old_one(reference):
    _import("media.xml", MEDIA.read_bytes())
    record = bank_queries.bank_record("media")
    assert record is not None
    from app.domain.assets import AssetRecord
    from app.formats import write_bank

    old = next(a for a in record.assets if a.name == "marker.png")
    other = next(a for a in record.assets if a.name == "redundant-links.png")
    record.assets = [AssetRecord("marker.png", "image/png", other.data)]
    changed = _import("media.xml", write_bank(record, "moodlexml").data)
    assert changed.ok and changed.files[0].files_changed == 1
    row = BankAsset.query.filter_by(name="marker.png").one()
    assert row.sha256 == other.sha256 != old.sha256
    assert BankAsset.query.count() == 3  # files the export lacks stay


def test_too_many_bytes_for_one_bank_stop_the_import(reference, monkeypatch):
    from app.services import bank_assets

    monkeypatch.setattr(bank_assets, "MAX_BANK_ASSET_BYTES", 100)
    report = _import("media.xml", MEDIA.read_bytes())
    assert not report.ok and not report.written
    assert len(report.errors) == 1 and "more than the 0 KB" in str(report.errors[0].message)
    assert BankAsset.query.count() == 0


def test_a_qti_package_with_stimuli_round_trips_through_the_database(reference):
    from app.formats import write_bank
    from app.models import Question, Scenario
    from tests.unit.formats.test_qti import zip_folder

    package = zip_folder(MEDIA.parents[1] / "qti" / "media_package")
    report = _import("continuity.zip", package, clause="8.7.2")
    assert report.written, report.errors
    assert {p.message.code for f in report.files for p in f.problems} == {
        "markup.object",
        "markup.stimulus_missing",
    }
    case = Scenario.query.filter_by(key="outage-case").one()
    for key in ("failover-target", "desk-greeting"):
        question = Question.query.filter_by(key=key).one()
        assert question.current_version.scenario_id == case.id
    assert {a.name for a in BankAsset.query} == {"failover.png", "legend.gif", "greeting.ogg"}
    before = _state()
    record = bank_queries.bank_record("continuity")
    assert record is not None
    again = _import("continuity.zip", write_bank(record, "qti").data)
    assert again.ok and again.files[0].unchanged == 2 and again.files[0].problems == []
    assert _state() == before


def test_a_file_of_another_question_is_never_replaced_under_it(reference):
    import base64

    from app.models import Question

    _import("media.xml", MEDIA.read_bytes())
    original = BankAsset.query.filter_by(name="marker.png").one().sha256
    other = MEDIA.parents[1] / "qti" / "media_package" / "images" / "failover.png"
    encoded = base64.b64encode(other.read_bytes()).decode()
    text = f"""<?xml version="1.0"?><quiz>
<question type="category"><category><text>$course$/clausewise/media</text></category>
<idnumber>media</idnumber></question>
<question type="truefalse"><name><text>Marker</text></name>
<questiontext format="html"><text><![CDATA[<p>The marker <img src="@@PLUGINFILE@@/marker.png"
alt="new marker"> shows the standby site.</p>]]></text>
<file name="marker.png" path="/" encoding="base64">{encoded}</file></questiontext>
<idnumber>MED-003</idnumber>
<answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer>
<tags><tag><text>clause:8.7.2</text></tag></tags></question></quiz>"""
    report = _import("more.xml", text.encode())
    assert report.written and report.files[0].files_added == 1
    assert BankAsset.query.filter_by(name="marker.png").one().sha256 == original
    kept = BankAsset.query.filter(BankAsset.name != "marker.png", BankAsset.name.like("marker-%"))
    (row,) = kept.all()
    stem = Question.query.filter_by(key="MED-003").one().current_version.stem
    assert f"![new marker](asset:{row.name})" in stem
    assert (
        "asset:marker.png"
        in Question.query.filter_by(key="MED-001").one().current_version.explanation
    )

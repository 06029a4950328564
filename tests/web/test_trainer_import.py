"""Trainers import through the browser: a dry run first, located errors, then confirm."""

import io

from app.models import SYSTEM, Question, Role
from tests.services.test_bank_import import BANK


def _upload(client, text: str, name: str = "demo.yaml", **fields):
    data = {"files": (io.BytesIO(text.encode()), name), "fmt": "auto", "level": "", **fields}
    return client.post("/train/import", data=data, content_type="multipart/form-data")


def test_dry_run_then_confirm_imports(client, login_as, reference):
    login_as(Role.TRAINER)
    checked = _upload(client, BANK)
    assert b"Checked: no errors" in checked.data and Question.query.count() == 0
    token = checked.data.split(b'name="token" type="hidden" value="')[1].split(b'"')[0]
    done = client.post("/train/import/confirm", data={"token": token.decode(), "fmt": "auto"})
    assert done.status_code == 302 and Question.query.count() == 2


def test_errors_are_listed_with_their_place_and_nothing_is_written(client, login_as, reference):
    login_as(Role.TRAINER)
    page = _upload(client, BANK.replace('["8.6.1"]', '["77.1"]'))
    assert b"nothing was written" in page.data and b"demo.yaml:5" in page.data
    assert b"Import now" not in page.data and Question.query.count() == 0


def test_another_trainers_staged_upload_cannot_be_confirmed(client, login_as, reference):
    login_as(Role.TRAINER)
    checked = _upload(client, BANK)
    token = checked.data.split(b'name="token" type="hidden" value="')[1].split(b'"')[0]
    client.post("/logout")
    login_as(Role.TRAINER)
    other = client.post("/train/import/confirm", data={"token": token.decode()})
    assert other.status_code == 404 and Question.query.count() == 0


def test_export_and_templates_download(client, login_as, reference):
    login_as(Role.TRAINER)
    _upload(client, BANK)
    from app.services.bank_import import ImportOptions, import_files

    import_files(SYSTEM, [("demo.yaml", BANK.encode())], ImportOptions())
    gift = client.get("/train/banks/demo/export?format=gift")
    assert gift.status_code == 200 and b"Its classification and priority" in gift.data
    assert "attachment" in gift.headers["Content-Disposition"]
    assert client.get("/train/template.xlsx").data[:2] == b"PK"
    assert b"stem" in client.get("/train/template.csv").data
    assert client.get("/train/banks/nope/export?format=gift").status_code == 404


def test_learners_cannot_import(client, login_as):
    login_as(Role.LEARNER)
    assert client.get("/train/import").status_code == 403


def test_oversized_upload_is_refused_with_413(make_app, make_user):
    small = make_app(MAX_CONTENT_LENGTH=1024)
    client = small.test_client()
    with small.app_context():
        trainer = make_user(role=Role.TRAINER)
        from tests.factories import PASSWORD

        client.post("/login", data={"email": trainer.email, "password": PASSWORD})
        response = client.post(
            "/train/import",
            data={"files": (io.BytesIO(b"x" * 5000), "big.yaml")},
            content_type="multipart/form-data",
        )
    assert response.status_code == 413 and b"File too large" in response.data


def _token(page) -> str:
    return page.data.split(b'name="token" type="hidden" value="')[1].split(b'"')[0].decode()


def test_a_trainer_cannot_publish_an_import_without_review(client, login_as, reference):
    login_as(Role.TRAINER)
    form = client.get("/train/import").get_data(as_text=True)
    assert "Send new and changed questions for review" in form
    assert "Publish new and changed questions at once" not in form
    # the old "publish at once" box, posted by hand, publishes nothing
    old_style = _upload(client, BANK, publish="y")
    client.post("/train/import/confirm", data={"token": _token(old_style), "publish": "True"})
    assert {q.status for q in Question.query} == {"draft"}
    tampered = _upload(client, BANK, after="publish")
    assert b"Import now" not in tampered.data
    checked = _upload(client, BANK, after="review")
    refused = client.post(
        "/train/import/confirm", data={"token": _token(checked), "after": "publish"}
    )
    assert refused.status_code == 403
    assert {q.status for q in Question.query} == {"draft"}


def test_sending_an_import_for_review_and_single_trainer_publishing(
    client, login_as, reference, make_user
):
    from app.queries.banks import published_pool
    from app.services import authoring

    login_as(Role.TRAINER)
    checked = _upload(client, BANK, after="review")
    client.post("/train/import/confirm", data={"token": _token(checked), "after": "review"})
    assert {q.status for q in Question.query} == {"in_review"}
    authoring.set_single_trainer_mode(make_user(role=Role.ADMIN), True)
    assert "Publish new and changed questions at once" in client.get("/train/import").text
    changed = BANK.replace("recorded first", "logged first")
    checked = _upload(client, changed, after="publish")
    client.post("/train/import/confirm", data={"token": _token(checked), "after": "publish"})
    question = Question.query.filter_by(key="demo-1").one()
    assert published_pool()[1]["demo-1"] == question.current_version_id


def test_the_dry_run_shows_a_change_to_the_banks_details(client, login_as, reference):
    from app.services.bank_import import ImportOptions, import_files

    described = BANK.replace("title: Demo bank}", "title: Demo bank, licence: CC-BY-4.0}")
    import_files(SYSTEM, [("demo.yaml", described.encode())], ImportOptions())
    login_as(Role.TRAINER)
    plain = _upload(
        client,
        "::Desk:: Who logs incidents? {=The desk ~The supplier}\n",
        "x.gift",
        bank_code="demo",
        clause="8.6.1",
    )
    assert b"Checked: no errors" in plain.data and b"cw-bank-changes" not in plain.data
    retitled = BANK.replace("title: Demo bank}", "title: Service desk}")
    page = _upload(client, retitled).get_data(as_text=True)
    assert "“Demo bank” becomes “Service desk”" in page and "licence" not in page.lower()
    from app.models import Bank

    assert Bank.query.filter_by(code="demo").one().licence == "CC-BY-4.0"


def test_importing_without_reference_data_says_how_to_load_it(client, login_as, app):
    login_as(Role.TRAINER)
    page = _upload(client, BANK)
    assert page.status_code == 200 and b"nothing was written" in page.data
    assert b"flask --app wsgi reference load" in page.data and b"demo.yaml:5" in page.data
    assert Question.query.count() == 0


def test_downloads_keep_their_file_names_and_types(client, login_as, reference):
    from werkzeug.http import parse_options_header

    from app.services.bank_import import ImportOptions, import_files

    login_as(Role.TRAINER)
    import_files(SYSTEM, [("demo.yaml", BANK.encode())], ImportOptions())
    expected = {
        "/train/banks/demo/export?format=moodlexml": ("demo.xml", "application/xml"),
        "/train/banks/demo/export?format=gift": ("demo.gift", "text/plain"),
        "/train/template.csv": ("clausewise-template.csv", "text/csv"),
    }
    for url, (name, mimetype) in expected.items():
        reply = client.get(url)
        kind, options = parse_options_header(reply.headers["Content-Disposition"])
        assert (kind, options["filename"], reply.mimetype) == ("attachment", name, mimetype)


def test_partial_import_lists_what_it_leaves_out_then_imports_the_rest(client, login_as, reference):
    from tests.services.test_bank_import import DATA

    login_as(Role.TRAINER)
    text = (DATA / "mixed.gift").read_text()
    blocked = _upload(client, text, "mixed.gift")
    assert b"nothing was written" in blocked.data
    checked = _upload(client, text, "mixed.gift", skip_invalid="y")
    page = checked.data.decode()
    assert "Checked: no errors" in page and "2 items will be left out:" in page
    assert "mixed.gift:8" in page and "99.1" in page
    token = checked.data.split(b'name="token" type="hidden" value="')[1].split(b'"')[0]
    done = client.post(
        "/train/import/confirm",
        data={"token": token.decode(), "fmt": "auto", "skip_invalid": "True"},
    )
    assert done.status_code == 302
    assert sorted(q.key for q in Question.query) == ["P-1", "P-4"]


def test_the_export_report_lists_what_a_format_leaves_out_by_question(client, login_as, reference):
    from app.services.bank_import import ImportOptions, import_files

    with_hints = BANK.replace(
        "type: true_false", "type: true_false\n    hints: [{text: Think of 8.6.1.}]", 1
    )
    assert "hints" in with_hints
    report = import_files(SYSTEM, [("demo.yaml", with_hints.encode())], ImportOptions())
    assert report.ok
    login_as(Role.TRAINER)
    page = client.get("/train/banks/demo/export/report?format=gift").get_data(as_text=True)
    assert "1 warning about parts of written questions:" in page
    assert "GIFT cannot hold its hint, so it is left out" in page
    assert 'href="/train/banks/demo/export?format=gift"' in page
    native = client.get("/train/banks/demo/export/report?format=yaml").get_data(as_text=True)
    assert "Nothing is left out" in native
    gift = client.get("/train/banks/demo/export?format=gift")
    assert gift.headers["X-Clausewise-Warnings"] == "1"
    assert client.get("/train/banks/demo/export/report?format=doc").status_code == 400
    assert client.get("/train/banks/nope/export/report?format=gift").status_code == 404
    client.post("/logout")
    login_as(Role.LEARNER)
    assert client.get("/train/banks/demo/export/report?format=gift").status_code == 403

"""A bank's files are served from the app to those who may see the questions showing them."""

import re
from pathlib import Path

from app.models import SYSTEM, Bank, BankAsset, Question, Role
from app.services.bank_import import ImportOptions, import_files

MEDIA = Path(__file__).resolve().parents[1] / "data" / "moodlexml" / "media_export.xml"


def _import(publish: bool = True) -> Bank:
    options = ImportOptions(publish=publish)
    report = import_files(SYSTEM, [("media.xml", MEDIA.read_bytes())], options)
    assert report.written, report.errors
    return Bank.query.filter_by(code="media").one()


def test_trainer_gets_the_file_with_its_type_and_safe_headers(client, login_as, reference):
    bank = _import(publish=False)
    login_as(Role.TRAINER)
    reply = client.get(f"/banks/{bank.id}/assets/redundant-links.png")
    row = BankAsset.query.filter_by(name="redundant-links.png").one()
    assert reply.status_code == 200 and reply.data == row.data
    assert reply.headers["Content-Type"] == "image/png"
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in reply.headers["Cache-Control"]
    assert "max-age" not in reply.headers["Cache-Control"]
    assert reply.headers["ETag"].strip('"') == row.sha256
    again = client.get(
        f"/banks/{bank.id}/assets/redundant-links.png",
        headers={"If-None-Match": reply.headers["ETag"]},
    )
    assert again.status_code == 304


def test_signed_out_visitors_and_managers_get_nothing(client, login_as, reference):
    bank = _import()
    signed_out = client.get(f"/banks/{bank.id}/assets/redundant-links.png")
    assert signed_out.status_code == 302 and "/login" in signed_out.headers["Location"]
    login_as(Role.MANAGER)
    assert client.get(f"/banks/{bank.id}/assets/redundant-links.png").status_code == 403


def test_learner_sees_files_of_live_question_texts_only(client, login_as, reference):
    bank = _import()
    login_as(Role.LEARNER)
    assert client.get(f"/banks/{bank.id}/assets/redundant-links.png").status_code == 200
    assert client.get(f"/banks/{bank.id}/assets/term.mp3").status_code == 200
    # Shown only by an explanation: not before the learner may see it.
    assert client.get(f"/banks/{bank.id}/assets/marker.png").status_code == 404
    assert client.get(f"/banks/{bank.id}/assets/no-such.png").status_code == 404
    assert client.get(f"/banks/{bank.id + 1}/assets/redundant-links.png").status_code == 404
    assert client.get(f"/banks/{bank.id}/assets/..%2Fmedia.xml").status_code == 404


def test_learner_gets_nothing_of_draft_questions(client, login_as, reference):
    bank = _import(publish=False)
    login_as(Role.LEARNER)
    assert client.get(f"/banks/{bank.id}/assets/redundant-links.png").status_code == 404


def test_the_trainer_question_page_shows_the_image_and_the_formula(client, login_as, reference):
    bank = _import(publish=False)
    login_as(Role.TRAINER)
    question = Question.query.filter_by(key="MED-001").one()
    page = client.get(f"/train/questions/{question.id}").get_data(as_text=True)
    assert f'src="/banks/{bank.id}/assets/redundant-links.png"' in page
    assert "<math><mn>1</mn>" in page and "<msup>" in page
    assert f'src="/banks/{bank.id}/assets/marker.png"' in page


def test_the_learner_practice_page_shows_the_image(client, login_as, reference):
    bank = _import()
    login_as(Role.LEARNER)
    data = {"scheme": "foundation", "mode": "practice", "count": "1", "clauses": "8.7.2"}
    data |= {"layout": "single", "feedback": "each"}
    started = client.post("/learn/attempts", data=data)
    assert started.status_code == 302, started.data[:400]
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert re.search(
        rf'<img src="/banks/{bank.id}/assets/redundant-links.png" alt="Two links', page
    )
    image = client.get(f"/banks/{bank.id}/assets/redundant-links.png")
    assert image.status_code == 200


def test_the_dry_run_lists_the_files_and_the_located_warnings(client, login_as, reference):
    import io

    login_as(Role.TRAINER)
    data = {"files": (io.BytesIO(MEDIA.read_bytes()), "media.xml"), "fmt": "auto", "level": ""}
    page = client.post("/train/import", data=data, content_type="multipart/form-data")
    text = page.get_data(as_text=True)
    assert "3 files (images or sounds) will be added to the bank." in text
    assert "quiz/question[3]/questiontext/file[2]" in text  # the refused SVG, where it was
    assert "was replaced by its fallback content" in text
    assert BankAsset.query.count() == 0


def test_an_export_that_cannot_carry_the_files_says_so(client, login_as, reference):
    _import(publish=False)
    login_as(Role.TRAINER)
    gift = client.get("/train/banks/media/export?format=gift")
    # Three files (the SVG the import refused shows as its description, with no reference),
    # and MED-001's feedback by outcome, which GIFT cannot hold either.
    assert gift.status_code == 200 and gift.headers["X-Clausewise-Warnings"] == "4"
    moodle = client.get("/train/banks/media/export?format=moodlexml")
    assert "X-Clausewise-Warnings" not in moodle.headers
    assert b'<file name="term.mp3" path="/" encoding="base64">' in moodle.data


def test_explanation_files_open_to_the_learner_once_the_answer_is_checked(
    client, login_as, reference
):
    from app.models import Attempt
    from tests.factories import public_answer

    bank = _import()
    login_as(Role.LEARNER)
    marker = f"/banks/{bank.id}/assets/marker.png"
    data = {"scheme": "foundation", "mode": "practice", "count": "1", "clauses": "8.7.2"}
    data |= {"layout": "single", "feedback": "each"}
    url = client.post("/learn/attempts", data=data).headers["Location"]
    assert client.get(marker).status_code == 404  # the explanation is not shown yet
    attempt = Attempt.query.one()
    item = attempt.items[0]
    answer = public_answer(attempt, item, item.display_order[0])
    client.post(f"{url}/answers/1", data={"response": answer, "check": "1"})
    page = client.get(f"{url}?q=1").get_data(as_text=True)
    assert f'src="{marker}"' in page
    assert client.get(marker).status_code == 200


def test_the_editor_preview_shows_the_banks_files(client, login_as, reference):
    from tests.web.test_authoring_pages import SINGLE

    bank = _import(publish=False)
    login_as(Role.TRAINER)
    page = client.get(f"/train/banks/{bank.id}/questions/new?type=single_choice")
    assert f"/train/banks/{bank.id}/questions/preview?type=single_choice" in page.get_data(
        as_text=True
    )
    data = {**SINGLE, "stem": "Which plan? ![plan](asset:redundant-links.png)"}
    data["explanation"] = "See ![marker](asset:marker.png)"
    reply = client.post(f"/train/banks/{bank.id}/questions/preview?type=single_choice", data=data)
    assert reply.status_code == 200
    html = reply.get_data(as_text=True)
    # drawn by the learner's partials, the files addressed under the bank as learners see them
    assert f'src="/banks/{bank.id}/assets/redundant-links.png"' in html
    assert f'src="/banks/{bank.id}/assets/marker.png"' in html.partition("cw-preview-after")[2]


def test_api_items_name_their_bank_and_its_files_are_served_by_token(api, reference):
    bank = _import()
    body = {"scheme": "foundation", "mode": "practice", "count": 1, "clauses": ["8.7.2"]}
    started = api("POST", "/attempts", json=body)
    assert started.status_code == 201, started.get_json()
    item = started.get_json()["items"][0]
    assert item["bank"] == bank.id and "asset:redundant-links.png" in item["question"]["stem"]
    image = api("GET", f"/banks/{bank.id}/assets/redundant-links.png")
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/png"
    assert api("GET", f"/banks/{bank.id}/assets/marker.png").status_code == 404
    anonymous = api(
        "GET", f"/banks/{bank.id}/assets/redundant-links.png", headers={"Authorization": ""}
    )
    assert anonymous.status_code == 401


def test_the_bank_page_lists_its_files(client, login_as, reference):
    bank = _import(publish=False)
    login_as(Role.TRAINER)
    page = client.get(f"/train/banks/{bank.id}").get_data(as_text=True)
    assert "3 files" in page
    assert f'href="/banks/{bank.id}/assets/term.mp3"><code>term.mp3</code></a> · audio/mpeg' in page

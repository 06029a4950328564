"""The trainer's upload page refuses a spreadsheet bomb with a located error, unopened."""

import io

from app.formats import xlsx_format
from app.models import Question, Role
from tests.unit.formats.test_workbook_bombs import bomb


def test_the_import_page_refuses_a_workbook_bomb(client, login_as, monkeypatch):
    opened = []
    monkeypatch.setattr(xlsx_format.openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
    login_as(Role.TRAINER)
    data = {"files": (io.BytesIO(bomb(40 * 1024 * 1024)), "bomb.xlsx"), "fmt": "auto"}
    page = client.post("/train/import", data=data, content_type="multipart/form-data")
    assert page.status_code == 200
    assert b"nothing was written" in page.data
    assert b"xl/sharedStrings.xml" in page.data and b"looks like a zip bomb" in page.data
    assert Question.query.count() == 0 and opened == []

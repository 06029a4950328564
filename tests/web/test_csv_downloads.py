"""Every CSV the app sends starts with a UTF-8 byte order mark: Excel on a Chinese Windows
then reads it as UTF-8, not in the legacy code page (GBK), and Chinese names stay intact."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from app.models import Bank, Role
from tests.factories import make_team

BOM = b"\xef\xbb\xbf"
APP = Path(__file__).resolve().parents[2] / "app"


def test_a_team_export_keeps_chinese_names_for_excel(client, login_as, make_user, banks):
    manager = make_user(role=Role.MANAGER)
    learner = make_user(role=Role.LEARNER, email="zhang.wei@example.cn", name="张伟")
    team = make_team(manager, "服务台", [learner])
    login_as(user=manager)
    reply = client.get(f"/manage/teams/{team.id}/export/members.csv")
    assert reply.status_code == 200 and reply.mimetype == "text/csv"
    data = reply.get_data()
    assert data.startswith(BOM) and not data[len(BOM) :].startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["张伟"]


@pytest.mark.parametrize(
    ("role", "url"),
    [
        (Role.TRAINER, "/train/template.csv"),
        (Role.TRAINER, "/train/banks/{bank}/export?format=csv"),
        (Role.TRAINER, "/train/analysis/export.csv?scheme=foundation"),
        (Role.TRAINER, "/train/readiness/backtest/predictions.csv?scheme=foundation"),
        (Role.ADMIN, "/admin/organization/teams.csv?scheme=foundation"),
    ],
)
def test_every_csv_download_starts_with_a_byte_order_mark(client, login_as, banks, role, url):
    login_as(role)
    reply = client.get(url.format(bank=Bank.query.order_by(Bank.id).first().code))
    assert reply.status_code == 200, url
    assert reply.mimetype == "text/csv" and reply.mimetype_params.get("charset") == "utf-8"
    assert reply.get_data().startswith(BOM), url


def test_csv_is_only_written_where_the_byte_order_mark_is_added():
    """A new download that writes CSV itself would miss the mark: CSV text is made only by
    app.formats.tables (pandas tables) and app.formats.csv_format (question banks)."""
    writers = {"formats/tables.py", "formats/csv_format.py"}
    found = []
    for module in APP.rglob("*.py"):
        where = str(module.relative_to(APP))
        source = module.read_text(encoding="utf-8")
        if re.search(r"\.to_csv\(|csv\.writer\(|csv\.DictWriter\(", source) and (
            where not in writers
        ):
            found.append(where)
    assert found == []

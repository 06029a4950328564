"""Long imports and exports as jobs: the trainer's import (dry run, then the import
itself), a bank export and the organization export, each run by a real worker process,
followed through the status JSON and finished with a report or a download."""

from __future__ import annotations

import io

import yaml
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Bank, Job, JobState, Question, Role
from tests.e2e.conftest import EVERY_TYPE_BANK, every_type_bank  # noqa: F401 (a fixture)
from tests.factories import PASSWORD


def _signed_in(application, user) -> FlaskClient:
    client = application.test_client()
    reply = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert reply.status_code == 302
    return client


def _job_path(reply) -> str:
    assert reply.status_code == 302, reply.get_data(as_text=True)
    return reply.headers["Location"]


def test_an_import_runs_as_jobs_from_the_dry_run_to_the_report(
    reference, queued_app, run_worker, make_user
):
    trainer = make_user(role=Role.TRAINER, email="tara@example.org")
    client = _signed_in(queued_app, trainer)
    upload = {"files": [(io.BytesIO(EVERY_TYPE_BANK.encode()), "every.yaml")]}
    page = _job_path(client.post("/train/import", data={**upload, "fmt": "auto", "after": "draft"}))
    assert client.get(f"{page}/status").json["state"] == "queued"
    waiting = client.get(page).get_data(as_text=True)
    assert "job_progress.js" in waiting and "<progress" in waiting
    run_worker()
    status = client.get(f"{page}/status").json
    assert status["finished"] and status["state"] == "done" and status["done"] == status["total"]
    checked = client.get(page).get_data(as_text=True)
    assert "Checked: no errors" in checked and "Import now" in checked
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0  # a dry run
    dry_run = page.rsplit("/", 1)[-1]
    confirm = {"job": dry_run, "fmt": "auto", "after": "draft", "skip_unsupported": "False"}
    second = _job_path(client.post("/train/import/confirm", data=confirm))
    run_worker()
    done = client.get(second).get_data(as_text=True)
    assert "Imported: 8 new and 0 changed questions." in done
    bank = db.session.scalars(select(Bank).where(Bank.code == "every-type")).one()
    assert db.session.scalar(select(func.count()).where(Question.bank_id == bank.id)) == 8


def test_a_bank_export_is_prepared_by_a_worker_and_downloaded(
    every_type_bank,  # noqa: F811 (the fixture)
    queued_app,
    run_worker,
    make_user,
):
    trainer = make_user(role=Role.TRAINER, email="tom@example.org")
    client = _signed_in(queued_app, trainer)
    start = client.get("/train/banks/every-type/export?format=yaml").get_data(as_text=True)
    assert "Prepare the file" in start
    page = _job_path(client.post("/train/banks/every-type/export?format=yaml"))
    run_worker()
    ready = client.get(page).get_data(as_text=True)
    assert "The file is ready." in ready and "Download every-type.yaml" in ready
    download = client.get(f"{page}/download")
    assert download.headers["Content-Disposition"] == "attachment; filename=every-type.yaml"
    assert len(yaml.safe_load(download.data)["questions"]) == 8
    stranger = _signed_in(queued_app, make_user(role=Role.TRAINER, email="eve@example.org"))
    assert stranger.get(page).status_code == 404
    assert stranger.get(f"{page}/download").status_code == 404


def test_the_organization_export_is_prepared_by_a_worker(
    reference, queued_app, run_worker, make_user
):
    admin = make_user(role=Role.ADMIN, email="ada@example.org")
    client = _signed_in(queued_app, admin)
    assert "Prepare the file" in client.get("/admin/organization/teams.csv").get_data(as_text=True)
    page = _job_path(client.post("/admin/organization/teams.csv"))
    run_worker()
    assert db.session.scalars(select(Job.state)).one() == JobState.DONE
    download = client.get(f"{page}/download")
    assert download.headers["Content-Type"].startswith("text/csv")
    assert b"team" in download.data.splitlines()[0]

"""The import page: upload in a background job, the validation report; training."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.routers.imports import get_normaliser
from matching.jobs import Jobs
from matching.store import models
from matching.store.access import AuditEntry

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
HEADER = "employer_id,name,sbi_code,municipality_code,postcode4,employees\n"
GOOD = "W1,Bakkerij Duin,10,GM0575,2201,12\nW2,Garage Zee,45,GM0575,2202,5\n"
BAD = "W3,Nergens,10,GM9999,,3\n"


@pytest.fixture
def admin(client_as: Callable[..., TestClient], app: FastAPI) -> TestClient:
    """An admin client; free text is not normalised here (no taxonomy load in unit tests)."""
    app.dependency_overrides[get_normaliser] = lambda: None
    return client_as("admin")


def _finish(app: FastAPI, admin: TestClient, page: str) -> str:
    """Wait for the job started by ``page`` and return its final fragment."""
    job_id = page.split('id="job-', 1)[1].split('"', 1)[0]
    jobs: Jobs = app.state.jobs
    assert jobs.wait(job_id).state != "running"
    return admin.get(f"/import/taken/{job_id}", headers={"hx-request": "true"}).text


def test_upload_reports_the_bad_row_and_stores_the_rest(
    admin: TestClient, app: FastAPI, sessions: sessionmaker[Session]
) -> None:
    assert "Bestanden uploaden" in admin.get("/import").text
    files = {"files": ("employers.csv", (HEADER + GOOD + BAD).encode(), "text/csv")}
    started = admin.post("/import", files=files, headers={"hx-request": "true"})
    assert started.status_code == 202 and 'hx-get="/import/taken/' in started.text
    report = _finish(app, admin, started.text)
    assert "1 rij afgekeurd" in report and "2 nieuw" in report
    assert "<td>werkgevers</td>" in report  # the kind of file, in Dutch
    assert "municipality_code" in report and "GM9999" in report
    with sessions() as session:
        stored = session.scalars(select(models.Employer.employer_id)).all()
        audited = session.scalars(select(AuditEntry.action).where(AuditEntry.action == "import"))
        assert sorted(stored) == ["W1", "W2"] and list(audited) == ["import"]


def test_dry_run_stores_nothing_and_wrong_type_is_refused(
    admin: TestClient, app: FastAPI, sessions: sessionmaker[Session]
) -> None:
    files = {"files": ("employers.csv", (HEADER + GOOD).encode(), "text/csv")}
    started = admin.post("/import", files=files, data={"dry_run": "true"})
    assert started.status_code == 202 and "<h1>Import</h1>" in started.text  # whole page
    assert "niets opgeslagen" in _finish(app, admin, started.text)
    with sessions() as session:
        assert session.scalars(select(models.Employer.employer_id)).all() == []
    refused = admin.post("/import", files={"files": ("notes.txt", b"x", "text/plain")})
    assert refused.status_code == 422 and "geen .csv- of .xlsx-bestand" in refused.text


def test_training_job_reports_back(admin: TestClient, app: FastAPI) -> None:
    started = admin.post("/import/trainen", headers={"hx-request": "true"})
    assert started.status_code == 202
    final = _finish(app, admin, started.text)
    assert "Niet gelukt" in final or "Klaar" in final  # an empty store has no history to learn
    job_id = started.text.split('id="job-', 1)[1].split('"', 1)[0]
    late = admin.post(f"/import/taken/{job_id}/annuleren", headers={"hx-request": "true"})
    assert late.status_code == 409 and "er valt niets te annuleren" in late.text


def test_jobs_are_private_and_import_is_admin_only(
    admin: TestClient, client_as: Callable[..., TestClient], app: FastAPI
) -> None:
    started = admin.post("/import/trainen", headers={"hx-request": "true"})
    job_id = started.text.split('id="job-', 1)[1].split('"', 1)[0]
    other_admin = client_as("admin", ["GM0575"])
    assert other_admin.get(f"/import/taken/{job_id}").status_code == 404
    assert other_admin.post(f"/import/taken/{job_id}/annuleren").status_code == 404
    assert client_as("accountmanager").get("/import").status_code == 403
    app.state.jobs.wait(job_id)


def test_import_page_names_the_active_model_by_its_training_time_not_its_id(
    admin: TestClient, app: FastAPI
) -> None:
    from matching.scoring.model_versions import ACTIVE_FILE

    model_dir = app.state.settings.resolved_model_dir()
    model_dir.mkdir(parents=True, exist_ok=True)
    version = "20261203-20261203T175435-63029b"
    (model_dir / ACTIVE_FILE).write_text(version)
    page = admin.get("/import").text
    assert version not in page and "getraind op 03-12-2026 18:54" in page  # Amsterdam, winter

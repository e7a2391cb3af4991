"""The evaluation page: the report for a period is built in a job and shown with its charts."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.pages.evaluation import default_period
from matching.jobs import Jobs
from matching.store import models
from matching.store.access import AuditEntry
from matching.whitespots.acquisition import record_contact

pytestmark = [
    pytest.mark.parametrize("engine", ["sqlite"], indirect=True),
    pytest.mark.usefixtures("seeded"),
]
HX = {"hx-request": "true"}


def test_report_for_a_period(client_as: Callable[..., TestClient], app: FastAPI) -> None:
    evaluator = client_as("evaluator")
    assert 'name="van"' in evaluator.get("/evaluatie").text
    data = {"van": "2026-01-01", "tot": "2026-06-30"}
    started = evaluator.post("/evaluatie/rapport", data=data, headers=HX)
    assert started.status_code == 202
    job_id = started.text.split('id="job-', 1)[1].split('"', 1)[0]
    jobs: Jobs = app.state.jobs
    assert jobs.wait(job_id, timeout=60).state == "done", jobs.wait(job_id).error
    shown = evaluator.get(f"/evaluatie/taken/{job_id}", headers=HX).text
    assert "Evaluatie 1 januari 2026 – 30 juni 2026" in shown and "Samenvatting" in shown
    assert 'src="data:image/png;base64,' in shown and "<style" not in shown
    download = evaluator.get(f"/evaluatie/taken/{job_id}/rapport.html")
    assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
    assert "-01-01-2026-tot-30-06-2026.html" in download.headers["content-disposition"]
    assert 'filename="evaluatie-test-' in download.headers["content-disposition"]
    # its one inline stylesheet is allowed by hash, nothing else inline
    style = download.text.split("<style>", 1)[1].split("</style>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    csp = download.headers["content-security-policy"]
    assert f"style-src 'self' 'sha256-{digest}';" in csp and "unsafe-inline" not in csp
    assert download.text.count("<style") == 1 and "<script" not in download.text


def test_same_report_on_same_data_is_there_at_once(
    client_as: Callable[..., TestClient], app: FastAPI, seeded: sessionmaker[Session]
) -> None:
    """Asked again on unchanged data, the report comes in the answer itself (kept per data
    version); after a contact (new data) it is built anew."""
    evaluator = client_as("evaluator")
    data = {"van": "2026-01-01", "tot": "2026-06-30"}
    first = evaluator.post("/evaluatie/rapport", data=data, headers=HX)
    job_id = first.text.split('id="job-', 1)[1].split('"', 1)[0]
    jobs: Jobs = app.state.jobs
    assert jobs.wait(job_id, timeout=60).state == "done"
    again = evaluator.post("/evaluatie/rapport", data=data, headers=HX)
    assert again.status_code == 200 and "sindsdien niet veranderd" in again.text
    assert "Samenvatting" in again.text and "job--done" in again.text
    other = evaluator.post("/evaluatie/rapport", data={**data, "tot": "2026-05-31"}, headers=HX)
    assert other.status_code == 202  # another period: built
    other_id = other.text.split('id="job-', 1)[1].split('"', 1)[0]
    assert jobs.wait(other_id, timeout=60).state == "done"
    with seeded.begin() as session:
        employer = session.scalars(select(models.Employer.employer_id)).first()
        assert employer is not None
        record_contact(session, employer_id=employer, date=dt.date(2026, 2, 1), kind="call")
    changed = evaluator.post("/evaluatie/rapport", data=data, headers=HX)
    assert changed.status_code == 202 and "sindsdien" not in changed.text
    with seeded() as session:
        asked = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "evaluation.report")
        ).all()
    assert len(asked) >= 3  # the kept one is audited too (the last may still run)


def test_bad_period_and_roles(client_as: Callable[..., TestClient]) -> None:
    data = {"van": "2026-06-30", "tot": "2026-01-01"}
    refused = client_as("evaluator").post("/evaluatie/rapport", data=data, headers=HX)
    assert refused.status_code == 422 and "eindigt vóór" in refused.text
    assert client_as("jobhunter").get("/evaluatie").status_code == 403


def test_default_period_is_twelve_months() -> None:
    assert default_period(dt.date(2026, 11, 22)) == (dt.date(2025, 11, 1), dt.date(2026, 11, 22))

"""On PostgreSQL a page's job goes through the queue and is run by the job worker in the app's
lifespan (an import on the queue of the host that saved the upload); the page reads its status
from the store."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.routers.imports import get_normaliser

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("engine", ["postgres"], indirect=True)]
HX = {"hx-request": "true"}
EMPLOYERS = (
    "employer_id,name,sbi_code,municipality_code,postcode4,employees\n"
    "W1,Bakkerij Duin,10,GM0575,2201,12\nW2,Garage Zee,45,GM0575,2202,5\n"
)


def _final(client: TestClient, started: str) -> str:
    """Poll the job the page started until it is no longer queued or running (30 s at most)."""
    job_id = started.split('id="job-', 1)[1].split('"', 1)[0]
    for _ in range(600):  # the worker is told at once (LISTEN/NOTIFY)
        shown = client.get(f"/import/taken/{job_id}", headers=HX).text
        if "hx-get" not in shown:
            return shown
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not end: {shown}")


def test_import_and_training_run_in_the_app_worker(
    client_as: Callable[..., TestClient], app: FastAPI
) -> None:
    app.dependency_overrides[get_normaliser] = lambda: None
    admin = client_as("admin")
    files = {"files": ("employers.csv", EMPLOYERS.encode(), "text/csv")}
    imported = admin.post("/import", files=files, headers=HX)
    assert imported.status_code == 202 and "job--queued" in imported.text
    report = _final(admin, imported.text)
    assert "Import klaar" in report and "2 nieuw" in report
    trained = admin.post("/import/trainen", headers=HX)
    assert "Niet gelukt" in _final(admin, trained.text)  # too little history to learn from

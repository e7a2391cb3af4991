"""On PostgreSQL a page's job goes through the queue and is run by the job worker in the app's
lifespan; the page reads its status from the store."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

pytestmark = [pytest.mark.postgres, pytest.mark.parametrize("engine", ["postgres"], indirect=True)]
HX = {"hx-request": "true"}


def test_training_runs_in_the_app_worker(
    client_as: Callable[..., TestClient], app: FastAPI
) -> None:
    admin = client_as("admin")
    started = admin.post("/import/trainen", headers=HX)
    assert started.status_code == 202 and "job--queued" in started.text
    job_id = started.text.split('id="job-', 1)[1].split('"', 1)[0]
    for _ in range(600):  # the worker is told at once (LISTEN/NOTIFY); 30 s at most
        shown = admin.get(f"/import/taken/{job_id}", headers=HX).text
        if "hx-get" not in shown:
            break
        time.sleep(0.05)
    assert "Niet gelukt" in shown  # an empty store has no history to learn from

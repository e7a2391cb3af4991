"""Identical proposals sent at once: one is recorded (201), the others answer 409, never 500.

The race is forced, not hoped for: every request waits at a barrier right after it has read
which candidates are already proposed, so all six pass that check before any of them inserts,
and the unique key of ``proposals`` decides. On a SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from matching.shortlist import proposals
from matching.store import models
from tests.matching.shortlist.store_fixture import seed

REQUESTS = 6


def test_identical_concurrent_proposals_give_one_201_and_409s(
    sessions: sessionmaker[Session], client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(sessions)
    barrier = threading.Barrier(REQUESTS, timeout=20)
    read_proposed = proposals.proposed_ids

    def proposed_then_wait(session: Session, vacancy_id: str) -> set[str]:
        done = read_proposed(session, vacancy_id)
        barrier.wait()
        return done

    monkeypatch.setattr(proposals, "proposed_ids", proposed_then_wait)

    def post(_: int) -> tuple[int, str]:
        response = client.post("/vacancies/V1/proposals", json={"candidate_ids": ["O1"]})
        return response.status_code, response.headers.get("content-type", "")

    with ThreadPoolExecutor(REQUESTS) as pool:
        answers = list(pool.map(post, range(REQUESTS)))
    assert sorted(code for code, _ in answers) == [201] + [409] * (REQUESTS - 1), answers
    assert all(kind == "application/json" for _, kind in answers)
    with sessions() as session:
        count = select(func.count()).select_from(models.Proposal)
        assert session.scalar(count.where(models.Proposal.candidate_id == "O1")) == 1


def test_a_repeated_proposal_is_a_conflict(
    sessions: sessionmaker[Session], client: TestClient
) -> None:
    seed(sessions)
    assert client.post("/vacancies/V1/proposals", json={"candidate_ids": ["O1"]}).status_code == 201
    again = client.post("/vacancies/V1/proposals", json={"candidate_ids": ["O1"]})
    assert again.status_code == 409 and "al voorgesteld" in again.json()["detail"]

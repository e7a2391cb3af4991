"""Multi-worker mode on PostgreSQL: two uvicorn workers give the same shortlist as one process,
and both reload their candidate pool after an import bumps the data version."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from api import create_app
from matching.access import tokens
from matching.access import users as security
from matching.data_versions import data_version
from matching.settings import Settings
from matching.store.reference import Municipality
from tests.matching.shortlist.store_fixture import seed

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("WERKMATCH_WORKER_TEST"),
        reason="starts two uvicorn workers (~30 s on a busy 2-core machine); run by make bench "
        "or with WERKMATCH_WORKER_TEST=1",
    ),
    pytest.mark.parametrize("engine", ["postgres"], indirect=True),
]
ROOT = Path(__file__).parents[2]
HEADER = "candidate_id,municipality_code,ladder_step,target_group,hours_available,status"


def _admin_token(sessions: sessionmaker[Session]) -> str:
    with sessions.begin() as session:
        codes = list(session.scalars(select(Municipality.code)))
        security.create_organisation(session, "workers", name="W", municipality_codes=codes)
        security.create_user(session, "workers-admin", role="admin", organisation_id="workers")
        return tokens.issue_token(session, "workers-admin", lifetime=dt.timedelta(hours=1)).token


@pytest.fixture
def served(engine: Engine, tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    """``uvicorn --workers 2`` (the app of ``werkmatch serve``) on a free port of 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "WERKMATCH_DATABASE_URL": url, "WERKMATCH_VAR_DIR": str(tmp_path)}
    argv = [
        sys.executable,
        "-m",
        "uvicorn",
        "tests.api.worker_app:create_app",
        "--factory",
        "--workers",
        "2",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
    ]
    server = subprocess.Popen(argv, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base, Settings(database_url=url, var_dir=tmp_path)
    finally:
        server.terminate()
        server.wait(20)


def _per_worker(base: str, token: str, path: str) -> dict[str, list[tuple[str, float]]]:
    """The shortlist from each of the two workers (new connection per request)."""
    seen: dict[str, list[tuple[str, float]]] = {}
    for _ in range(80):
        answer = httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert answer.status_code == 200, answer.text
        ranked = [(c["candidate_id"], c["score"]) for c in answer.json()["candidates"]]
        seen.setdefault(answer.headers["x-worker-pid"], ranked)
        if len(seen) == 2:
            return seen
    raise AssertionError(f"only workers {sorted(seen)} answered")


def test_two_workers_agree_and_both_see_an_import(
    served: tuple[str, Settings], sessions: sessionmaker[Session]
) -> None:
    base, settings = served
    seed(sessions)
    token = _admin_token(sessions)
    path = "/vacancies/V1/shortlist?limit=10"
    with TestClient(create_app(settings)) as one:
        single = one.get(path, headers={"Authorization": f"Bearer {token}"}).json()
    expected = [(c["candidate_id"], c["score"]) for c in single["candidates"]]
    before = _per_worker(base, token, path)
    assert list(before.values()) == [expected, expected]

    top = expected[0][0]
    row = f"{HEADER}\n{top},GM0575,5,regulier,32,inactive\n"
    answer = httpx.post(
        base + "/imports",
        headers={"Authorization": f"Bearer {token}"},
        files=[("files", ("candidates.csv", row.encode(), "text/csv"))],
        timeout=60,
    )
    assert answer.status_code == 200 and answer.json()["updated"] == 1, answer.text
    with sessions() as session:
        assert data_version(session) >= 1
    after = _per_worker(base, token, path)
    for ranked in after.values():
        assert top not in [cid for cid, _ in ranked]
        assert ranked == [item for item in expected if item[0] != top][: len(ranked)]

"""Read routing: with ``WERKMATCH_DATABASE_REPLICA_URL`` the matching pool is read from the
replica, while the "already proposed" check and the audit row go to the primary.

The replica is a second SQLite file (a copy of the template store) holding one candidate the
primary lacks; the primary holds a proposal the replica lacks. Which of the two a shortlist
shows tells which database each read went to.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from api import create_app
from matching.bootstrap import open_store
from matching.settings import Settings
from matching.store import models
from matching.store.access import AuditEntry
from matching.store.db import make_engine, make_session_factory
from tests.api.conftest import sign_in
from tests.matching.shortlist.store_fixture import NOORDWIJK, START, candidate, seed


def _audits(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        count = select(func.count()).where(AuditEntry.action == "shortlist.generate")
        return int(session.scalar(count) or 0)


def test_pools_read_from_the_replica_and_writes_go_to_the_primary(
    engine: Engine, sessions: sessionmaker[Session], sqlite_template: Path, tmp_path: Path
) -> None:
    replica_path = tmp_path / "replica.db"
    shutil.copyfile(sqlite_template, replica_path)
    replica = make_engine(url=f"sqlite:///{replica_path}")
    replicas = make_session_factory(replica)
    seed(sessions)
    seed(replicas)
    with replicas.begin() as session:
        session.add(candidate("O_REPLICA", NOORDWIJK, postcode4="2201"))
    with sessions.begin() as session:
        session.add(
            models.Proposal(
                vacancy_id="V1", candidate_id="O1", proposed_on=START, outcome="pending"
            )
        )
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        database_replica_url=f"sqlite:///{replica_path}",
        var_dir=tmp_path,
    )
    token = sign_in(sessions, "admin")
    with TestClient(create_app(settings)) as client:
        answer = client.get(
            "/vacancies/V1/shortlist",
            params={"limit": 20},
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 200, answer.text
    ids = {c["candidate_id"] for c in answer.json()["candidates"]}
    assert "O_REPLICA" in ids  # the pool came from the replica
    assert "O1" not in ids  # "already proposed" came from the primary
    assert (_audits(sessions), _audits(replicas)) == (1, 0)  # the audit row: the primary's
    replica.dispose()


def test_without_a_replica_url_every_read_goes_to_the_primary(
    engine: Engine, tmp_path: Path
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    assert open_store(Settings(database_url=url), migrate_schema=False).replica is None
    store = open_store(
        Settings(database_url=url, database_replica_url=f"sqlite:///{tmp_path / 'r.db'}"),
        migrate_schema=False,
    )
    assert store.replica is not None
    with store.lagging_reads() as reader:
        assert str(reader.get_bind().engine.url).endswith("r.db")

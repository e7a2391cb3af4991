"""Kinds of job for the tests, a store over the test engine, and principals of two
organisations (A: Leiden, B: Noordwijk)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from matching.access.users import Principal, create_organisation, create_user
from matching.bootstrap import Store
from matching.errors import InvalidInput
from matching.jobs import Kind, Work, register
from matching.settings import Settings
from matching.store import models
from matching.store.access import Organisation
from matching.store.db import autocommitting, make_session_factory, transaction

ADMIN_A = Principal("admin-a", "admin", "org-a", frozenset({"GM0546"}))
MANAGER_A = Principal("manager-a", "accountmanager", "org-a", frozenset({"GM0546"}))
ADMIN_B = Principal("admin-b", "admin", "org-b", frozenset({"GM0575"}))
GO = threading.Event()
"""``test-employer`` waits for it before it writes."""


def echo(work: Work) -> dict[str, Any]:
    """Report halfway, then answer the parameters; ``fail`` asks for a failure."""
    work.progress.report("halverwege", 1, 2)
    if work.params.get("fail") == "invalid":
        raise InvalidInput("Slechte periode.")
    if work.params.get("fail") == "crash":
        raise RuntimeError("boom")
    return {"params": work.params, "who": work.principal.user_id}


def employer(work: Work) -> str:
    """Wait for ``GO``, then write an employer and report inside the transaction (a cancel
    there rolls the write back)."""
    GO.wait(10)
    with transaction(work.store.sessions) as session:
        session.add(models.Employer(employer_id="J1", name="Bakkerij", municipality_code="GM0575"))
        session.flush()
        work.progress.report("geschreven")
    return "opgeslagen"


def wait_for_file(work: Work) -> str:
    """Report until the file ``params["release"]`` exists (30 s at most), then end."""
    release = Path(work.params["release"])
    for _ in range(600):
        work.progress.report("wacht", 0, 1)
        if release.exists():
            return "vrijgegeven"
        time.sleep(0.05)
    return "te lang gewacht"


register(Kind("test-echo", "Test", echo, dict[str, Any]))
register(Kind("test-wait", "Test die wacht", wait_for_file, str))
register(Kind("test-employer", "Test met schrijven", employer, str))


def add_principals(store: Store) -> None:
    """Organisations A and B and their users (a job acts for its user as stored)."""
    with transaction(store.sessions) as session:
        for principal in (ADMIN_A, MANAGER_A, ADMIN_B):
            assert principal.organisation_id is not None
            if session.get(Organisation, principal.organisation_id) is None:
                codes = sorted(principal.municipality_codes)
                create_organisation(session, principal.organisation_id, name="Test",
                                    municipality_codes=codes)  # fmt: skip
            create_user(session, principal.user_id, role=principal.role,
                        organisation_id=principal.organisation_id)  # fmt: skip


def store_of(engine: Engine) -> Store:
    """A ``Store`` over the per-test engine (migrated by the fixtures)."""
    url = engine.url.render_as_string(hide_password=True)
    sessions = make_session_factory(engine)
    return Store(url, engine, sessions, make_session_factory(autocommitting(engine)))


def settings_of(engine: Engine, var_dir: Path, **values: Any) -> Settings:
    """Settings pointing at the per-test engine."""
    url = engine.url.render_as_string(hide_password=False)
    return Settings(database_url=url, var_dir=var_dir, **values)

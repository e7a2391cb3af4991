"""The bare ``werkmatch demo`` prepares a usable store: region, import, model or prior, users."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from demo.run import DEMO_PASSWORD, DEMO_USERS, prepare_demo
from matching.access.users import verify_password
from matching.bootstrap import Store
from matching.settings import Settings
from matching.store import models
from matching.store.db import make_session_factory


def test_prepare_demo_imports_once_and_creates_users(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    sessions = make_session_factory(engine)
    store = Store(url="test", engine=engine, sessions=sessions, reads=sessions)
    messages: list[str] = []

    first = prepare_demo(store, settings, scale=0.05, say=messages.append)
    assert first.generated and first.imported is not None
    assert first.imported.rejected == 0
    assert (first.data_dir / "candidates.csv").exists()
    assert first.trained  # a model version, or the reason the prior stays in use
    assert sorted(first.users) == sorted(u for u, _, _ in DEMO_USERS)
    with store.sessions() as session:
        count = session.scalar(select(func.count()).select_from(models.Candidate))
        principal = verify_password(session, "am-demo", DEMO_PASSWORD)
    assert count and count > 100
    assert principal is not None and principal.role == "accountmanager"
    assert "GM0575" in principal.municipality_codes
    with store.sessions() as session:  # a live caseload: nothing open is past its closing date
        today = dt.date.today()
        v = models.Vacancy
        open_ = session.scalars(select(v).where(v.status == "open")).all()
        assert open_ and all(x.closes_on is None or x.closes_on >= today for x in open_)
        assert max(x.opened_on for x in open_) >= today - dt.timedelta(days=14)

    second = prepare_demo(store, settings, scale=0.05, say=messages.append)
    assert not second.generated and second.imported is None
    assert any("niet opnieuw geïmporteerd" in m for m in messages)
    assert any(m.strip().startswith("candidates") and m.endswith("100 %") for m in messages)


def test_without_enough_history_the_demo_says_so_in_dutch(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import demo.run
    from matching.errors import ModelNotTrained

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ModelNotTrained("te weinig plaatsingen")

    monkeypatch.setattr(demo.run, "train", refuse)
    sessions = make_session_factory(engine)
    store = Store(url="test", engine=engine, sessions=sessions, reads=sessions)
    said = demo.run._train_if_needed(store, Settings(var_dir=tmp_path), print)
    assert said.startswith("Geen model getraind (te weinig plaatsingen)")

"""Erasure removes a candidate everywhere and leaves only a keyed-hash trace in the audit log."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from matching.access import audit
from matching.access.erasure import erase_candidate
from matching.access.users import Principal
from matching.errors import NotFound
from matching.shortlist import proposals
from matching.shortlist.service import SHORTLIST_ACTION
from matching.store import db, models
from matching.store.access import AuditEntry
from tests.matching.security_fixtures import add_candidate

KEY = b"k" * 32
AM = Principal("am-jansen", "accountmanager", "noordwijk", frozenset({"GM0575"}))
ADMIN = Principal.command_line()
TABLES = ("candidates", "candidate_competences", "proposals", "placements")


def _count(session: Session, table: str, candidate_id: str) -> int:
    query = text(f"SELECT count(*) FROM {table} WHERE candidate_id = :id")
    return int(session.scalar(query, {"id": candidate_id}) or 0)


def test_erasure_removes_the_candidate_everywhere(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_candidate(session, "K1")
        add_candidate(session, "K10")
        audit.record(session, AM, "candidate.read", object_type="candidate", object_id="K1")
        audit.record(session, AM, "candidate.read", object_type="candidate", object_id="K10")
        audit.record(session, AM, "candidates.list", detail={"ids": ["K1", "K10"], "count": 2})
    with sessions.begin() as session:
        report = erase_candidate(session, "K1", by=ADMIN, key=KEY)
    assert report.trace == audit.pseudonym("K1", key=KEY)
    assert {t: report.rows[t] for t in TABLES} == dict.fromkeys(TABLES, 1)
    assert report.audit_rows == 2
    with sessions.begin() as session:
        assert [_count(session, t, "K1") for t in TABLES] == [0, 0, 0, 0]
        assert [_count(session, t, "K10") for t in TABLES] == [1, 1, 1, 1]
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert [r.object_id for r in rows] == [report.trace, "K10", None, report.trace]
        assert audit.query_audit(session, action="candidates.list").data[0].detail == {
            "ids": [report.trace, "K10"],
            "count": 2,
        }
        everything = " ".join(f"{r.object_id} {r.detail}" for r in rows)
        assert '"K1"' not in everything and "K1 " not in everything
        erased = rows[-1]
        assert (erased.action, erased.user_id) == ("candidate.erase", ADMIN.user_id)


def test_erasing_an_unknown_candidate_is_not_found(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session, pytest.raises(NotFound):
        erase_candidate(session, "nobody", by=ADMIN, key=KEY)
    with sessions.begin() as session:
        assert session.scalars(select(models.Candidate)).all() == []


def _every_kind_of_audit_row(session: Session) -> None:
    """K1 in each shape the product writes it into the audit log, K10 and K2 next to it."""
    add_candidate(session, "K1")
    add_candidate(session, "K10")
    add_candidate(session, "K2")
    session.add(
        models.Vacancy(
            vacancy_id="V2", employer_id="E1", title="Kassamedewerker", municipality_code="GM0575",
            hours_per_week=24, opened_on=dt.date(2026, 1, 5), status="open",
        )
    )  # fmt: skip
    session.flush()
    for placement in session.scalars(select(models.Placement)):  # ended, so they can be hired
        placement.end_date = dt.date(2026, 3, 31)
    session.get_one(models.Vacancy, "V1").positions = 2
    ranked = {"candidates": ["K1", "K2", "K10"], "levels": ["own"] * 3, "fallback_used": False}
    audit.record(
        session, AM, SHORTLIST_ACTION, object_type="vacancy", object_id="V2", detail=ranked
    )
    proposals.propose(session, "V2", ["K10"], principal=AM, reason="K1 wil niet, K2 is ziek")
    proposals.decide(
        session, "V1", "K1", "hired", principal=AM,
        placement=proposals.PlacementInput(dt.date(2026, 4, 1)),
    )  # fmt: skip
    proposals.decide(
        session, "V1", "K10", "hired", principal=AM,
        placement=proposals.PlacementInput(dt.date(2026, 4, 1)),
    )  # fmt: skip
    audit.record(
        session, AM, "proposals.read", object_id="V1", detail={"candidates": ["K1", "K10"]}
    )
    lists = {"options": {"k": 2}, "lists": {"V1": ["K1", "K10"], "V2": ["K2"]}}
    audit.record(session, AM, "allocation.run", detail=lists)
    audit.record(session, AM, "scores", detail={"by_candidate": {"K1": 0.4, "K10": 0.5}})
    audit.record(session, AM, "placement.read", object_type="placement", object_id="V1-K1")


def test_erasure_leaves_the_id_in_no_audit_row(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        _every_kind_of_audit_row(session)
    with sessions.begin() as session:
        report = erase_candidate(session, "K1", by=ADMIN, key=KEY)
    with sessions.begin() as session:
        rows = session.execute(select(AuditEntry)).scalars().all()
        text_of_all = "\n".join(
            f"{r.user_id} {r.action} {r.object_type} {r.object_id} {r.detail}" for r in rows
        )
        reasons = " ".join(str(r) for r in session.scalars(select(models.Proposal.reason)))
    assert re.search(r"K1(?!\d)", text_of_all + reasons) is None
    assert "K10" in text_of_all and "V1-K10" in text_of_all and "K2" in text_of_all
    assert f"V1-{report.trace}" in text_of_all and f"{report.trace} wil niet" in reasons
    assert report.audit_rows == 8  # every row above but the second decision's


def test_sqlite_connections_overwrite_deleted_rows() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.statements: list[str] = []

        def cursor(self) -> Recorder:
            return self

        def execute(self, statement: str) -> None:
            self.statements.append(statement)

        def close(self) -> None:
            pass

    connection = Recorder()
    db._sqlite_pragmas(connection, None)
    assert "PRAGMA secure_delete=ON" in connection.statements


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_erased_bytes_leave_the_sqlite_file(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        add_candidate(session, "ERASE-ME-0001")
        session.get_one(models.Proposal, ("V1", "ERASE-ME-0001")).reason = "ERASE-ME-0001 past"
    db.checkpoint(engine)
    path = Path(str(engine.url.database))
    assert b"ERASE-ME-0001" in path.read_bytes()
    with sessions.begin() as session:
        erase_candidate(session, "ERASE-ME-0001", by=ADMIN, key=KEY)
    db.checkpoint(engine)
    files = [path, *path.parent.glob(path.name + "-*")]  # the database, its -wal and -shm
    assert all(b"ERASE-ME-0001" not in f.read_bytes() for f in files)


def test_erasure_takes_instruments_and_aftercare_notes_along(
    sessions: sessionmaker[Session],
) -> None:
    from matching.aftercare.checkins import record_check_in
    from matching.store.instruments import AftercareCheck, Instrument

    with sessions.begin() as session:
        add_candidate(session, "K1")
        placement = session.scalars(
            select(models.Placement).where(models.Placement.candidate_id == "K1")
        ).one()
        session.add(Instrument(instrument_id="I1", placement_id=placement.placement_id,
                               kind="jobcoaching", start_date=dt.date(2026, 2, 1)))  # fmt: skip
        session.add(Instrument(instrument_id="I2", vacancy_id="V1", candidate_id="K1",
                               kind="proefplaatsing", start_date=dt.date(2026, 2, 1)))  # fmt: skip
        record_check_in(session, placement.placement_id, 1, principal=AM, note="K1 belt terug")
    with sessions.begin() as session:
        erase_candidate(session, "K1", by=ADMIN, key=KEY)
    with sessions.begin() as session:
        assert session.scalars(select(Instrument.instrument_id)).all() == []
        assert session.scalars(select(AftercareCheck.note)).all() == []

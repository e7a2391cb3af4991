"""An organisation imports only rows of its own municipalities (matching.exchange.scope).

The fixture region has job seekers in Noordwijk (GM0575), Leiden (GM0546) and Katwijk (GM0537).
Organisation Leiden (GM0546 only) imports: it may change its own job seeker, not Noordwijk's,
not move Noordwijk's job seeker into Leiden, not close Noordwijk's vacancy, not record a
decision on it; the command line may do all of it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal
from matching.exchange import import_paths
from matching.exchange.runs import run_import
from matching.exchange.scope import OUTSIDE
from matching.store import models
from tests.matching.exchange.conftest import CANDIDATE_HEADER, Write

LEIDEN_ADMIN = Principal("admin-leiden", "admin", "leiden", frozenset({"GM0546"}))


def _hours(sessions: sessionmaker[Session]) -> dict[str, tuple[str, int]]:
    with sessions() as session:
        rows = session.execute(
            select(
                models.Candidate.candidate_id,
                models.Candidate.municipality_code,
                models.Candidate.hours_available,
            )
        )
        return {cid: (code, hours) for cid, code, hours in rows}


def test_an_organisation_changes_only_its_own_job_seekers(
    sessions: sessionmaker[Session], region: Path, write: Write
) -> None:
    import_paths(sessions, [region])
    before = _hours(sessions)
    path = write(
        "candidates.csv",
        CANDIDATE_HEADER + "\n"
        "K-0003,GM0546,5,regulier,13,active\n"  # Leiden's own: fine
        "K-0001,GM0575,5,regulier,13,active\n"  # Noordwijk's
        "K-0002,GM0546,5,regulier,13,active\n"  # Noordwijk's, moved into Leiden
        "K-NEW,GM0575,5,regulier,13,active\n"  # a new one outside Leiden
        "K-OWN,GM0546,5,regulier,13,active\n",  # a new one in Leiden: fine
    )
    report = run_import(sessions, [path], principal=LEIDEN_ADMIN)
    (file,) = report.files
    assert (file.inserted, file.updated, file.rejected) == (1, 1, 3)
    assert {(e.row, e.column, e.reason) for e in file.errors} == {
        (3, "candidate_id", OUTSIDE), (4, "candidate_id", OUTSIDE), (5, "candidate_id", OUTSIDE),
    }  # fmt: skip
    after = _hours(sessions)
    assert after["K-0003"] == ("GM0546", 13) and after["K-OWN"] == ("GM0546", 13)
    assert after["K-0001"] == before["K-0001"] and after["K-0002"] == before["K-0002"]
    assert "K-NEW" not in after


def test_decisions_follow_the_vacancy_and_the_command_line_may_do_all(
    sessions: sessionmaker[Session], region: Path, write: Write
) -> None:
    import_paths(sessions, [region])
    path = write(
        "proposals.csv",
        "vacancy_id,candidate_id,proposed_on,outcome\n"
        "V-101,K-0003,2024-02-12,withdrawn\n"  # Noordwijk's vacancy, Leiden's job seeker
        "V-103,K-0001,2024-02-12,pending\n",  # Leiden's vacancy, Noordwijk's job seeker (fallback)
    )
    report = run_import(sessions, [path], principal=LEIDEN_ADMIN)
    (file,) = report.files
    assert (file.inserted, file.rejected) == (1, 1)
    assert [(e.row, e.column) for e in file.errors] == [(2, "vacancy_id")]
    everyone = run_import(sessions, [path], principal=Principal.command_line())
    assert everyone.total("rejected") == 0

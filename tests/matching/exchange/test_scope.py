"""An organisation imports only rows of its own municipalities (matching.exchange.scope).

The fixture region has job seekers in Noordwijk (GM0575), Leiden (GM0546) and Katwijk (GM0537).
Organisation Leiden (GM0546 only) imports: it may change its own job seeker, not Noordwijk's,
not move Noordwijk's job seeker into Leiden, not close Noordwijk's vacancy, not record a
decision on it; the command line may do all of it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access import users
from matching.access.users import Principal
from matching.exchange import import_paths
from matching.exchange.runs import run_import
from matching.exchange.scope import OTHER_PROPOSER, OUTSIDE
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


def test_where_coverage_overlaps_a_proposal_of_the_other_organisation_is_refused(
    sessions: sessionmaker[Session], region: Path, write: Write
) -> None:
    """A second organisation also covers Leiden and proposed K-0003 to Leiden's vacancy V-103:
    Leiden's import may not record the employer's decision on it, nor place the job seeker."""
    import_paths(sessions, [region])
    with sessions.begin() as session:
        users.create_organisation(session, "wsp", name="WSP", municipality_codes=["GM0546"])
        users.create_user(session, "am-wsp", role="accountmanager", organisation_id="wsp")
        session.add(models.Proposal(vacancy_id="V-103", candidate_id="K-0003",
                                    proposed_on=dt.date(2024, 2, 12), outcome="pending",
                                    proposed_by="am-wsp"))  # fmt: skip
    proposals = write(
        "proposals.csv",
        "vacancy_id,candidate_id,proposed_on,outcome\n"
        "V-103,K-0003,2024-02-12,hired\n"  # the other organisation's proposal
        "V-103,K-0004,2024-02-12,pending\n",  # a new one of Leiden's own: fine
    )
    placements = write(
        "placements.csv",
        "placement_id,candidate_id,employer_id,vacancy_id,start_date,end_date,hours_per_week,contract\n"
        "P-WSP,K-0003,28022222,V-103,2024-03-01,,20,regular\n",
    )
    report = run_import(sessions, [proposals, placements], principal=LEIDEN_ADMIN)
    errors = [(e.file, e.row, e.reason) for f in report.files for e in f.errors]
    assert errors == [("proposals.csv", 2, OTHER_PROPOSER), ("placements.csv", 2, OTHER_PROPOSER)]
    with sessions() as session:
        assert session.get_one(models.Proposal, ("V-103", "K-0003")).outcome == "pending"
        assert session.get(models.Placement, "P-WSP") is None
    assert (
        run_import(sessions, [proposals], principal=Principal.command_line()).total("rejected") == 0
    )

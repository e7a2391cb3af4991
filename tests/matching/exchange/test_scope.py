"""An organisation imports only rows of its own municipalities (matching.exchange.scope).

The fixture region has job seekers in Noordwijk (GM0575), Leiden (GM0546) and Katwijk (GM0537).
Organisation Leiden (GM0546 only) imports: it may change its own job seeker, not Noordwijk's,
not move Noordwijk's job seeker into Leiden, not close Noordwijk's vacancy, not record a
decision on it; the command line may do all of it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access import users
from matching.access.users import Principal
from matching.exchange import import_paths
from matching.exchange.runs import run_import
from matching.exchange.scope import OTHER_PROPOSER, OUTSIDE
from matching.store import models
from matching.store.instruments import Instrument
from matching.store.programmes import Enrolment, Programme
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
        "V-103,K-0001,2024-02-12,pending\n"  # Noordwijk's job seeker, never proposed by Leiden
        "V-103,K-0004,2024-02-12,pending\n",  # Leiden's vacancy and job seeker
    )
    report = run_import(sessions, [path], principal=LEIDEN_ADMIN)
    (file,) = report.files
    assert (file.inserted, file.rejected) == (1, 2)
    assert [(e.row, e.column) for e in file.errors] == [(2, "vacancy_id"), (3, "candidate_id")]
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


PLACEMENT_HEADER = (
    "placement_id,candidate_id,employer_id,vacancy_id,start_date,end_date,hours_per_week,contract"
)
INSTRUMENT_HEADER = "instrument_id,placement_id,vacancy_id,candidate_id,kind,start_date,end_date"
FILES = {
    "placements.csv": PLACEMENT_HEADER,
    "instruments.csv": INSTRUMENT_HEADER,
    "programmes.csv": "programme_id,organisation_id,name,start_date,end_date,phases",
    "enrolments.csv": "programme_id,candidate_id,enrolled_on,phases",
    "proposals.csv": "vacancy_id,candidate_id,proposed_on,outcome",
}
STORED = (
    models.Placement, models.Proposal, Instrument, Programme, Enrolment, models.Candidate,
)  # fmt: skip


def _two_organisations(sessions: sessionmaker[Session], region: Path, write: Write) -> None:
    """The region, organisation Leiden (GM0546) with account manager am-leiden, who proposed
    Katwijk's consenting K-0005 to Leiden's V-103 as fallback, and organisation WSP (Leiden and
    Noordwijk) with programme prog-b and instrument I-B on Noordwijk's placement P-3."""
    import_paths(sessions, [region])
    with sessions.begin() as session:
        users.create_organisation(session, "leiden", name="Leiden", municipality_codes=["GM0546"])
        users.create_organisation(
            session, "wsp", name="WSP", municipality_codes=["GM0546", "GM0575"]
        )
        users.create_user(session, "am-leiden", role="accountmanager", organisation_id="leiden")
        session.add(models.Proposal(vacancy_id="V-103", candidate_id="K-0005",
                                    proposed_on=dt.date(2024, 2, 12), outcome="pending",
                                    proposed_by="am-leiden"))  # fmt: skip
    theirs = [
        write("programmes.csv", FILES["programmes.csv"] + "\n"
              "prog-b,wsp,Van WSP,2026-03-01,2027-02-28,intake:1;nazorg:6\n"),
        write("instruments.csv", INSTRUMENT_HEADER + "\nI-B,P-3,,,jobcoaching,2024-03-01,\n"),
    ]  # fmt: skip
    assert run_import(sessions, theirs, principal=Principal.command_line()).ok


def _stored(sessions: sessionmaker[Session]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the tables an import row could reach, to see that nothing changed."""
    with sessions() as session:
        return {
            model.__tablename__: sorted(
                tuple(row) for row in session.execute(select(*model.__table__.columns))
            )
            for model in STORED
        }


@pytest.mark.parametrize(
    ("file", "row", "column"),
    [
        pytest.param("placements.csv", "P-3,K-0009,28022222,V-103,2024-03-01,,20,regular",
                     "placement_id", id="overwrite-their-placement"),
        pytest.param("instruments.csv", "I-B,,V-103,K-0005,jobcoaching,2024-03-01,",
                     "instrument_id", id="overwrite-their-instrument"),
        pytest.param("programmes.csv", "prog-b,leiden,Overgenomen,2026-03-01,2027-02-28,intake:1",
                     "programme_id", id="take-over-their-programme"),
        pytest.param("instruments.csv", "I-NEW,P-3,,,jobcoaching,2024-03-01,",
                     "placement_id", id="instrument-on-their-placement"),
        pytest.param("enrolments.csv", "prog-b,K-0004,2026-03-02,intake:2026-03-02",
                     "programme_id", id="enrol-in-their-programme"),
        pytest.param("proposals.csv", "V-103,K-0001,2024-02-12,pending",
                     "candidate_id", id="propose-their-job-seeker"),
        pytest.param("placements.csv", "P-NEW,K-0001,28022222,V-103,2024-03-01,,20,regular",
                     "candidate_id", id="place-their-job-seeker"),
    ],
)  # fmt: skip
def test_no_import_row_reaches_another_organisations_records(
    sessions: sessionmaker[Session], region: Path, write: Write, file: str, row: str, column: str
) -> None:
    """Leiden's import may not change, attach to, enrol in or record proposals for records of
    another organisation (K-0001 consented to regional mediation, but Leiden never proposed
    them on the page); the row is refused and nothing is stored."""
    _two_organisations(sessions, region, write)
    before = _stored(sessions)
    report = run_import(sessions, [write(file, f"{FILES[file]}\n{row}\n")], principal=LEIDEN_ADMIN)
    (found,) = report.files
    assert (found.inserted, found.updated, found.rejected) == (0, 0, 1)
    assert [(e.row, e.column) for e in found.errors] == [(2, column)]
    assert _stored(sessions) == before


@pytest.mark.parametrize(
    ("file", "row", "there", "missing"),
    [
        ("placements.csv", "P-X,K-0009,28011111,{},2024-03-01,,20,regular", "V-101", "V-909"),
        ("instruments.csv", "I-X,{},,,jobcoaching,2024-03-01,", "P-3", "P-9"),
        ("enrolments.csv", "{},K-0004,2026-03-02,intake:2026-03-02", "prog-b", "prog-z"),
        ("proposals.csv", "V-103,{},2024-02-12,pending", "K-0002", "K-9999"),
        ("proposals.csv", "{},K-0004,2024-02-12,pending", "V-101", "V-909"),
        ("placements.csv", "P-X,{},28011111,V-909,2024-03-01,,20,regular", "K-0002", "K-9999"),
    ],
)
def test_a_refusal_reads_the_same_whether_or_not_the_record_exists(
    sessions: sessionmaker[Session],
    region: Path,
    write: Write,
    file: str,
    row: str,
    there: str,
    missing: str,
) -> None:
    """A dry run is no id oracle: naming another organisation's record is answered exactly as
    naming one that does not exist."""
    _two_organisations(sessions, region, write)

    def refusal(name: str) -> list[tuple[int, str, str, str]]:
        path = write(file, f"{FILES[file]}\n{row.format(name)}\n")
        (found,) = run_import(sessions, [path], principal=LEIDEN_ADMIN, dry_run=True).files
        assert found.rejected == 1
        return [(e.row, e.column, e.reason.replace(name, "…"), e.value.replace(name, "…"))
                for e in found.errors]  # fmt: skip

    assert refusal(there) == refusal(missing)


def test_an_import_records_the_fallback_proposals_the_organisation_made_on_the_page(
    sessions: sessionmaker[Session], region: Path, write: Write
) -> None:
    """Leiden proposed Katwijk's K-0005 to V-103 on the page: its import may record the
    employer's decision, the placement and instruments with both. P-1 (Noordwijk's K-0008 on
    Leiden's V-106, proposed by nobody known) is not Leiden's to add an instrument to."""
    _two_organisations(sessions, region, write)
    paths = [
        write("proposals.csv", FILES["proposals.csv"] + "\nV-103,K-0005,2024-02-12,hired\n"),
        write("placements.csv",
              PLACEMENT_HEADER + "\nP-K5,K-0005,28022222,V-103,2024-03-01,,20,regular\n"),
        write("instruments.csv", INSTRUMENT_HEADER + "\nI-K5,,V-103,K-0005,jobcoaching,2024-03-01,"
              "\nI-PK5,P-K5,,,jobcoaching,2024-03-01,\nI-P1,P-1,,,jobcoaching,2024-03-01,\n"),
    ]  # fmt: skip
    report = run_import(sessions, paths, principal=LEIDEN_ADMIN)
    errors = [(e.file, e.row, e.column, e.value) for f in report.files for e in f.errors]
    assert errors == [("instruments.csv", 4, "placement_id", "P-1")]
    assert (report.total("updated"), report.total("inserted")) == (1, 3)

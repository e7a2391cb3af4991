"""Enrolment, phases and ends, audited and scoped; flags past a phase's maximum duration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal
from matching.errors import InvalidInput, NotFound
from matching.exchange import import_paths
from matching.programmes import (
    Phase,
    ProgrammeInfo,
    Rules,
    Targets,
    Trajectory,
    change_phase,
    end_trajectory,
    enrol,
    get_programme,
    load_trajectories,
    worklist,
)
from matching.store.access import AuditEntry
from tests.matching.programmes.conftest import PROGRAMMES

LEADER = Principal("pl-noordwijk", "evaluator", "noordwijk", frozenset({"GM0575"}))
OTHER = Principal("pl-leiden", "evaluator", "leiden", frozenset({"GM0546", "GM0537"}))
DAY = dt.date(2026, 3, 2)


@pytest.fixture
def planned(organised: sessionmaker[Session]) -> sessionmaker[Session]:
    """The example programmes imported."""
    assert import_paths(organised, [PROGRAMMES]).ok
    return organised


def test_enrol_move_and_end_are_audited(planned: sessionmaker[Session]) -> None:
    with planned.begin() as session:
        enrol(session, "extra-impuls", "K-0001", on=DAY, principal=LEADER)
        change_phase(session, "extra-impuls", "K-0001", phase="Jobhunting",
                     on=dt.date(2026, 4, 1), principal=LEADER)  # fmt: skip
        end_trajectory(session, "extra-impuls", "K-0001", outcome="werk",
                       on=dt.date(2026, 6, 1), principal=LEADER)  # fmt: skip
    with planned() as session:
        (trajectory,) = load_trajectories(session, "extra-impuls")
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert trajectory.phases == (("intake", DAY), ("jobhunting", dt.date(2026, 4, 1)))
    assert (trajectory.ended_on, trajectory.outcome) == (dt.date(2026, 6, 1), "work")
    assert actions[-3:] == ["programme.enrol", "programme.phase", "programme.end"]


def test_a_candidate_who_misses_a_rule_needs_a_reason(planned: sessionmaker[Session]) -> None:
    with planned.begin() as session:
        with pytest.raises(InvalidInput, match=r"trede 4.*uitzondering met een reden"):
            enrol(session, "extra-impuls", "K-0002", on=DAY, principal=LEADER)
        enrol(session, "extra-impuls", "K-0002", on=DAY, principal=LEADER,
              exception_reason="trede 5 verwacht na taalcursus")  # fmt: skip
    with planned() as session:
        (trajectory,) = load_trajectories(session, "extra-impuls")
        detail = session.scalars(
            select(AuditEntry.detail).where(AuditEntry.action == "programme.admit_exception")
        ).one()
    assert trajectory.exception_reason == "trede 5 verwacht na taalcursus"
    assert '"missed": ["ladder_step"]' in detail and "taalcursus" in detail


def test_another_organisation_finds_neither_programme_nor_candidate(
    planned: sessionmaker[Session],
) -> None:
    with planned.begin() as session:
        with pytest.raises(NotFound):
            get_programme(session, "extra-impuls", principal=OTHER)
        with pytest.raises(NotFound):
            enrol(
                session, "extra-impuls", "K-0003", on=DAY, principal=LEADER, exception_reason="x"
            )  # fmt: skip  (K-0003 lives in Leiden)


def test_phase_changes_are_checked(planned: sessionmaker[Session]) -> None:
    with planned.begin() as session:
        enrol(session, "extra-impuls", "K-0001", on=DAY, principal=LEADER)
        with pytest.raises(InvalidInput, match="hoort niet bij"):
            change_phase(session, "extra-impuls", "K-0001", phase="opleiding", on=DAY,
                         principal=LEADER)  # fmt: skip
        with pytest.raises(InvalidInput, match="vóór de huidige"):
            change_phase(session, "extra-impuls", "K-0001", phase="jobhunting",
                         on=dt.date(2026, 3, 1), principal=LEADER)  # fmt: skip
        with pytest.raises(InvalidInput, match="niet een van"):
            end_trajectory(session, "extra-impuls", "K-0001", outcome="klaar", on=DAY,
                           principal=LEADER)  # fmt: skip


def test_the_worklist_holds_the_eligible_not_enrolled_and_near_misses(
    planned: sessionmaker[Session],
) -> None:
    with planned.begin() as session:
        programme = get_programme(session, "extra-impuls", principal=LEADER)
        before = worklist(session, programme, as_of=DAY)
        enrol(session, "extra-impuls", "K-0001", on=DAY, principal=LEADER)
        after = worklist(session, programme, as_of=DAY)
    assert [e.candidate_id for e in before.eligible] == ["K-0001"]
    assert [e.candidate_id for e in before.by_exception] == ["K-0002"]  # trede 4
    assert before.by_exception[0].misses[0].rule == "ladder_step"
    assert after.eligible == []  # K-0008 is placed: not active, two rules off


def _programme(months: int) -> ProgrammeInfo:
    return ProgrammeInfo("p", "o", "P", dt.date(2023, 1, 1), dt.date(2025, 12, 31), Rules(),
                         (Phase("intake", months),), None, Targets(), ())  # fmt: skip


def _trajectory(since: dt.date) -> Trajectory:
    return Trajectory("p", "k", "GM0575", since, (("intake", since),), None, None, None)


@pytest.mark.parametrize(
    ("since", "months", "last_day"),
    [
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),  # leap year: the month's last day
        (dt.date(2023, 1, 31), 1, dt.date(2023, 2, 28)),
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 3, 15), 12, dt.date(2025, 3, 15)),
    ],
)
def test_a_trajectory_is_flagged_the_day_after_its_phase_maximum(
    since: dt.date, months: int, last_day: dt.date
) -> None:
    programme, trajectory = _programme(months), _trajectory(since)
    assert trajectory.phase_due(programme) == last_day
    assert not trajectory.over_time(programme, last_day)
    assert trajectory.over_time(programme, last_day + dt.timedelta(days=1))


def test_an_ended_trajectory_is_never_flagged() -> None:
    start = dt.date(2023, 1, 1)
    ended = Trajectory("p", "k", "GM0575", start, (("intake", start),), dt.date(2023, 1, 20),
                       "work", None)  # fmt: skip
    assert not ended.over_time(_programme(1), dt.date(2024, 1, 1))


def test_below_the_exception_floor_nobody_is_on_the_worklist(
    organised: sessionmaker[Session], tmp_path: Path
) -> None:
    header = PROGRAMMES.read_text(encoding="utf-8").splitlines()[0]
    row = "uren,leiden,Uren,2026-01-01,2026-12-31,GM0546;GM0537,,,,,,,32,{floor},,intake:1"
    path = tmp_path / "programmes.csv"
    path.write_text("\n".join([header, row.format(floor=24)]) + "\n", encoding="utf-8")
    assert import_paths(organised, [path]).ok
    cli = Principal.command_line()
    with organised() as session:
        found = worklist(session, get_programme(session, "uren", principal=cli), as_of=DAY)
    assert [e.candidate_id for e in found.eligible] == ["K-0003", "K-0009", "K-0010"]
    assert (found.by_exception, found.by_exception_count) == ([], 0)  # 16 h and 20 h: under 24
    path.write_text("\n".join([header, row.format(floor=16)]) + "\n", encoding="utf-8")
    assert import_paths(organised, [path]).ok
    with organised() as session:
        found = worklist(session, get_programme(session, "uren", principal=cli), as_of=DAY)
    assert [e.candidate_id for e in found.by_exception] == ["K-0004", "K-0005"]

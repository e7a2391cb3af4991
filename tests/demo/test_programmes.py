"""The demo's programmes: imported through the pipeline, and the same files for the same seed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from demo.programmes import import_demo_programmes, plans
from matching.access.users import create_organisation
from matching.exchange import import_paths
from matching.store.programmes import Enrolment, Programme
from tests.matching.programmes.conftest import REGION_SMALL

TODAY = dt.date(2026, 12, 3)


def test_two_programmes_with_trajectories_the_same_each_time(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    assert import_paths(sessions, [REGION_SMALL]).ok
    with sessions.begin() as session:
        create_organisation(session, "regio", name="Regio",
                            municipality_codes=["GM0575", "GM0546", "GM0537"])  # fmt: skip
    first = import_demo_programmes(sessions, tmp_path / "a", organisation_id="regio",
                                   today=TODAY, seed=0)  # fmt: skip
    again = import_demo_programmes(sessions, tmp_path / "b", organisation_id="regio",
                                   today=TODAY, seed=0)  # fmt: skip
    assert first.ok and again.ok and again.total("inserted") == 0
    for name in ("programmes.csv", "enrolments.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    with sessions() as session:
        names = session.scalars(select(Programme.name).order_by(Programme.name)).all()
        enrolled = session.scalars(select(Enrolment.programme_id)).all()
    assert names == ["Extra impuls Noordwijk", "Leiden Werkt"]
    assert "extra-impuls-noordwijk" in enrolled  # K-0001 (Noordwijk, trede 5) at least


def test_the_phases_are_named_in_dutch() -> None:
    """A phase name is shown as it is written (pages, report, command line), so the demo
    writes the phases of the domain (docs: intake → werving en selectie → werkervaring →
    begeleiding naar werk → nazorg) in Dutch."""
    dutch = {"intake", "werving en selectie", "groepstraject", "werkervaringsplaats",
             "begeleiding naar werk", "nazorg"}  # fmt: skip
    for plan in plans(TODAY, ["2201"]):
        written = {p.split(":")[0] for p in plan.row["phases"].split(";")}
        assert written <= dutch and {p for path in plan.paths for p in path} <= dutch

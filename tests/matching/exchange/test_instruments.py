"""instruments.csv (format 1.1) through the one import pipeline: a row per placement or
proposal, every bad row named by file, row, column and reason, and written back on export."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from matching.exchange import import_paths
from matching.exchange.exporting import export_all
from matching.instruments.suggestions import used_instruments
from matching.store.instruments import Instrument
from tests.matching.exchange.conftest import count

ROWS = """instrument_id,placement_id,vacancy_id,candidate_id,kind,start_date,end_date,amount
I1,P-1,,,LKS,2023-12-01,2024-12-01,9000
I2,,V-101,K-0001,proefplaatsing,2024-02-12,2024-04-12,
I3,,,,jobcoaching,2024-01-01,,
I4,,V-102,K-0001,jobcoaching,2024-01-01,,
I5,P-1,,K-0003,jobcoaching,2024-01-01,,
I6,P-999,,,jobcoaching,2024-01-01,,
I7,P-1,,,subsidie,2024-01-01,,
I8,P-1,,,opleiding,2024-02-01,2024-01-01,
"""


def test_instruments_are_imported_checked_and_exported(
    sessions: sessionmaker[Session], region: Path, tmp_path: Path
) -> None:
    (region / "instruments.csv").write_text(ROWS, encoding="utf-8")
    report = import_paths(sessions, [region])
    (file,) = [f for f in report.files if f.entity == "instruments"]
    assert (file.inserted, file.rejected) == (2, 6)
    assert sorted((e.row, e.column) for e in file.errors) == [
        (4, "placement_id"), (5, "candidate_id"), (6, "candidate_id"), (7, "placement_id"),
        (8, "kind"), (9, "end_date"),
    ]  # fmt: skip
    reasons = {e.row: e.reason for e in file.errors}
    assert reasons[4] == "vul placement_id of vacancy_id en candidate_id in"
    assert "niet voorgesteld voor vacature 'V-102'" in reasons[5]
    assert reasons[6] == "plaatsing 'P-1' is van een andere werkzoekende"
    assert "plaatsing 'P-999' bestaat niet" in reasons[7]
    assert count(sessions, Instrument) == 2
    with sessions() as session:
        used = used_instruments(session, "V-101", "K-0001")
        assert [(u.instrument_id, u.label) for u in used] == [("I2", "Proefplaatsing")]
        export_all(session, tmp_path / "out")
    with (tmp_path / "out" / "instruments.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1:] == [
        ["I1", "P-1", "", "", "loonkostensubsidie", "2023-12-01", "2024-12-01", "9000"],
        ["I2", "", "V-101", "K-0001", "proefplaatsing", "2024-02-12", "2024-04-12", ""],
    ]
    again = import_paths(sessions, [tmp_path / "out" / "instruments.csv"])
    assert (again.total("unchanged"), again.total("rejected")) == (2, 0)

"""contacts.csv's optional ``supply_driven`` (format 1.1): read as the format reads booleans
(Dutch too), false when the column or the cell is missing, a bad value named by file, row,
column and reason with nothing of that row stored, written back on export; the funnel counts
the imported supply-driven contacts."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from evaluation.funnel_report import supply_driven_funnel
from matching.exchange import import_paths
from matching.exchange.exporting import export_all
from matching.store import models
from matching.whitespots.acquisition import funnel_history

HEADER = "contact_id,employer_id,date,kind,outcome,by,supply_driven\n"
ROWS = """S-1,28011111,2024-02-01,call,appointment,am-janssen,ja
S-2,28011111,2024-02-02,visit,,am-janssen,nee
S-3,28011111,2024-02-03,call,,am-janssen,
S-4,28011111,2024-02-04,call,,am-janssen,TRUE
S-5,28011111,2024-02-05,call,,am-janssen,misschien
"""


def _flags(sessions: sessionmaker[Session]) -> dict[str, bool]:
    with sessions() as session:
        rows = session.execute(select(models.Contact.contact_id, models.Contact.supply_driven))
        return {contact_id: flag for contact_id, flag in rows}


def test_supply_driven_is_read_checked_counted_and_exported(
    sessions: sessionmaker[Session], region: Path, tmp_path: Path
) -> None:
    report = import_paths(sessions, [region])
    assert report.total("rejected") == 0
    assert set(_flags(sessions).values()) == {False}  # the fixture has no such column
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    report = import_paths(sessions, [path])
    (file,) = report.files
    assert (file.inserted, file.rejected) == (4, 1)
    (error,) = file.errors
    assert (error.file, error.row, error.column) == ("contacts.csv", 6, "supply_driven")
    assert "geen ja/nee-waarde" in error.reason
    flags = _flags(sessions)
    assert [flags[f"S-{n}"] for n in range(1, 5)] == [True, False, False, True]
    assert "S-5" not in flags  # the bad row: nothing of it stored
    with sessions() as session:
        supplied, totals = supply_driven_funnel(funnel_history(session))
        export_all(session, tmp_path / "out")
    assert supplied == 2 and totals["appointment"] == 1
    with (tmp_path / "out" / "contacts.csv").open(encoding="utf-8", newline="") as handle:
        rows = {row["contact_id"]: row["supply_driven"] for row in csv.DictReader(handle)}
    assert rows["S-1"] == "true" and rows["S-2"] == "false" and rows["C-1"] == "false"
    again = import_paths(sessions, [tmp_path / "out" / "contacts.csv"])
    assert again.total("rejected") == 0 and again.total("updated") == 0

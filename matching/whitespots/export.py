"""The job hunter's week list: the top white spots with their reasons as an .xlsx workbook."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from matching.formulas import neutralise
from matching.whitespots.ranking import WhiteSpot, WhiteSpotRanking

HEADERS = (
    "Rang", "Werkgever", "Werkgever-id", "Gemeente", "SBI-code", "Sectie", "Medewerkers",
    "Score", "Beroep 1", "Geschikt 1", "Beroep 2", "Geschikt 2", "Beroep 3", "Geschikt 3",
    "Werkzoekenden in de buurt", "Vacatures in de sector (12 mnd)", "Redenen",
)  # fmt: skip
WIDTHS = {"B": 34, "D": 18, "I": 28, "K": 28, "M": 28, "Q": 90}


def _row(rank: int, spot: WhiteSpot) -> list[object]:
    occupations: list[object] = []
    for i in range(3):
        o = spot.occupations[i] if i < len(spot.occupations) else None
        occupations += [o.label, o.candidates] if o is not None else [None, None]
    row: list[object] = [
        rank, spot.name, spot.employer_id, spot.municipality, spot.sbi_code, spot.sbi_section,
        spot.employees, spot.score, *occupations, spot.candidates_nearby, spot.sector_vacancies,
        "\n".join(spot.reasons),
    ]  # fmt: skip
    return [neutralise(cell) for cell in row]  # text a spreadsheet would run is quoted


def white_spots_workbook(ranking: WhiteSpotRanking) -> Workbook:
    """One sheet 'Witte vlekken': a header row and one row per white spot, best first."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Witte vlekken"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for rank, spot in enumerate(ranking.data, 1):
        sheet.append(_row(rank, spot))
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    for cell in sheet["Q"][1:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "C2"
    return book


def write_white_spots_xlsx(ranking: WhiteSpotRanking, target: Path | None = None) -> bytes:
    """Write the workbook to ``target`` (when given) and return its bytes."""
    buffer = io.BytesIO()
    white_spots_workbook(ranking).save(buffer)
    data = buffer.getvalue()
    if target is not None:
        Path(target).write_bytes(data)
    return data

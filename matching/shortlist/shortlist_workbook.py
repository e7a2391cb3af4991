"""A shortlist as an .xlsx workbook (Dutch headers) for the account manager's own files."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from matching.dutch import local_time
from matching.formulas import neutralise
from matching.shortlist.ranking import LEVEL_LABELS, Shortlist, ShortlistEntry

HEADERS = (
    "Rang", "Kandidaat", "Gemeente", "Herkomst", "Kans op duurzame plaatsing", "Afstand (km)",
    "Uren beschikbaar", "Uren gevraagd", "Trede", "Competenties aanwezig",
    "Waarschijnlijk aanwezig (werkervaring)", "Competenties ontbreken", "Toelichting",
)  # fmt: skip
WIDTHS = {"B": 14, "C": 18, "D": 34, "E": 14, "J": 40, "K": 40, "L": 40, "M": 90}
WRAPPED = ("J", "K", "L", "M")


def _labels(items: list[dict[str, Any]]) -> str:
    return "; ".join(str(item.get("label", "")) for item in items)


def entry_row(entry: ShortlistEntry) -> list[object]:
    """One spreadsheet row of a shortlist entry; text that a spreadsheet would run is quoted."""
    text = entry.explanation
    competences = text.get("competences", {})
    hours = text.get("hours", {})
    row: list[object] = [
        entry.rank,
        entry.candidate_id,
        text.get("candidate", {}).get("municipality", entry.municipality_code),
        LEVEL_LABELS.get(entry.fallback_level, entry.fallback_level),
        entry.p_durable,
        entry.distance_km,
        hours.get("available"),
        hours.get("asked"),
        text.get("readiness", {}).get("ladder_step"),
        _labels(competences.get("matched", [])),
        _labels([m for m in competences.get("missing", []) if m.get("evidence")]),
        _labels([m for m in competences.get("missing", []) if not m.get("evidence")]),
        str(text.get("summary", "")),
    ]
    return [neutralise(cell) for cell in row]


def shortlist_workbook(shortlist: Shortlist, *, title: str) -> Workbook:
    """One sheet 'Shortlist': the vacancy and model version, a header row, one row per entry."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Shortlist"
    sheet.append([neutralise(f"Vacature {shortlist.vacancy_id}: {title}")])
    sheet.append([f"Gemaakt op {local_time(shortlist.generated_at):%d-%m-%Y om %H:%M}"])
    sheet.append(list(HEADERS))
    for cell in (*sheet[1], *sheet[3]):
        cell.font = Font(bold=True)
    for entry in shortlist.candidates:
        sheet.append(entry_row(entry))
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    for column in WRAPPED:
        for cell in sheet[column][3:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet["E"][3:]:
        cell.number_format = "0.0%"  # shown as 38,5 % in a Dutch Excel
    sheet.freeze_panes = "C4"
    return book


def shortlist_xlsx(shortlist: Shortlist, *, title: str) -> bytes:
    """The workbook's bytes."""
    buffer = io.BytesIO()
    shortlist_workbook(shortlist, title=title).save(buffer)
    return buffer.getvalue()

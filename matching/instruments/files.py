"""Reading an organisation's own CSV files (rules, training catalogue): every row checked
first, each bad cell named with file, row, column and reason in Dutch; one bad row refuses the
whole file and nothing is stored. Writing them back with every text cell neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from matching.errors import InvalidInput
from matching.exchange.reading import normalise_header, open_table
from matching.exchange.report import RowError
from matching.formulas import neutralise, restore

MAX_ERRORS_SHOWN = 50
Rows = list[tuple[int, list[str]]]


def read_rows(path: Path) -> tuple[list[str], Rows]:
    """The header and the rows (spreadsheet numbering) of a CSV or .xlsx file."""
    with open_table(path) as table:
        rows = [
            (n, [restore(c.strip()) for c in cells]) for chunk in table.rows for n, cells in chunk
        ]
        return list(table.header), rows


def check_columns(
    file: str, header: Sequence[str], columns: Sequence[str], required: Sequence[str]
) -> None:
    """InvalidInput when a required column is missing from the header."""
    names = [normalise_header(name) for name in header]
    if missing := [name for name in required if name not in names]:
        raise InvalidInput(
            f"{file}: kolom(men) {', '.join(missing)} ontbreken; het bestand heeft de kolommen "
            f"{', '.join(columns)}; niets opgeslagen"
        )


def cells_by_name(header: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """A row's cells by (normalised) column name; missing cells are empty."""
    names = [normalise_header(name) for name in header]
    padded = list(cells) + [""] * len(names)
    return {name: padded[i].strip() for i, name in enumerate(names)}


def refuse(file: str, errors: Sequence[RowError], what: str, rows: int) -> None:
    """InvalidInput naming every bad cell (``errors``), or when the file has no rows."""
    lines = [
        f"{e.file}, rij {e.row}" + (f", kolom {e.column}" if e.column else "") + f": {e.reason}"
        for e in errors
    ]
    if rows == 0:
        lines.append(f"{file}: het bestand heeft geen rijen onder de kopregel")
    if not lines:
        return
    shown = lines[:MAX_ERRORS_SHOWN]
    if len(lines) > len(shown):
        shown.append(f"… en nog {len(lines) - len(shown)} fouten")
    raise InvalidInput(f"{what} niet ingelezen, niets opgeslagen:\n" + "\n".join(shown))


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text with a header; every text cell through ``neutralise``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [neutralise(c) if isinstance(c, str) else ("" if c is None else c) for c in row]
        )
    return out.getvalue()

"""An organisation's synonym list as a CSV file, so a region can share one.

Columns: ``kind`` (``occupation`` or ``skill``; ``beroep`` and ``competentie`` are read too),
``text`` (as written), ``uri`` (the ESCO concept; empty: keep the text as written), and, for
people reading the file, ``label``, ``decided_by`` and ``decided_at`` (ignored on import). Every
text cell is written through ``matching.formulas.neutralise``. An import checks every row
first: one bad row refuses the whole file, each bad row named with its number and reason in
Dutch, and nothing is stored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from sqlalchemy.orm import Session

from matching.columns import Vocabulary
from matching.dutch import local_time
from matching.errors import InvalidInput
from matching.exchange.codes import text_key
from matching.exchange.normalising import TextKind
from matching.exchange.reading import open_table
from matching.exchange.values import CellError, check_free_text, check_visible
from matching.formulas import neutralise, restore
from matching.review.synonyms import Choice, known_concepts, list_synonyms

COLUMNS = ("kind", "text", "uri", "label", "decided_by", "decided_at")
REQUIRED = ("kind", "text", "uri")
KINDS = Vocabulary(
    "kind",
    ("occupation", "skill"),
    {"beroep": "occupation", "competentie": "skill", "vaardigheid": "skill"},
)
MAX_ERRORS_SHOWN = 50


def synonyms_csv(session: Session, organisation_id: str) -> str:
    """The organisation's synonyms as CSV text (module doc)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for synonym in list_synonyms(session, organisation_id):
        cells = (
            synonym.kind, synonym.text, synonym.uri or "", synonym.label or "",
            synonym.decided_by, local_time(synonym.decided_at).date().isoformat(),
        )  # fmt: skip
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()


@dataclass(frozen=True)
class _Row:
    number: int
    kind: str
    text: str
    uri: str


def read_synonyms(session: Session, path: Path) -> list[Choice]:
    """The decisions in a synonyms file; InvalidInput naming every bad row (module doc)."""
    rows = _rows(path)
    known = {
        kind: known_concepts(session, kind, [r.uri for r in rows if r.uri])
        for kind in ("occupation", "skill")
    }
    errors: list[str] = []
    choices: dict[tuple[str, str], tuple[int, Choice]] = {}
    for row in rows:
        problem, choice = _check(row, known)
        if problem is None and choice is not None:
            earlier = choices.setdefault((choice.kind, choice.key), (row.number, choice))
            if earlier[1].uri != choice.uri:
                problem = f"dezelfde tekst als rij {earlier[0]}, maar met een ander begrip"
        if problem is not None:
            errors.append(f"rij {row.number}: {problem}")
    if not rows:
        errors.append("het bestand heeft geen rijen onder de kopregel")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = [f"… en nog {len(errors) - len(shown)} fouten"] if len(errors) > len(shown) else []
        lines = "\n".join(shown + more)
        raise InvalidInput(f"Synoniemen niet ingelezen, niets opgeslagen:\n{lines}")
    return [choice for _number, choice in choices.values()]


def _rows(path: Path) -> list[_Row]:
    with open_table(path) as table:
        missing = [name for name in REQUIRED if name not in table.header]
        if missing:
            raise InvalidInput(
                f"kolom(men) {', '.join(missing)} ontbreken: een synoniemenlijst heeft de "
                f"kolommen {', '.join(COLUMNS)}"
            )
        at = [table.header.index(name) for name in REQUIRED]
        rows = []
        for chunk in table.rows:
            for number, cells in chunk:
                padded = [restore(cell.strip()) for cell in cells] + [""] * len(table.header)
                rows.append(_Row(number, *(padded[i] for i in at)))
    return rows


def _check(row: _Row, known: dict[str, set[str]]) -> tuple[str | None, Choice | None]:
    """Why a row is refused, or its decision."""
    kind = KINDS.canonical(row.kind)
    if kind is None:
        return f"soort '{row.kind}' is geen occupation (beroep) of skill (competentie)", None
    if not text_key(row.text):
        return "de tekst is leeg", None
    try:
        check_free_text(check_visible(row.text))
    except CellError as error:
        return str(error), None
    if row.uri and row.uri not in known[kind]:
        what = "beroep" if kind == "occupation" else "competentie"
        return f"'{row.uri}' is geen bekend ESCO-{what}", None
    return None, Choice(cast(TextKind, kind), row.text, row.uri or None)

"""An organisation's training catalogue, and the trainings that close a missing competence.

The catalogue is a CSV (or .xlsx) file per organisation with the columns ``training_id``,
``name``, ``provider``, ``duration_days``, ``cost`` (whole euros) and ``skills``: the ESCO
skill URIs the training teaches, ``;``-separated. An import checks every row (file, row,
column and reason) and replaces the organisation's catalogue only when all rows are good.
For a missing required competence the trainings that teach it are suggested, cheapest and
shortest first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matching.bsn import contains_bsn
from matching.exchange.report import RowError
from matching.instruments.files import (
    Rows,
    cells_by_name,
    check_columns,
    read_rows,
    refuse,
    write_csv,
)
from matching.instruments.rule_files import CellProblem, whole_number
from matching.review.synonyms import known_concepts
from matching.store.instruments import Training as TrainingRow

COLUMNS = ("training_id", "name", "provider", "duration_days", "cost", "skills")
REQUIRED = ("training_id", "name", "skills")
LENGTHS = {"training_id": 64, "name": 200, "provider": 200}


@dataclass(frozen=True)
class Training:
    """A training of the catalogue."""

    training_id: str
    name: str
    provider: str | None
    duration_days: int | None
    cost: int | None
    skills: tuple[str, ...]


@dataclass(frozen=True)
class TrainingSuggestion:
    """The trainings that teach one missing competence (empty: none in the catalogue)."""

    uri: str
    label: str
    trainings: tuple[Training, ...]


def _training(
    file: str, number: int, cells: dict[str, str], known: Collection[str]
) -> tuple[Training | None, list[RowError]]:
    errors: list[RowError] = []
    numbers: dict[str, int | None] = {"duration_days": None, "cost": None}
    for name in REQUIRED:
        if not cells.get(name):
            errors.append(RowError(file, number, name, "verplichte waarde ontbreekt"))
    for name, most in LENGTHS.items():
        if len(cells.get(name, "")) > most:
            errors.append(RowError(file, number, name, f"hooguit {most} tekens"))
        if contains_bsn(cells.get(name, "")):
            errors.append(RowError(file, number, name, "bevat een BSN-achtig nummer"))
    for name, (low, high) in {"duration_days": (1, 3650), "cost": (0, 1_000_000)}.items():
        if raw := cells.get(name, ""):
            try:
                numbers[name] = whole_number(raw, low, high)
            except CellProblem as problem:
                errors.append(RowError(file, number, name, str(problem)))
    skills = tuple(
        dict.fromkeys(s.strip() for s in cells.get("skills", "").split(";") if s.strip())
    )
    for uri in skills:
        if uri not in known:
            errors.append(
                RowError(file, number, "skills", f"'{uri}' is geen bekende ESCO-competentie")
            )
    if errors:
        return None, errors
    training = Training(
        cells["training_id"],
        cells["name"],
        cells.get("provider") or None,
        numbers["duration_days"],
        numbers["cost"],
        skills,
    )
    return training, []


def parse_trainings(
    session: Session, file: str, header: Sequence[str], rows: Rows
) -> list[Training]:
    """The trainings of a file's rows; InvalidInput naming every bad cell (nothing partial)."""
    check_columns(file, header, COLUMNS, REQUIRED)
    by_row = [(number, cells_by_name(header, cells)) for number, cells in rows]
    uris = {s.strip() for _n, cells in by_row for s in cells.get("skills", "").split(";")}
    known = known_concepts(session, "skill", [uri for uri in uris if uri])
    trainings, errors, first = [], [], dict[str, int]()
    for number, cells in by_row:
        training, problems = _training(file, number, cells, known)
        if training is not None and first.setdefault(training.training_id, number) != number:
            earlier = first[training.training_id]
            reason = f"opleiding-id '{training.training_id}' staat al in rij {earlier}"
            problems = [RowError(file, number, "training_id", reason)]
        errors.extend(problems)
        if training is not None and not problems:
            trainings.append(training)
    refuse(file, errors, "Opleidingencatalogus", len(rows))
    return trainings


def read_trainings(session: Session, path: Path, *, name: str | None = None) -> list[Training]:
    """The trainings of a CSV or .xlsx file (module doc); InvalidInput when any row is bad."""
    header, rows = read_rows(path)
    return parse_trainings(session, name or path.name, header, rows)


def store_trainings(session: Session, organisation_id: str, trainings: Sequence[Training]) -> None:
    """Replace the organisation's catalogue (in the caller's transaction)."""
    session.execute(delete(TrainingRow).where(TrainingRow.organisation_id == organisation_id))
    session.add_all(
        TrainingRow(
            organisation_id=organisation_id,
            training_id=t.training_id,
            name=t.name,
            provider=t.provider,
            duration_days=t.duration_days,
            cost=t.cost,
            skills=";".join(t.skills),
        )
        for t in trainings
    )
    session.flush()


def catalogue(session: Session, organisation_id: str) -> list[Training]:
    """The organisation's trainings, by id."""
    t = TrainingRow
    rows = session.scalars(
        select(t).where(t.organisation_id == organisation_id).order_by(t.training_id)
    )
    return [
        Training(
            r.training_id,
            r.name,
            r.provider,
            r.duration_days,
            r.cost,
            tuple(s for s in r.skills.split(";") if s),
        )
        for r in rows
    ]


def trainings_csv(session: Session, organisation_id: str) -> str:
    """The organisation's catalogue as CSV text (module doc)."""
    return write_csv(
        COLUMNS,
        (
            (t.training_id, t.name, t.provider, t.duration_days, t.cost, ";".join(t.skills))
            for t in catalogue(session, organisation_id)
        ),
    )


def suggest_trainings(
    trainings: Sequence[Training], missing: Sequence[tuple[str, str]]
) -> list[TrainingSuggestion]:
    """Per missing competence (URI, Dutch label): the trainings teaching it, cheapest first
    (unknown cost last), then shortest, then by name."""

    def order(t: Training) -> tuple[int, int, str]:
        return (
            t.cost if t.cost is not None else 10**9,
            t.duration_days if t.duration_days is not None else 10**9,
            t.name,
        )

    return [
        TrainingSuggestion(
            uri, label, tuple(sorted((t for t in trainings if uri in t.skills), key=order))
        )
        for uri, label in missing
    ]

"""Checks across the cells of one programmes.csv row: what one cell alone cannot tell."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from matching.exchange import values as v


def programme_row_problems(
    record: Mapping[str, Any], municipalities: frozenset[str]
) -> Iterator[tuple[str, str]]:
    """(column, Dutch reason) for every inconsistency between a programme's cells.

    >>> row = {"phases": ("intake:1",), "target_phase_counts": ("werving:5",), "age_min": 30,
    ...        "age_max": 20, "min_hours": None, "min_hours_exception": 16,
    ...        "target_placements_per_municipality": ("GM9999:1",), "target_participants_by": ()}
    >>> [column for column, _ in programme_row_problems(row, frozenset({"GM0575"}))]
    ['age_max', 'min_hours_exception', 'target_phase_counts', 'target_placements_per_municipality']
    """
    low, high = record.get("age_min"), record.get("age_max")
    if low is not None and high is not None and high < low:
        yield "age_max", f"leeftijd tot {high} ligt onder leeftijd vanaf {low}"
    hours, exception = record.get("min_hours"), record.get("min_hours_exception")
    if exception is not None and (hours is None or exception > hours):
        yield (
            "min_hours_exception",
            (f"uitzondering {exception} uur hoort onder het minimum (min_hours) te liggen"),
        )
    phases = {item.split(":", 1)[0].lower() for item in record.get("phases") or ()}
    for item in record.get("target_phase_counts") or ():
        name = item.split(":", 1)[0]
        if name.lower() not in phases:
            yield "target_phase_counts", f"fase '{name}' staat niet in de kolom phases"
    for item in record.get("target_placements_per_municipality") or ():
        name = item.split(":", 1)[0]
        try:
            code = v.parse_municipality(name)
        except v.CellError as error:
            yield "target_placements_per_municipality", str(error)
            continue
        if code not in municipalities:
            yield "target_placements_per_municipality", f"onbekende gemeentecode {code}"
    for item in record.get("target_participants_by") or ():
        if not item.split(":", 1)[0].isdigit():
            yield (
                "target_participants_by",
                (f"'{item}': schrijf maanden na de start:aantal (zoals 12:20)"),
            )

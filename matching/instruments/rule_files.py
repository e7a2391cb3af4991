"""An organisation's instrument rules as a CSV file (import replaces them, export writes them).

Columns: ``rule_id``, ``kind`` (an instrument: ``loonkostensubsidie``, ``proefplaatsing``,
``no_riskpolis``, ``jobcoaching``, ``opleiding``, ``jobcarving``, ``werkervaringsplaats``,
``overig``), the conditions of ``matching.instruments.rules`` (``benefit`` and ``target_group``
as ``;``-lists, the others whole numbers; empty: no condition) and ``reason`` (Dutch text).
The shipped ``default_rules.csv`` is such a file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from matching.bsn import contains_bsn
from matching.columns import BENEFIT, INSTRUMENT_KIND, TARGET_GROUP, Vocabulary
from matching.exchange.report import RowError
from matching.instruments.files import (
    Rows,
    cells_by_name,
    check_columns,
    read_rows,
    refuse,
    write_csv,
)
from matching.instruments.rules import CONDITIONS, Rule, rules_for

COLUMNS = ("rule_id", "kind", *CONDITIONS, "reason")
REQUIRED = ("rule_id", "kind", "reason")
RANGES = {
    "ladder_min": (1, 6),
    "ladder_max": (1, 6),
    "min_hours": (1, 40),
    "min_missing": (1, 50),
    "max_chance": (0, 100),
    "min_months": (1, 60),
}
LISTS: dict[str, Vocabulary] = {"benefit": BENEFIT, "target_group": TARGET_GROUP}


class CellProblem(ValueError):
    """Why one cell is refused (Dutch)."""


def whole_number(raw: str, low: int, high: int) -> int:
    """A whole number in [low, high], or CellProblem."""
    if not re.fullmatch(r"-?\d+", raw):
        raise CellProblem(f"'{raw}' is geen geheel getal")
    value = int(raw)
    if not low <= value <= high:
        raise CellProblem(f"{value} valt buiten {low}–{high}")
    return value


def one_of(raw: str, vocabulary: Vocabulary, what: str) -> str:
    """The canonical value of ``raw``, or CellProblem naming the allowed values."""
    value = vocabulary.canonical(raw)
    if value is None:
        shown = "een BSN-achtig nummer" if contains_bsn(raw) else f"'{raw}'"
        raise CellProblem(f"{shown} is geen {what}; kies uit {', '.join(vocabulary.values)}")
    return value


def _cell(name: str, raw: str) -> Any:
    if name in LISTS:
        items = [item.strip() for item in raw.split(";") if item.strip()]
        return sorted({one_of(item, LISTS[name], name) for item in items})
    low, high = RANGES[name]
    return whole_number(raw, low, high)


def _rule(file: str, number: int, cells: dict[str, str]) -> tuple[Rule | None, list[RowError]]:
    """One row as a rule, or its errors."""
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def fail(column: str, reason: str) -> None:
        errors.append(RowError(file, number, column, reason))

    for name in REQUIRED:
        if not cells.get(name):
            fail(name, "verplichte waarde ontbreekt")
    if len(rule_id := cells.get("rule_id", "")) > 64:
        fail("rule_id", "een regel-id heeft hooguit 64 tekens")
    if cells.get("kind"):
        try:
            values["kind"] = one_of(cells["kind"], INSTRUMENT_KIND, "instrument")
        except CellProblem as problem:
            fail("kind", str(problem))
    conditions: dict[str, Any] = {}
    for name in CONDITIONS:
        if raw := cells.get(name, ""):
            try:
                conditions[name] = _cell(name, raw)
            except CellProblem as problem:
                fail(name, str(problem))
    if conditions.get("ladder_min", 1) > conditions.get("ladder_max", 6):
        fail("ladder_max", "ladder_max is lager dan ladder_min")
    if contains_bsn(cells.get("reason", "")):
        fail("reason", "de reden bevat een BSN-achtig nummer")
    if errors:
        return None, errors
    return Rule(rule_id, values["kind"], conditions, cells["reason"]), []


def parse_rules(file: str, header: Sequence[str], rows: Rows) -> list[Rule]:
    """The rules of a file's rows; InvalidInput naming every bad cell (nothing partial)."""
    check_columns(file, header, COLUMNS, REQUIRED)
    rules, errors, first = [], [], dict[str, int]()
    for number, cells in rows:
        rule, problems = _rule(file, number, cells_by_name(header, cells))
        if rule is not None and first.setdefault(rule.rule_id, number) != number:
            reason = f"regel-id '{rule.rule_id}' staat al in rij {first[rule.rule_id]}"
            problems = [RowError(file, number, "rule_id", reason)]
        errors.extend(problems)
        if rule is not None and not problems:
            rules.append(rule)
    refuse(file, errors, "Instrumentregels", len(rows))
    return rules


def read_rules(path: Path, *, name: str | None = None) -> list[Rule]:
    """The rules of a CSV or .xlsx file (module doc); InvalidInput when any row is bad."""
    header, rows = read_rows(path)
    return parse_rules(name or path.name, header, rows)


def _cells(rule: Rule) -> list[object]:
    c = rule.conditions
    conditions = [";".join(c[n]) if n in LISTS and n in c else c.get(n) for n in CONDITIONS]
    return [rule.rule_id, rule.kind, *conditions, rule.reason]


def rules_csv(session: Session, organisation_id: str) -> str:
    """The organisation's rules (the shipped ones when it has none) as CSV text."""
    return write_csv(COLUMNS, (_cells(rule) for rule in rules_for(session, organisation_id)))

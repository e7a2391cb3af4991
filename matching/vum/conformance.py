"""The accreditation's rule for a search, as the upstream Postman collections state it.

For every expected summary of a case its id is removed and empty arrays and objects are
dropped; the same is done to the returned summaries. The case passes when every expected
summary partially and deeply matches some returned summary (lodash ``_.some(observed,
expected)``): every property of the expected summary is present with an equal value, and each
element of an expected array matches a distinct element of the returned array (lodash's
unordered partial comparison, first unused element wins). Extra results and properties are
allowed.

>>> is_match({"a": [{"b": 1, "c": 2}], "d": 3}, {"a": [{"b": 1}]})
True
>>> is_match({"a": [{"b": 1}]}, {"a": [{"b": 1}, {"b": 1}]})
False
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ID_FIELDS = ("idWerkzoekende", "idVacature", "vumID")


def strip(summary: Mapping[str, Any]) -> dict[str, Any]:
    """A summary without its id and without empty arrays and objects (at any depth)."""
    return {k: v for k, v in _drop_empty(summary).items() if k not in ID_FIELDS}


def _drop_empty(value: Any) -> Any:
    if isinstance(value, dict):
        items = {k: _drop_empty(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v not in ({}, [])}
    if isinstance(value, list):
        return [item for item in map(_drop_empty, value) if item not in ({}, [])]
    return value


def is_match(observed: Any, expected: Any) -> bool:
    """lodash ``_.isMatch(observed, expected)``: partial, deep, arrays unordered."""
    if isinstance(expected, dict):
        return isinstance(observed, dict) and all(
            key in observed and is_match(observed[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        if not isinstance(observed, list) or len(observed) < len(expected):
            return False
        used: set[int] = set()
        for item in expected:
            found = next(
                (i for i, o in enumerate(observed) if i not in used and is_match(o, item)), None
            )
            if found is None:
                return False
            used.add(found)
        return True
    if isinstance(expected, bool) or isinstance(observed, bool):
        return type(expected) is type(observed) and expected == observed
    return bool(observed == expected)


def case_passes(
    observed: Sequence[Mapping[str, Any]], expected: Sequence[Mapping[str, Any]]
) -> bool:
    """Whether every expected summary matches some returned summary."""
    returned = [strip(summary) for summary in observed]
    return all(any(is_match(o, strip(e)) for o in returned) for e in expected)


@dataclass(frozen=True)
class Case:
    """One accreditation case: a zoekvraag and the summaries it must return."""

    zoekvraag: dict[str, Any]
    expected: list[dict[str, Any]]


def vacancy_cases(path: Path) -> tuple[list[Case], list[dict[str, Any]]]:
    """The cases of ``AccreditatieVacature_data.json`` and their pool of vacancies.

    The pool is every vacancy detail the file holds, plus, for the vacancies it names only
    in expected summaries, those summaries (README-werkmatch of ``data/vum``).
    """
    rows = json.loads(path.read_text(encoding="utf-8"))
    cases: list[Case] = []
    pool: dict[str, dict[str, Any]] = {}
    for row in rows:
        expected = json.loads(row["vacature.zoekresultaten"])
        cases.append(Case(json.loads(row["vacature.zoekvraag"]), expected))
        for summary in expected:
            pool.setdefault(summary["idVacature"], summary)
    for row in rows:  # details win over summaries
        detail = json.loads(row["vacature.vacature"])
        pool[detail["idVacature"]] = detail
    return cases, list(pool.values())

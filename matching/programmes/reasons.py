"""Why a candidate misses a programme's rules, in Dutch, and whether an exception may admit them.

Every missed rule may be set aside by a project leader with a reason, except the hours rule
below the programme's exception floor (``min_hours_exception``: 32 h normally, 16 h by
exception means under 16 h no exception is possible).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from matching.dutch import LANGUAGES, TARGET_GROUPS
from matching.programmes.eligibility import (
    BENEFIT_NL,
    RULES,
    CandidateTable,
    rule_masks,
)
from matching.programmes.rules import Rules

GROUPS = {code: name[0].lower() + name[1:] for code, name in TARGET_GROUPS.items()}
"""A target group's Dutch name inside a sentence."""


@dataclass(frozen=True)
class Miss:
    """One rule a candidate does not meet: its name, Dutch label and reason."""

    rule: str
    label: str
    reason: str
    exceptable: bool = True


def _listed(values: frozenset[str] | frozenset[int], names: dict[str, str] | None = None) -> str:
    shown = [names.get(str(v), str(v)) if names else str(v) for v in sorted(values, key=str)]
    return " of ".join([", ".join(shown[:-1]), shown[-1]]) if len(shown) > 1 else shown[0]


def misses(
    table: CandidateTable,
    row: int,
    rules: Rules,
    *,
    as_of: dt.date,
    masks: dict[str, np.ndarray] | None = None,
    names: dict[str, str] | None = None,
) -> list[Miss]:
    """The rules the candidate at ``row`` misses, in ``RULES`` order, with Dutch reasons;
    ``names``: municipality code → name, for the reasons."""
    masks = masks if masks is not None else rule_masks(table, rules, as_of=as_of)
    names = names or {}
    found = []
    for rule, label in RULES:
        if not bool(masks[rule][row]):
            reason, exceptable = _reason(rule, table, row, rules, as_of=as_of, names=names)
            found.append(Miss(rule, label, reason, exceptable))
    return found


def _reason(
    rule: str, t: CandidateTable, row: int, rules: Rules, *, as_of: dt.date, names: dict[str, str]
) -> tuple[str, bool]:
    """The Dutch reason a rule is missed and whether an exception may set it aside."""
    if rule == "active":
        return "staat niet (meer) als actieve werkzoekende ingeschreven", True
    if rule == "municipality":
        home = t.value("municipality", row)
        wanted = _listed(frozenset(names.get(c, c) for c in rules.municipalities))
        return f"woont in {names.get(home, home)}, het programma is voor {wanted}", True
    if rule == "postcode4":
        pc4 = t.value("postcode4", row) or "onbekend"
        return f"postcode {pc4} ligt buiten de gebieden {_listed(rules.postcode4)}", True
    if rule == "age":
        year = t.birth_year[row]
        band = f"{rules.age_min or 0}–{rules.age_max or 'geen grens'} jaar"
        if np.isnan(year):
            return f"geboortejaar onbekend; het programma vraagt {band}", True
        return f"is {as_of.year - int(year)} jaar, het programma vraagt {band}", True
    if rule == "ladder_step":
        wanted = _listed(rules.ladder_steps)
        return f"staat op trede {t.ladder_step[row]}, het programma vraagt trede {wanted}", True
    if rule == "benefit":
        have = BENEFIT_NL.get(t.value("benefit", row), "onbekend")
        return (
            f"uitkering: {have}; het programma vraagt {_listed(rules.benefits, BENEFIT_NL)}",
            True,
        )
    if rule == "target_group":
        have = GROUPS.get(t.value("target_group", row) or "", "onbekend")
        wanted = _listed(rules.target_groups, GROUPS)
        return f"doelgroep {have}; het programma vraagt {wanted}", True
    if rule == "hours":
        return _hours_reason(int(t.hours[row]), rules)
    spoken = [LANGUAGES.get(code, code) for i, code in enumerate(t.language_names)
              if int(t.language_bits[row]) >> i & 1]  # fmt: skip
    have = ", ".join(spoken) or "onbekend"
    return f"talen: {have}; het programma vraagt {_listed(rules.languages, LANGUAGES)}", True


def _hours_reason(hours: int, rules: Rules) -> tuple[str, bool]:
    """The hours reason: below the minimum, and whether the exception floor is reached."""
    text = f"beschikbaar {hours} uur per week, het programma vraagt {rules.min_hours} uur"
    floor = rules.min_hours_exception
    if floor is None:
        return text, True
    if hours >= floor:
        return f"{text} ({floor} uur met uitzondering door de projectleider)", True
    return f"{text}; ook met uitzondering minstens {floor} uur", False

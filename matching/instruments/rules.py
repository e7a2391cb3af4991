"""Suggestion rules for instruments, as data: which instrument may apply to a match, and why.

A rule names an instrument (``kind``), its conditions and the reason an account manager reads.
Every condition is optional; a rule applies when all the conditions it has are met:

* ``benefit`` / ``target_group``: the candidate's benefit (target group) is one of the list;
* ``ladder_min`` / ``ladder_max``: the candidate's step on the participation ladder;
* ``min_hours``: the hours the match gives, the lower of the vacancy's hours and the hours the
  candidate is available, at least this many per week;
* ``min_missing``: at least this many required competences of the vacancy missing;
* ``max_chance``: the model's chance of a durable placement at most this (percent);
* ``min_months``: not known beforehand, so never checked: shown as a condition to confirm
  ("mits het contract ten minste 6 maanden duurt").

The shipped rules are ``default_rules.csv`` (documented in the README); an organisation that
imports its own (``rule_files``) uses those instead.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from matching.dutch import percent
from matching.store.instruments import InstrumentRule

DEFAULT_RULES = Path(__file__).with_name("default_rules.csv")
CONDITIONS = (
    "benefit",
    "target_group",
    "ladder_min",
    "ladder_max",
    "min_hours",
    "min_missing",
    "max_chance",
    "min_months",
)
KIND_LABELS: Mapping[str, str] = {
    "loonkostensubsidie": "Loonkostensubsidie",
    "proefplaatsing": "Proefplaatsing",
    "no_riskpolis": "No-riskpolis",
    "jobcoaching": "Jobcoaching",
    "opleiding": "Opleiding",
    "jobcarving": "Jobcarving",
    "werkervaringsplaats": "Werkervaringsplaats",
    "overig": "Overig instrument",
}
BENEFIT_LABELS = {"participatiewet": "Participatiewet (bijstand)", "ww": "WW", "none": "geen"}
GROUP_LABELS = {
    "regulier": "regulier",
    "doelgroepregister": "doelgroepregister",
    "statushouder": "statushouder",
    "nug": "niet-uitkeringsgerechtigd",
}


@dataclass(frozen=True)
class Rule:
    """One rule: an instrument, its conditions (module doc; absent ones are not in the dict)."""

    rule_id: str
    kind: str
    conditions: Mapping[str, Any]
    reason: str


@dataclass(frozen=True)
class MatchFacts:
    """What the rules look at in one candidate × vacancy pair."""

    benefit: str | None
    target_group: str
    ladder_step: int
    vacancy_hours: int
    hours_available: int
    missing_required: int
    p_durable: float | None


@dataclass(frozen=True)
class Check:
    """One condition of a rule on the facts: the Dutch text and whether it is met."""

    text: str
    met: bool


@dataclass(frozen=True)
class Suggestion:
    """A rule's verdict on a pair: applies or not, the reason and each condition checked."""

    rule_id: str
    kind: str
    label: str
    applies: bool
    reason: str
    checks: tuple[Check, ...]
    confirm: tuple[str, ...] = field(default=())


def _listed(values: Sequence[str], names: Mapping[str, str]) -> str:
    return " of ".join(names.get(v, v) for v in values)


def describe(c: Mapping[str, Any]) -> list[str]:
    """A rule's conditions in Dutch words, as the rules page lists them.

    >>> describe({"target_group": ["statushouder"], "ladder_max": 3, "max_chance": 35})
    ['doelgroep statushouder', 'trede 1 tot en met 3', 'kans op duurzame plaatsing hooguit 35 %']
    """
    words = {
        "benefit": lambda v: f"uitkering {_listed(v, BENEFIT_LABELS)}",
        "target_group": lambda v: f"doelgroep {_listed(v, GROUP_LABELS)}",
        "min_hours": lambda v: f"ten minste {v} uur per week",
        "min_missing": lambda v: f"ten minste {v} vereiste competentie(s) ontbreken",
        "max_chance": lambda v: f"kans op duurzame plaatsing hooguit {v} %",
        "min_months": lambda v: f"contract van ten minste {v} maanden",
    }
    out = [words[name](c[name]) for name in ("benefit", "target_group") if name in c]
    if "ladder_min" in c or "ladder_max" in c:
        out.append(f"trede {c.get('ladder_min', 1)} tot en met {c.get('ladder_max', 6)}")
    return out + [words[name](c[name]) for name in CONDITIONS[4:] if name in c]


def _checks(c: Mapping[str, Any], f: MatchFacts) -> list[Check]:
    """The checks of the conditions a rule has (module doc), in a fixed order."""
    out = []
    if "benefit" in c:
        have = BENEFIT_LABELS.get(f.benefit or "", "onbekend")
        out.append(
            Check(
                f"uitkering {_listed(c['benefit'], BENEFIT_LABELS)} (heeft: {have})",
                f.benefit in c["benefit"],
            )
        )
    if "target_group" in c:
        have = GROUP_LABELS.get(f.target_group, f.target_group)
        out.append(
            Check(
                f"doelgroep {_listed(c['target_group'], GROUP_LABELS)} (is: {have})",
                f.target_group in c["target_group"],
            )
        )
    low, high = c.get("ladder_min", 1), c.get("ladder_max", 6)
    if "ladder_min" in c or "ladder_max" in c:
        out.append(
            Check(
                f"trede {low} tot en met {high} (staat op trede {f.ladder_step})",
                low <= f.ladder_step <= high,
            )
        )
    if "min_hours" in c:
        hours = min(f.vacancy_hours, f.hours_available)
        out.append(
            Check(
                f"ten minste {c['min_hours']} uur per week (vacature {f.vacancy_hours} uur, "
                f"beschikbaar {f.hours_available} uur)",
                hours >= c["min_hours"],
            )
        )
    if "min_missing" in c:
        out.append(
            Check(
                f"ten minste {c['min_missing']} vereiste competentie(s) ontbreken "
                f"(ontbreken: {f.missing_required})",
                f.missing_required >= c["min_missing"],
            )
        )
    if "max_chance" in c:
        shown = "onbekend" if f.p_durable is None else percent(f.p_durable, 1)
        met = f.p_durable is not None and f.p_durable * 100 <= c["max_chance"]
        out.append(
            Check(f"kans op duurzame plaatsing hooguit {c['max_chance']} % (is: {shown})", met)
        )
    return out


def evaluate(rule: Rule, facts: MatchFacts) -> Suggestion:
    """The rule's verdict on the facts (module doc)."""
    checks = tuple(_checks(rule.conditions, facts))
    months = rule.conditions.get("min_months")
    confirm = (f"mits het contract ten minste {months} maanden duurt",) if months else ()
    label = KIND_LABELS.get(rule.kind, rule.kind)
    applies = all(check.met for check in checks)
    return Suggestion(rule.rule_id, rule.kind, label, applies, rule.reason, checks, confirm)


def suggest(rules: Sequence[Rule], facts: MatchFacts) -> list[Suggestion]:
    """Every rule's verdict; those that apply first, each group in rule order."""
    verdicts = [evaluate(rule, facts) for rule in rules]
    return [s for s in verdicts if s.applies] + [s for s in verdicts if not s.applies]


@cache
def default_rules() -> tuple[Rule, ...]:
    """The shipped rules (``default_rules.csv``), checked as an organisation's file would be."""
    from matching.instruments.rule_files import parse_rules  # the reader checks with ours

    with DEFAULT_RULES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return tuple(parse_rules(DEFAULT_RULES.name, rows[0], list(enumerate(rows[1:], start=2))))


def rules_for(session: Session, organisation_id: str | None) -> tuple[Rule, ...]:
    """The organisation's rules, or the shipped ones when it has none."""
    if organisation_id is None:
        return default_rules()
    r = InstrumentRule
    rows = session.scalars(
        select(r).where(r.organisation_id == organisation_id).order_by(r.position)
    ).all()
    if not rows:
        return default_rules()
    return tuple(Rule(row.rule_id, row.kind, dict(row.conditions), row.reason) for row in rows)


def store_rules(session: Session, organisation_id: str, rules: Sequence[Rule]) -> None:
    """Replace the organisation's rules by ``rules`` (in the caller's transaction)."""
    session.execute(delete(InstrumentRule).where(InstrumentRule.organisation_id == organisation_id))
    session.add_all(
        InstrumentRule(
            organisation_id=organisation_id,
            rule_id=rule.rule_id,
            position=i,
            kind=rule.kind,
            conditions=dict(rule.conditions),
            reason=rule.reason,
        )
        for i, rule in enumerate(rules)
    )
    session.flush()

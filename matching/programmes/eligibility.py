"""Eligibility: which candidates a programme's rules admit, vectorised, and why not (Dutch).

The candidate table is read once into arrays; categorical columns are factorised to integer
codes, so a rule over a set of values is one gather from a boolean lookup per candidate, and
languages are a bit mask per candidate. Unknown values (no birth year, no languages recorded)
do not meet a rule that asks for them: the project leader checks and may admit by exception.
A rule the programme leaves empty admits everyone. Age is counted in whole years on the
reference date's year (birth year only is known): ``as_of.year - birth_year``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.programmes.rules import Rules
from matching.store.models import Candidate

RULES: tuple[tuple[str, str], ...] = (
    ("active", "actief als werkzoekende"),
    ("municipality", "woont in het werkgebied"),
    ("postcode4", "woont in de postcodegebieden"),
    ("age", "leeftijd"),
    ("ladder_step", "trede op de participatieladder"),
    ("benefit", "uitkering"),
    ("target_group", "doelgroep"),
    ("hours", "uren per week beschikbaar"),
    ("language", "taal"),
)
"""(rule, Dutch label) in the order reasons are listed."""
RULE_LABELS = dict(RULES)
BENEFIT_NL = {"participatiewet": "bijstand", "ww": "WW", "none": "geen uitkering (NUG)"}


@dataclass(frozen=True)
class CandidateTable:
    """The candidates' eligibility facts as arrays, one row per candidate (ids sorted)."""

    ids: np.ndarray
    active: np.ndarray
    codes: dict[str, np.ndarray]  # municipality, postcode4, benefit, target_group → codes
    levels: dict[str, list[str]]  # the value of each code
    birth_year: np.ndarray  # float, NaN unknown
    ladder_step: np.ndarray
    hours: np.ndarray
    language_bits: np.ndarray  # uint64, bit per language in ``language_names``
    language_names: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def value(self, column: str, row: int) -> str:
        """The value of a factorised column at ``row`` ('' when unknown)."""
        code = int(self.codes[column][row])
        return self.levels[column][code] if code >= 0 else ""


CATEGORIES = ("municipality", "postcode4", "benefit", "target_group")


def candidate_table(frame: pd.DataFrame) -> CandidateTable:
    """A :class:`CandidateTable` from a frame with candidates.csv columns."""
    frame = frame.sort_values("candidate_id", kind="stable")
    codes, levels = {}, {}
    source = {"municipality": "municipality_code", "postcode4": "postcode4"}
    for name in CATEGORIES:
        values, uniques = pd.factorize(frame[source.get(name, name)], use_na_sentinel=True)
        codes[name], levels[name] = values, [str(u) for u in uniques]
    languages = frame["languages"].fillna("").astype(str)
    names = sorted({item for text in languages.unique() for item in text.split(";") if item})[:64]
    bit = {name: np.uint64(1) << np.uint64(i) for i, name in enumerate(names)}
    bits = {
        text: np.bitwise_or.reduce([bit[i] for i in text.split(";") if i in bit] or [np.uint64(0)])
        for text in languages.unique()
    }
    return CandidateTable(
        ids=frame["candidate_id"].to_numpy(dtype=object),
        active=(frame["status"] == "active").to_numpy(),
        codes=codes,
        levels=levels,
        birth_year=pd.to_numeric(frame["birth_year"]).to_numpy(dtype=float),
        ladder_step=frame["ladder_step"].to_numpy(dtype=np.int64),
        hours=frame["hours_available"].to_numpy(dtype=np.int64),
        language_bits=languages.map(bits).to_numpy(dtype=np.uint64),
        language_names=names,
    )


FACTS = ("candidate_id", "municipality_code", "postcode4", "birth_year", "ladder_step",
         "benefit", "target_group", "hours_available", "languages", "status")  # fmt: skip


def load_candidates(
    session: Session, *, within: Collection[str] | None, ids: Collection[str] | None = None
) -> CandidateTable:
    """The candidates of municipalities ``within`` (None: all), optionally only ``ids``."""
    c = Candidate
    statement = select(*(getattr(c, name) for name in FACTS))
    if within is not None:
        statement = statement.where(c.municipality_code.in_(sorted(within)))
    if ids is not None:
        statement = statement.where(c.candidate_id.in_(sorted(ids)))
    rows = session.execute(statement).all()
    return candidate_table(pd.DataFrame(rows, columns=list(FACTS)))


def _among(table: CandidateTable, column: str, allowed: Collection[str]) -> np.ndarray:
    """Rows whose ``column`` is one of ``allowed`` (unknown: no)."""
    lookup = np.array([level in allowed for level in table.levels[column]] + [False])
    return np.asarray(lookup[table.codes[column]])  # code -1 reads the trailing False


def rule_masks(table: CandidateTable, rules: Rules, *, as_of: dt.date) -> dict[str, np.ndarray]:
    """Per rule, which rows meet it (rules not set: everyone)."""
    n = len(table)
    everyone = np.ones(n, dtype=bool)
    age = as_of.year - table.birth_year
    masks = {name: everyone for name, _ in RULES}
    masks["active"] = table.active
    if rules.municipalities:
        masks["municipality"] = _among(table, "municipality", rules.municipalities)
    if rules.postcode4:
        masks["postcode4"] = _among(table, "postcode4", rules.postcode4)
    if rules.age_min is not None or rules.age_max is not None:
        low, high = rules.age_min or 0, rules.age_max or 200
        with np.errstate(invalid="ignore"):
            masks["age"] = (age >= low) & (age <= high)  # NaN compares False
    if rules.ladder_steps:
        masks["ladder_step"] = np.isin(table.ladder_step, sorted(rules.ladder_steps))
    if rules.benefits:
        masks["benefit"] = _among(table, "benefit", rules.benefits)
    if rules.target_groups:
        masks["target_group"] = _among(table, "target_group", rules.target_groups)
    if rules.min_hours is not None:
        masks["hours"] = table.hours >= rules.min_hours
    if rules.languages:
        wanted = np.uint64(0)
        for i, name in enumerate(table.language_names):
            if name in rules.languages:
                wanted |= np.uint64(1) << np.uint64(i)
        masks["language"] = (table.language_bits & wanted) != 0
    return masks


def eligible(masks: dict[str, np.ndarray]) -> np.ndarray:
    """Rows meeting every rule."""
    return np.asarray(np.logical_and.reduce(list(masks.values())), dtype=bool)

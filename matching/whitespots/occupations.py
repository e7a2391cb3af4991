"""Which occupations an employer typically hires, learned from the store's vacancies.

Shares are counts of vacancies per ESCO occupation, shrunk in a hierarchy (additive smoothing
with pseudo-counts, as in empirical Bayes for multinomial shares):

* section:  p_s(o) = (n_s(o) + κ · prior_s(o)) / (N_s + κ), prior from ``prior.SECTION_PRIOR``;
* division: p_d(o) = (n_d(o) + λ · p_s(o)) / (N_d + λ), shrunk towards its section.

``n`` counts the vacancies (with a known occupation) of all employers in the store in that SBI
section or division; ``N`` is their total. With no vacancies the prior alone speaks; with many,
the data. An employer without SBI code gets the mix of all vacancies shrunk to
``prior.DEFAULT_PRIOR``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from matching.reference import read_table
from matching.whitespots.prior import DEFAULT_PRIOR, SECTION_PRIOR, PriorEntry

PRIOR_STRENGTH = 5.0
"""κ: the prior weighs as much as this many vacancies of the section."""
SECTION_STRENGTH = 10.0
"""λ: the section's shares weigh as much as this many vacancies of the division."""
TOP_OCCUPATIONS = 3

Key = tuple[str | None, str | None]
"""(SBI division, SBI section) of an employer; either may be None."""


@dataclass(frozen=True)
class TypicalOccupation:
    """An ESCO occupation with its Dutch label and its share of the employer's hiring."""

    uri: str
    label: str
    share: float


@dataclass(frozen=True)
class OccupationMix:
    """The top occupations of an SBI division or section and what they were learned from.

    ``basis`` is ``division``, ``section``, ``all`` (no SBI code) or ``prior`` (no vacancies);
    ``vacancies`` counts the vacancies at that level.
    """

    occupations: tuple[TypicalOccupation, ...]
    basis: str
    sbi: str | None
    vacancies: int


@lru_cache(maxsize=1)
def esco_occupations() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """ESCO code → occupation URI, and URI → Dutch label (English when no Dutch label)."""
    table = read_table("occupations")
    by_code = dict(zip(table["code"].tolist(), table["uri"].tolist(), strict=True))
    label = table["label_nl"].where(table["label_nl"].notna(), table["label_en"])
    return by_code, dict(zip(table["uri"].tolist(), label.tolist(), strict=True))


def prior_shares(entries: Iterable[PriorEntry]) -> pd.Series:
    """The prior as shares per occupation URI (summing to 1)."""
    by_code, _ = esco_occupations()
    weights: dict[str, float] = {}
    for entry in entries:
        uri = by_code[entry.esco_code]
        weights[uri] = weights.get(uri, 0.0) + entry.weight
    series = pd.Series(weights, dtype="float64")
    return series / series.sum()


def shrink(counts: pd.Series, base: pd.Series, strength: float) -> pd.Series:
    """(counts + strength · base) / (total + strength), over the union of occupations."""
    index = counts.index.union(base.index)
    total = float(counts.sum())
    mixed = counts.reindex(index, fill_value=0) + strength * base.reindex(index, fill_value=0.0)
    return mixed / (total + strength)


def _counts(vacancies: pd.DataFrame, column: str, value: str | None) -> pd.Series:
    """Vacancies per occupation URI where ``column`` equals ``value`` (all when column None)."""
    rows = vacancies if value is None else vacancies.loc[vacancies[column] == value]
    return rows.groupby("occupation_uri").size().astype("float64")


def _top(shares: pd.Series, top: int) -> tuple[TypicalOccupation, ...]:
    """The ``top`` occupations by share (ties by URI, so the order is stable)."""
    _, labels = esco_occupations()
    frame = pd.DataFrame({"uri": shares.index, "share": shares.to_numpy()})
    frame = frame.sort_values(["share", "uri"], ascending=[False, True]).head(top)
    return tuple(
        TypicalOccupation(uri, str(labels.get(uri, uri)), float(share))
        for uri, share in zip(frame["uri"], frame["share"], strict=True)
    )


def occupation_mix(
    vacancies: pd.DataFrame, key: Key, *, top: int = TOP_OCCUPATIONS
) -> OccupationMix:
    """The mix of one (division, section) key; ``vacancies`` has ``sbi_division``,
    ``sbi_section`` and ``occupation_uri`` (one row per vacancy with a known occupation)."""
    division, section = key
    if section is None:
        counts = _counts(vacancies, "sbi_section", None)
        shares = shrink(counts, prior_shares(DEFAULT_PRIOR), PRIOR_STRENGTH)
        basis = "all" if counts.sum() else "prior"
        return OccupationMix(_top(shares, top), basis, None, int(counts.sum()))
    section_counts = _counts(vacancies, "sbi_section", section)
    shares = shrink(section_counts, prior_shares(SECTION_PRIOR[section]), PRIOR_STRENGTH)
    basis, sbi, n = ("section", section, int(section_counts.sum()))
    if division is not None:
        division_counts = _counts(vacancies, "sbi_division", division)
        shares = shrink(division_counts, shares, SECTION_STRENGTH)
        if division_counts.sum():
            basis, sbi, n = "division", division, int(division_counts.sum())
    return OccupationMix(_top(shares, top), basis if n else "prior", sbi, n)


def occupation_mixes(
    vacancies: pd.DataFrame, keys: Iterable[Key], *, top: int = TOP_OCCUPATIONS
) -> dict[Key, OccupationMix]:
    """The mix of every distinct key (computed once per key, shared by its employers)."""
    return {key: occupation_mix(vacancies, key, top=top) for key in dict.fromkeys(keys)}


def sbi_division(code: object) -> str | None:
    """The two-digit SBI division of a code (``5610`` → ``56``); None for a letter or missing."""
    return code[:2] if isinstance(code, str) and code[:2].isdigit() else None

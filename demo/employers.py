"""Employers of the region: sector, size, place, synthetic names and who is a white spot."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo import proportions as share
from demo.catalogue import FANCY_NAMES, LEGAL_FORMS, SECTORS, SURNAMES
from demo.sampling import pick_sequence, weighted_index
from demo.sources import Geography, Taxonomy


@dataclass
class Employers:
    """Employers as parallel arrays."""

    ids: np.ndarray  # synthetic 8-digit KvK-like numbers (never 9 digits)
    name: np.ndarray
    sector: np.ndarray  # index into SECTORS
    sbi_code: np.ndarray  # written: division, sometimes only the section letter, or ""
    pc4: np.ndarray  # index into Geography
    employees: np.ndarray
    known: np.ndarray  # has any contact, vacancy or placement (not a white spot)
    hiring: np.ndarray  # has vacancies
    unobserved: np.ndarray  # latent N(0, 1): supervision, team, how well people are kept

    @property
    def size(self) -> int:
        """Number of employers."""
        return len(self.ids)


def kvk_numbers(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` distinct 8-digit numbers as strings, like KvK numbers."""
    drawn = rng.integers(10_000_000, 100_000_000, size=int(n * 1.2) + 16)
    _, first = np.unique(drawn, return_index=True)
    distinct = drawn[np.sort(first)]
    while len(distinct) < n:  # vanishingly rare; keeps the guarantee
        extra = rng.integers(10_000_000, 100_000_000, size=n)
        merged = np.concatenate([distinct, extra])
        _, first = np.unique(merged, return_index=True)
        distinct = merged[np.sort(first)]
    return distinct[:n].astype(str).astype(object)


def _names(rng: np.random.Generator, sector: np.ndarray, place: np.ndarray) -> np.ndarray:
    """Dutch-looking synthetic company names from surnames, sector words and places."""
    n = len(sector)
    surname = pick_sequence(rng, SURNAMES, n)
    fancy = pick_sequence(rng, FANCY_NAMES, n)
    word = np.array(
        [SECTORS[s].words[k % len(SECTORS[s].words)] for s, k in
         zip(sector.tolist(), rng.integers(0, 60, n).tolist(), strict=True)],
        dtype=object,
    )  # fmt: skip
    legal = np.array([form for form, _ in LEGAL_FORMS], dtype=object)[
        rng.choice(len(LEGAL_FORMS), n, p=[p for _, p in LEGAL_FORMS])
    ]
    pattern = rng.choice(4, n, p=[0.45, 0.2, 0.15, 0.2])
    names = np.select(
        [pattern == 0, pattern == 1, pattern == 2],
        [surname + " " + word, word + " " + place, word + " " + fancy],
        fancy + " " + place,
    )
    return np.asarray(names + legal, dtype=object)


def make_employers(rng: np.random.Generator, geo: Geography, tax: Taxonomy, n: int) -> Employers:
    """``n`` employers spread over the region's PC4 areas."""
    shares = np.array([sector.share for sector in SECTORS])
    sector = weighted_index(rng, shares, n)
    division = np.empty(n, dtype=object)
    section = np.empty(n, dtype=object)
    for s in range(len(SECTORS)):
        rows = np.flatnonzero(sector == s)
        codes, p, sections = tax.divisions[s]
        pick = rng.choice(len(codes), size=len(rows), p=p)
        division[rows], section[rows] = codes[pick], sections[pick]
    form = rng.random(n)
    sbi_code = np.where(form < 0.8, division, np.where(form < 0.9, section, ""))
    employees = np.minimum(
        np.floor(2 * (rng.pareto(share.EMPLOYEE_PARETO_ALPHA, n) + 1)), share.EMPLOYEE_CAP
    ).astype(np.int64)
    # Bigger employers are likelier to be known; counts are exact so the shares are too.
    visibility = np.log(employees) + rng.gumbel(size=n)
    known = np.zeros(n, dtype=bool)
    known[np.argsort(-visibility, kind="stable")[: round(n * (1 - share.WHITE_SPOT))]] = True
    appetite = np.where(known, np.log(employees) + rng.gumbel(size=n), -np.inf)
    hiring = np.zeros(n, dtype=bool)
    hiring[np.argsort(-appetite, kind="stable")[: round(known.sum() * share.WITH_VACANCIES)]] = True
    pc4 = weighted_index(rng, 0.9 * geo.weight + 0.1 / len(geo.weight), n)
    return Employers(
        ids=kvk_numbers(rng, n),
        name=_names(rng, sector, geo.place[pc4]),
        sector=sector,
        sbi_code=sbi_code,
        pc4=pc4,
        employees=employees,
        known=known,
        hiring=hiring,
        unobserved=rng.standard_normal(n),
    )

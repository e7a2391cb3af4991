"""Rank white spots by their potential for the organisation's own pool of job seekers.

The score (0–100) of an employer combines

* **fit** (b): how well our job seekers within reach fit a vacancy there,
  Σ share(o) · fit(o) over its top occupations (a), with fit(o) in [0, 1] the mean chance of a
  durable placement of the best ``TOP_K`` candidates for it (``potential``): the expected share
  of durable placements on a shortlist for such a vacancy, on the model's own scale;
* **context**: a weighted mean of size (c) ``log(1 + employees) / log(1 + SIZE_FULL)``
  (capped at 1; ``SIZE_UNKNOWN`` when not known), centrality (d)
  ``1 − exp(−nearby / NEARBY_SCALE)`` with *nearby* the active candidates within reach, and
  sector demand (e) ``1 − exp(−recent / DEMAND_SCALE)`` with *recent* the vacancies opened in
  the employer's SBI section in its region in the last 12 months;

as ``potential = fit · (1 − CONTEXT_WEIGHT + CONTEXT_WEIGHT · context)``. Fit multiplies: an
employer no candidate of ours can work for has no potential for our pool, however large or
busy its sector; context only orders employers with candidates. The shown ``score`` is the
potential relative to the best white spot ranked in the same call, ``100 · potential / max``:
the chances a model gives are on its own scale (a model trained where few proposals last
stays below 0.12, another near 0.5), so an absolute 0–100 would bunch every employer on a few
values; relative, 100 is the best and 50 half its potential, whatever the model.

``suitable`` counts, per employer, the distinct job seekers who are *geschikt* for at least one
of its top occupations (the shortlist's definition, ``potential``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from features.pool import CandidateArrays
from matching.errors import InvalidInput
from matching.pool_loading import Spaces, load_pool, load_spaces, locate
from matching.scoring.base import Scorer
from matching.whitespots.frames import (
    WhiteSpotFilter,
    check_filter,
    section_names,
    sector_demand,
    spot_frame,
    vacancy_frame,
)
from matching.whitespots.occupations import OccupationMix, occupation_mixes
from matching.whitespots.potential import (
    DemandFit,
    PotentialOptions,
    assess_demands,
    occupation_profiles,
)
from matching.whitespots.reasons import Facts, reasons
from matching.whitespots.status import window_start

SIZE_FULL = 250
SIZE_UNKNOWN = 0.25
NEARBY_SCALE = 150.0
DEMAND_SCALE = 20.0
CONTEXT_WEIGHTS = {"size": 0.35, "nearby": 0.25, "demand": 0.40}
CONTEXT_WEIGHT = 0.5
ALL_WHITE_SPOTS = WhiteSpotFilter()
DEFAULT_OPTIONS = PotentialOptions()


@dataclass(frozen=True)
class OccupationPotential:
    """A typical occupation of the employer, the suitable candidates within reach, the fit.

    ``suitable_ids`` are the candidate ids behind ``candidates``: for the account manager's
    list only (the API's white-spot schema and the job hunter's page show counts).
    """

    uri: str
    label: str
    share: float
    candidates: int
    fit: float
    suitable_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class WhiteSpot:
    """A white-spot employer, its potential score and the reasons in Dutch."""

    employer_id: str
    name: str
    municipality_code: str
    municipality: str
    region: str
    sbi_code: str | None
    sbi_section: str | None
    employees: int | None
    score: float
    suitable: int
    occupations: tuple[OccupationPotential, ...]
    candidates_nearby: int
    sector_vacancies: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class WhiteSpotRanking:
    """The best white spots (all when no limit) and how many matched the filter."""

    data: list[WhiteSpot]
    count: int
    as_of: dt.date
    radius_km: float


def potential_score(
    fit: np.ndarray, employees: np.ndarray, nearby: np.ndarray, recent: np.ndarray
) -> np.ndarray:
    """Potential in [0, 1] per employer (formula in the module doc); ``employees`` NaN = unknown.

    ``fit`` is in [0, 1]. An employer of 250 with 150 candidates nearby and no recent sector
    vacancies has context .35 + .25 · (1 − e⁻¹) = .508, so fit .2 gives .2 · .754:

    >>> potential_score(np.array([0.0, 0.2]), np.array([250.0, 250.0]),
    ...                 np.array([150.0, 150.0]), np.array([0.0, 0.0])).round(3).tolist()
    [0.0, 0.151]
    """
    size = np.where(
        np.isnan(employees), SIZE_UNKNOWN,
        np.minimum(np.log1p(np.nan_to_num(employees)) / np.log1p(SIZE_FULL), 1.0),
    )  # fmt: skip
    context = (
        CONTEXT_WEIGHTS["size"] * size
        + CONTEXT_WEIGHTS["nearby"] * (1 - np.exp(-nearby / NEARBY_SCALE))
        + CONTEXT_WEIGHTS["demand"] * (1 - np.exp(-recent / DEMAND_SCALE))
    )
    return np.asarray(fit * (1 - CONTEXT_WEIGHT + CONTEXT_WEIGHT * context))


def _demands(
    spots: pd.DataFrame, mixes: dict[tuple[str | None, str | None], OccupationMix]
) -> pd.DataFrame:
    """One row per (spot, top occupation): spot position, site, occupation, share, section
    (``""`` when unknown)."""
    rows = [
        (i, site, occ.uri, occ.share, section if isinstance(section, str) else "")
        for i, (site, key, section) in enumerate(
            zip(spots["site"], spots["key"], spots["sbi_section"], strict=True)
        )
        for occ in mixes[key].occupations
    ]
    return pd.DataFrame(rows, columns=["spot", "site", "occupation_uri", "share", "sbi_section"])


def _sites(spots: pd.DataFrame, spaces: Spaces) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Spots with a ``site`` (distinct place) column, and the sites."""
    lat, lon = locate(spaces, spots["postcode4"].tolist(), spots["municipality_code"].tolist())
    placed = spots.assign(lat=lat, lon=lon)
    keys = placed[["lat", "lon", "municipality_code"]].astype({"lat": "float64", "lon": "float64"})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys))
    sites = pd.DataFrame(list(uniques), columns=["lat", "lon", "municipality_code"])
    return placed.assign(site=codes), sites


def _count_demands(
    demands: pd.DataFrame,
    sites: pd.DataFrame,
    context: tuple[ScoringPool, Scorer, pd.DataFrame],
    *,
    as_of: dt.date,
    options: PotentialOptions,
) -> tuple[pd.DataFrame, np.ndarray]:
    """``demands`` with ``candidates`` (suitable within reach), ``suitable`` (their ids) and
    ``fit``; and the candidates within reach per site."""
    pool, scorer, vacancies = context
    keys = ["site", "occupation_uri", "sbi_section"]
    group = demands.groupby(keys, sort=False).ngroup().to_numpy()
    distinct = demands[keys].drop_duplicates().reset_index(drop=True)
    profiles = occupation_profiles(
        sorted(set(distinct["occupation_uri"])), vacancies, default_hours=options.default_hours
    )
    found: DemandFit = assess_demands(
        pool.candidates, scorer, sites, distinct, profiles, as_of=as_of, options=options,
        placed=pool.placed,
    )  # fmt: skip
    ids = pool.candidates.ids
    named = [tuple(str(i) for i in ids[rows]) for rows in found.suitable]
    suitable = pd.Series([named[g] for g in group], index=demands.index, dtype=object)
    counted = demands.assign(
        candidates=found.counts[group], fit=found.fit[group], suitable=suitable
    )
    return counted, found.nearby


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _explain(
    row: pd.Series,
    rows: pd.DataFrame,
    mix: OccupationMix,
    facts: tuple[float, int, int],
    *,
    radius_km: float,
    sections: dict[str, str],
) -> WhiteSpot:
    """One ranked employer: its top occupations (``rows`` of the demands) and reasons."""
    score, nearby, recent = facts
    occupations = tuple(
        OccupationPotential(o.uri, o.label, o.share, int(n), round(float(f), 4), ids)
        for o, n, f, ids in zip(
            mix.occupations, rows["candidates"], rows["fit"], rows["suitable"], strict=True
        )
    )
    suitable = len({i for o in occupations for i in o.suitable_ids})
    employees = None if pd.isna(row["employees"]) else int(row["employees"])
    section = _text(row["sbi_section"])
    told = Facts(
        fits=[(o.label, o.candidates) for o in occupations], mix=mix, radius_km=radius_km,
        nearby=nearby, recent=recent, employees=employees,
        sector=sections.get(section) if section else None, region=str(row["region"]),
    )  # fmt: skip
    return WhiteSpot(
        employer_id=str(row["employer_id"]), name=str(row["name"]),
        municipality_code=str(row["municipality_code"]), municipality=str(row["municipality"]),
        region=str(row["region"]), sbi_code=_text(row["sbi_code"]), sbi_section=section,
        employees=employees, score=round(score, 1), suitable=suitable, occupations=occupations,
        candidates_nearby=nearby, sector_vacancies=recent, reasons=reasons(told),
    )  # fmt: skip


def _scores(
    spots: pd.DataFrame, demands: pd.DataFrame, near: np.ndarray, recent: np.ndarray
) -> np.ndarray:
    """Score per spot from the assessed demands: potential relative to the best (module doc)."""
    fit = (demands["share"] * demands["fit"]).groupby(demands["spot"]).sum()
    employees = pd.to_numeric(spots["employees"]).to_numpy(np.float64, na_value=np.nan)
    fit_values = fit.reindex(range(len(spots)), fill_value=0.0).to_numpy(np.float64)
    potential = potential_score(fit_values, employees, near, recent)
    best = float(potential.max()) if len(potential) else 0.0
    return 100 * potential / best if best > 0 else potential


@dataclass(frozen=True)
class ScoringPool:
    """The job seekers a ranking counts: their arrays, a running placement per row, the spaces."""

    candidates: CandidateArrays
    placed: np.ndarray
    spaces: Spaces

    def own(self, municipalities: Collection[str]) -> ScoringPool:
        """The job seekers living in ``municipalities``."""
        pool = self.candidates
        codes = np.array(pool.municipality_codes, dtype=object)
        own = np.isin(codes, np.array(sorted(municipalities), dtype=object))
        rows = np.flatnonzero(own[pool.municipality])
        return ScoringPool(pool.take(rows), self.placed[rows], self.spaces)


def scoring_pool(session: Session) -> ScoringPool:
    """The active job seekers of the store (placements not marked: none are loaded)."""
    spaces = load_spaces()
    pool = load_pool(session, spaces=spaces)
    return ScoringPool(pool, np.zeros(len(pool), dtype=bool), spaces)


def _recent(spots: pd.DataFrame, vacancies: pd.DataFrame, as_of: dt.date) -> np.ndarray:
    """Vacancies opened in the last 12 months in each spot's region and SBI section."""
    demand = sector_demand(vacancies, as_of=as_of)
    pairs = zip(spots["region"], spots["sbi_section"], strict=True)
    return np.array([int(demand.get((r, s), 0)) for r, s in pairs], dtype=np.int64)


def rank_white_spots(
    session: Session,
    *,
    scorer: Scorer,
    where: WhiteSpotFilter = ALL_WHITE_SPOTS,
    limit: int | None = 20,
    as_of: dt.date | None = None,
    lookback_days: int | None = None,
    options: PotentialOptions = DEFAULT_OPTIONS,
    pool: ScoringPool | None = None,
    candidate_municipalities: Collection[str] | None = None,
    include_known: bool = False,
) -> WhiteSpotRanking:
    """The ``limit`` white spots (None: all) with the highest potential, best first.

    ``candidate_municipalities`` limits the pool to the job seekers of those municipalities
    (the organisation's own); ``pool`` passes a prebuilt pool (default: the active candidates);
    ``include_known`` ranks the known employers too, scored the same way.
    """
    as_of = as_of or dt.date.today()
    if limit is not None and limit < 1:
        raise InvalidInput(f"limit must be at least 1, not {limit}")
    where = check_filter(session, where)
    since = window_start(as_of=as_of, lookback_days=lookback_days)
    spots = spot_frame(session, where, as_of=as_of, since=since, known=include_known)
    if spots.empty:
        return WhiteSpotRanking([], 0, as_of, options.radius_km)
    pool = scoring_pool(session) if pool is None else pool
    if candidate_municipalities is not None:
        pool = pool.own(candidate_municipalities)
    vacancies = vacancy_frame(session)
    keys = [(_text(d), _text(s)) for d, s in zip(spots["sbi_division"], spots["sbi_section"],
                                                 strict=True)]  # fmt: skip
    mixes = occupation_mixes(vacancies.loc[vacancies["occupation_uri"].notna()], keys)
    spots, sites = _sites(spots.assign(key=keys), pool.spaces)
    demands, nearby = _count_demands(
        _demands(spots, mixes), sites, (pool, scorer, vacancies), as_of=as_of, options=options
    )
    recent, near = _recent(spots, vacancies, as_of), nearby[spots["site"].to_numpy()]
    scores = _scores(spots, demands, near, recent)
    order = np.lexsort((spots["employer_id"].to_numpy(), -np.round(scores, 9)))[:limit]
    sections, by_spot = section_names(session), demands.groupby("spot")
    ranked = [
        _explain(spots.iloc[i], by_spot.get_group(i), mixes[spots["key"].iloc[i]],
                 (float(scores[i]), int(near[i]), int(recent[i])),
                 radius_km=options.radius_km, sections=sections)
        for i in order
    ]  # fmt: skip
    return WhiteSpotRanking(ranked, len(spots), as_of, options.radius_km)

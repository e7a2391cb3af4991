"""How many job seekers within reach fit an occupation at a place: shortlist scoring, summed up.

Each (occupation, place, SBI section) becomes a *synthetic vacancy*: it requires the ESCO
essential skills of the occupation and lists its optional skills (a real vacancy names a subset
of them; coverage is a mean over the listed skills, so over random subsets its expectation is
the coverage of the whole list), asks the median weekly hours of the store's vacancies for
that occupation (else ``default_hours``), a driving licence when most of them do, no language
or education minimum, and starts on ``as_of``. It is scored against the candidate pool with the
same features and scorer as a shortlist.

A candidate within reach is *suitable* (geschikt) exactly as on a shortlist: they pass the
shortlist's hard filters (``matching.shortlist.filters``: active, available by the start, the
hours floor, licence, not placed) and the scorer's ``p_durable`` reaches the threshold of the
organisation's fallback policy (``fit_threshold``). The *fit* of an occupation at a place does
not depend on a threshold: it is the mean ``p_durable`` of the ``TOP_K`` best candidates within
reach who pass the hard filters (fewer candidates count as 0), i.e. the expected share of durable
placements on a shortlist of ``TOP_K`` for such a vacancy. A count above a threshold is 0 for
every employer whenever the model's probabilities stay below it (as with a model trained on a
low base rate), so it cannot rank; the mean of the best does, on the model's own scale.

They are *within reach* of a place when the distance is at most ``radius_km`` and at most their
own ``max_travel_km`` (when known), and they live in the place's municipality or consented to
regional proposals (the cross-municipality rule of shortlists). Work is done once per distinct
place (the pool is cut to the candidates within reach) and once per distinct synthetic vacancy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.pairwise import COLUMN, pairwise_features
from features.pool import EARTH_RADIUS_KM, CandidateArrays, build_vacancy_arrays, unit_vectors
from matching.reference import read_table
from matching.scoring.base import Scorer
from matching.shortlist.filters import filter_masks
from matching.shortlist.policy import FallbackPolicy

DEFAULT_RADIUS_KM = 10.0
TOP_K = 10
"""The shortlist length whose mean ``p_durable`` is an occupation's fit at a place."""
DEFAULT_HOURS = 32.0
"""Weekly hours of a synthetic vacancy when the store has no vacancy for the occupation."""


@dataclass(frozen=True)
class PotentialOptions:
    """How fitting candidates are counted."""

    radius_km: float = DEFAULT_RADIUS_KM
    fit_threshold: float = FallbackPolicy().threshold
    """The shortlist's quality threshold (pass the organisation's ``policy_for(...)``)."""
    default_hours: float = DEFAULT_HOURS


@dataclass(frozen=True)
class OccupationProfile:
    """What a synthetic vacancy for one occupation asks."""

    uri: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    hours: float
    licence: bool


_NO_PROFILE = OccupationProfile("", (), (), DEFAULT_HOURS, False)


def occupation_profiles(
    uris: list[str], vacancy_stats: pd.DataFrame, *, default_hours: float = DEFAULT_HOURS
) -> dict[str, OccupationProfile]:
    """Profiles of ``uris``; ``vacancy_stats`` has ``occupation_uri``, ``hours_per_week`` and
    ``driving_licence_required`` of the store's vacancies."""
    links = read_table("occupation_skills")
    links = links.loc[links["occupation_uri"].isin(uris)]
    skills = links.groupby(["occupation_uri", "relation"])["skill_uri"].agg(tuple)
    stats = vacancy_stats.loc[vacancy_stats["occupation_uri"].isin(uris)]
    licence = stats["driving_licence_required"].astype("boolean").fillna(False).astype(bool)
    grouped = stats.assign(licence=licence).groupby("occupation_uri")
    hours, needs = grouped["hours_per_week"].median(), grouped["licence"].mean() > 0.5
    return {
        uri: OccupationProfile(
            uri=uri,
            required=tuple(sorted(skills.get((uri, "essential"), ()))),
            optional=tuple(sorted(skills.get((uri, "optional"), ()))),
            hours=float(hours.get(uri, default_hours)),
            licence=bool(needs.get(uri, False)),
        )
        for uri in uris
    }


def distances_km(pool: CandidateArrays, lat: float, lon: float) -> np.ndarray:
    """Great-circle distance from every candidate to one point (chord-form haversine)."""
    point = unit_vectors(np.array([lat]), np.array([lon]))[:, 0].astype(np.float64)
    chord = np.sqrt(((pool.xyz.astype(np.float64) - point[:, None]) ** 2).sum(axis=0))
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0)))


def within_reach(
    pool: CandidateArrays, *, lat: float, lon: float, municipality_code: str, radius_km: float
) -> np.ndarray:
    """Positions of the active candidates within reach of a place (rules in the module doc)."""
    dist = distances_km(pool, lat, lon)
    travel = np.where(np.isnan(pool.max_travel_km), np.inf, pool.max_travel_km)
    codes = pool.municipality_codes
    own = (
        pool.municipality == codes.index(municipality_code)
        if municipality_code in codes
        else np.zeros(len(pool), dtype=bool)
    )
    keep = pool.active & (dist <= radius_km) & (dist <= travel) & (own | pool.consent_regional)
    return np.flatnonzero(keep)


LOCATION_FEATURES = (
    "distance_km",
    "within_travel",
    "mobility",
    "beyond_travel_km",
    "distance_over_5km",
    "distance_over_10km",
    "distance_over_15km",
    "distance_no_licence",
)
"""The features that depend on the workplace (the rest depend on occupation, section, hours)."""
LOCATION_COLUMNS = np.array([COLUMN[name] for name in LOCATION_FEATURES])


def synthetic_vacancies(
    demands: pd.DataFrame, profiles: Mapping[str, OccupationProfile], *, as_of: dt.date
) -> pd.DataFrame:
    """``demands`` (``occupation_uri``, ``sbi_section``, ``lat``, ``lon``) as vacancy rows."""
    p = [profiles.get(u, _NO_PROFILE) for u in demands["occupation_uri"]]
    return pd.DataFrame({
        "vacancy_id": [f"synthetic-{i}" for i in range(len(demands))],
        "required": [x.required for x in p], "optional": [x.optional for x in p],
        "occupation_uri": demands["occupation_uri"].tolist(),
        "lat": demands["lat"].to_numpy(np.float64), "lon": demands["lon"].to_numpy(np.float64),
        "hours_per_week": [x.hours for x in p], "education_min_rank": [-1] * len(p),
        "languages_required": [()] * len(p), "driving_licence_required": [x.licence for x in p],
        "sbi_section": demands["sbi_section"].tolist(), "start": [as_of] * len(p),
    })  # fmt: skip


def _site_travel(
    pool: CandidateArrays, sites: pd.DataFrame, *, as_of: dt.date, radius_km: float
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per site: the candidates within reach and their LOCATION_FEATURES (reach × 8)."""
    probes = sites.assign(occupation_uri=None, sbi_section="")
    vacancies = build_vacancy_arrays(synthetic_vacancies(probes, {}, as_of=as_of), pool=pool)
    out = []
    for i, (lat, lon, municipality) in enumerate(
        zip(sites["lat"], sites["lon"], sites["municipality_code"], strict=True)
    ):
        reach = within_reach(pool, lat=float(lat), lon=float(lon),
                             municipality_code=str(municipality), radius_km=radius_km)  # fmt: skip
        travel = pairwise_features(vacancies.row(i), pool)[:, LOCATION_COLUMNS]
        out.append((reach, travel[reach]))
    return out


@dataclass(frozen=True)
class DemandFit:
    """Per demand row: suitable candidates (pool rows) and fit; per site: candidates in reach."""

    suitable: list[np.ndarray]
    fit: np.ndarray
    nearby: np.ndarray

    @property
    def counts(self) -> np.ndarray:
        """Suitable candidates per demand row."""
        return np.array([len(rows) for rows in self.suitable], dtype=np.int64)


def _assess(
    features: np.ndarray, reach: np.ndarray, scorer: Scorer, placed: np.ndarray, threshold: float
) -> tuple[np.ndarray, float]:
    """Suitable pool rows among ``reach`` and the mean p_durable of the TOP_K best."""
    none = np.zeros(len(reach), dtype=bool)
    masks = filter_masks(features.T, inactive=none, placed=placed[reach], proposed=none)
    keep = np.logical_and.reduce(list(masks.values()))
    p = np.asarray(scorer.score(features[keep]).p_durable, dtype=np.float64)
    best = np.sort(p)[::-1][:TOP_K]
    return reach[keep][p >= threshold], float(best.sum() / TOP_K)


def assess_demands(
    pool: CandidateArrays,
    scorer: Scorer,
    sites: pd.DataFrame,
    demands: pd.DataFrame,
    profiles: Mapping[str, OccupationProfile],
    *,
    as_of: dt.date,
    options: PotentialOptions | None = None,
    placed: np.ndarray | None = None,
) -> DemandFit:
    """Suitable candidates and fit per demand row, and candidates within reach per site.

    ``sites`` has ``lat``, ``lon``, ``municipality_code`` (one row per distinct place);
    ``demands`` has ``site`` (row position in ``sites``), ``occupation_uri`` and
    ``sbi_section`` (one row per distinct synthetic vacancy); ``placed`` marks pool rows with a
    running placement. Features are computed once per (occupation, section) on the whole pool
    and once per site for LOCATION_FEATURES; a demand takes the rows within reach of its site
    and that site's location columns.
    """
    options = options or PotentialOptions()
    placed = np.zeros(len(pool), dtype=bool) if placed is None else placed
    empty = np.zeros(0, dtype=np.int64)
    if len(pool) == 0:
        return DemandFit([empty] * len(demands), np.zeros(len(demands)), np.zeros(len(sites), int))
    travel = _site_travel(pool, sites, as_of=as_of, radius_km=options.radius_km)
    kinds = demands[["occupation_uri", "sbi_section"]].drop_duplicates().reset_index(drop=True)
    placed_at = kinds.assign(lat=float(sites["lat"].iloc[0]), lon=float(sites["lon"].iloc[0]))
    vacancies = build_vacancy_arrays(
        synthetic_vacancies(placed_at, profiles, as_of=as_of), pool=pool
    )
    kind_of = demands.merge(kinds.reset_index(), on=["occupation_uri", "sbi_section"], how="left")
    suitable, fit = [empty] * len(demands), np.zeros(len(demands))
    for k, rows in pd.Series(np.arange(len(demands))).groupby(kind_of["index"].to_numpy()):
        base = pairwise_features(vacancies.row(int(k)), pool)
        for j in rows.to_numpy():
            reach, site_travel = travel[int(demands["site"].iloc[j])]
            if len(reach) == 0:
                continue
            features = base[reach]
            features[:, LOCATION_COLUMNS] = site_travel
            suitable[j], fit[j] = _assess(features, reach, scorer, placed, options.fit_threshold)
    nearby = np.array([len(reach) for reach, _ in travel], dtype=np.int64)
    return DemandFit(suitable, fit, nearby)

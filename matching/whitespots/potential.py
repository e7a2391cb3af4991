"""How many job seekers within reach fit an occupation at a place: shortlist scoring, summed up.

Each (occupation, place, SBI section) becomes a *synthetic vacancy*: it requires the ESCO
essential skills of the occupation and lists its optional skills (a real vacancy names a subset
of them; coverage is a mean over the listed skills, so over random subsets its expectation is
the coverage of the whole list), asks the median weekly hours of the store's vacancies for
that occupation (else ``default_hours``), a driving licence when most of them do, no language
or education minimum, and starts on ``as_of``. It is scored against the candidate pool with the
same features and scorer as a shortlist.

A candidate *fits* when the scorer's ``p_durable`` is at least ``fit_threshold``; they are *within
reach* of a place when the distance is at most ``radius_km`` and at most their own
``max_travel_km`` (when known), and they live in the place's municipality or consented to
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

DEFAULT_RADIUS_KM = 10.0
DEFAULT_FIT_THRESHOLD = 0.35
"""Least ``p_durable`` (the scorer's probability of a placement lasting 6 months + 1 day when
proposed) for a candidate to count as fitting."""
DEFAULT_HOURS = 32.0
"""Weekly hours of a synthetic vacancy when the store has no vacancy for the occupation."""


@dataclass(frozen=True)
class PotentialOptions:
    """How fitting candidates are counted."""

    radius_km: float = DEFAULT_RADIUS_KM
    fit_threshold: float = DEFAULT_FIT_THRESHOLD
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
    """Per site: the candidates within reach and their LOCATION_FEATURES (reach × 7)."""
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


def fitting_counts(
    pool: CandidateArrays,
    scorer: Scorer,
    sites: pd.DataFrame,
    demands: pd.DataFrame,
    profiles: Mapping[str, OccupationProfile],
    *,
    as_of: dt.date,
    options: PotentialOptions | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Fitting candidates within reach per demand row, and candidates within reach per site.

    ``sites`` has ``lat``, ``lon``, ``municipality_code`` (one row per distinct place);
    ``demands`` has ``site`` (row position in ``sites``), ``occupation_uri`` and
    ``sbi_section`` (one row per distinct synthetic vacancy). Features are computed once per
    (occupation, section) on the whole pool and once per site for LOCATION_FEATURES; a demand
    takes the rows within reach of its site and that site's location columns.
    """
    options = options or PotentialOptions()
    if len(pool) == 0:
        return np.zeros(len(demands), dtype=np.int64), np.zeros(len(sites), dtype=np.int64)
    travel = _site_travel(pool, sites, as_of=as_of, radius_km=options.radius_km)
    kinds = demands[["occupation_uri", "sbi_section"]].drop_duplicates().reset_index(drop=True)
    placed = kinds.assign(lat=float(sites["lat"].iloc[0]), lon=float(sites["lon"].iloc[0]))
    vacancies = build_vacancy_arrays(synthetic_vacancies(placed, profiles, as_of=as_of), pool=pool)
    kind_of = demands.merge(kinds.reset_index(), on=["occupation_uri", "sbi_section"], how="left")
    counts = np.zeros(len(demands), dtype=np.int64)
    for k, rows in pd.Series(np.arange(len(demands))).groupby(kind_of["index"].to_numpy()):
        base = pairwise_features(vacancies.row(int(k)), pool)
        for j in rows.to_numpy():
            reach, site_travel = travel[int(demands["site"].iloc[j])]
            if len(reach) == 0:
                continue
            features = base[reach]
            features[:, LOCATION_COLUMNS] = site_travel
            p = scorer.score(features).p_durable
            counts[j] = int(np.count_nonzero(p >= options.fit_threshold))
    return counts, np.array([len(reach) for reach, _ in travel], dtype=np.int64)

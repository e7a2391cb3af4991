"""The generative model of placement outcomes: who gets hired, and whose placement lasts.

``P(durable | placed)`` is a logistic function of competence fit, experience in the occupation,
distance and mobility, hours fit, readiness (ladder step), sector preference and two unobserved
factors (one per candidate, one per employer). Gender, age, origin and target group are not in
it. Coefficients and their meaning are documented in ``docs/demo-region.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.demo.employers import Employers
from matching.demo.people import Candidates
from matching.demo.sampling import expand_ranges
from matching.demo.sources import Geography, Taxonomy
from matching.demo.vacancies import Vacancies

EARTH_RADIUS_KM = 6371.0
EXPERIENCE_CAP_YEARS = 5.0


@dataclass(frozen=True)
class DurableModel:
    """Coefficients of the true logit of a durable placement (6 months + 1 day)."""

    intercept: float = -0.6
    competence_fit: float = 2.0  # × (share of required skills the candidate has − 0.5)
    optional_fit: float = 0.5  # × (share of optional skills − 0.3)
    experience: float = 1.2  # × years in the occupation (same ISCO group: half) / 5, capped
    distance: float = 0.3  # − × km / 10, halved with a driving licence
    beyond_reach: float = 0.8  # − × km beyond the candidate's own travel reach / 10
    hours_short: float = 0.8  # − × hours the vacancy asks beyond availability / 8
    hours_long: float = 0.25  # − × hours of availability left unused / 16
    readiness: float = 0.35  # × (ladder step − 4)
    sector_preference: float = 0.6  # + when the employer's sector is one the candidate prefers
    candidate_unobserved: float = 0.8  # × latent N(0, 1) of the candidate
    employer_unobserved: float = 0.5  # × latent N(0, 1) of the employer


@dataclass(frozen=True)
class HireModel:
    """Coefficients of the employer's decision on a proposed candidate (logit)."""

    intercept: float = -0.9
    competence_fit: float = 1.0
    has_occupation: float = 0.8
    readiness: float = 0.3
    distance: float = 0.1
    candidate_unobserved: float = 0.4


DURABLE = DurableModel()
HIRE = HireModel()


@dataclass(frozen=True)
class PairFeatures:
    """The true features of candidate–vacancy pairs (elementwise arrays)."""

    coverage: np.ndarray
    optional_coverage: np.ndarray
    experience_years: np.ndarray
    has_occupation: np.ndarray
    distance_km: np.ndarray


def distance_km(geo: Geography, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between PC4 centroids ``a`` and ``b`` (indices into geo)."""
    lat1, lat2 = np.radians(geo.lat[a]), np.radians(geo.lat[b])
    dlat, dlon = lat2 - lat1, np.radians(geo.lon[b] - geo.lon[a])
    h = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def _coverage(
    people: Candidates, n_skill: int, c: np.ndarray, start: np.ndarray, skill: np.ndarray,
    v: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """Share of each vacancy's listed skills the paired candidate truly has (1 when none)."""
    owner_of = np.repeat(np.arange(people.size, dtype=np.int64), np.diff(people.skill_start))
    held = owner_of * n_skill + people.skill
    idx, pair = expand_ranges(start[v], start[v + 1])
    keys = c[pair].astype(np.int64) * n_skill + skill[idx]
    pos = np.minimum(np.searchsorted(held, keys), max(len(held) - 1, 0))
    hit = held[pos] == keys if len(held) else np.zeros(len(keys), bool)
    listed = np.diff(start)[v]
    held_count = np.bincount(pair[hit], minlength=len(v))
    return np.where(listed > 0, held_count / np.maximum(listed, 1), 1.0)


def pair_features(
    geo: Geography, tax: Taxonomy, people: Candidates, jobs: Vacancies,
    c: np.ndarray, v: np.ndarray,
) -> PairFeatures:  # fmt: skip
    """True features of the pairs ``(c[i], v[i])``."""
    n_skill = len(tax.skill_uri)
    occ = jobs.occ[v]
    history = people.occ[c]
    exact = history == occ[:, None]
    group = (history >= 0) & (tax.occ_isco[np.maximum(history, 0)] == tax.occ_isco[occ][:, None])
    years = (people.years[c] * np.where(exact, 1.0, np.where(group, 0.5, 0.0))).sum(axis=1)
    return PairFeatures(
        coverage=_coverage(people, n_skill, c, jobs.req_start, jobs.req_skill, v),
        optional_coverage=_coverage(people, n_skill, c, jobs.opt_start, jobs.opt_skill, v),
        experience_years=np.minimum(years, EXPERIENCE_CAP_YEARS),
        has_occupation=exact.any(axis=1),
        distance_km=distance_km(geo, people.pc4[c], jobs.pc4[v]),
    )


def durable_logit(
    f: PairFeatures, people: Candidates, jobs: Vacancies, firms: Employers,
    c: np.ndarray, v: np.ndarray, m: DurableModel = DURABLE,
) -> np.ndarray:  # fmt: skip
    """The true logit of a durable placement for the pairs ``(c[i], v[i])``."""
    e = jobs.employer[v]
    licence = people.licence[c]
    short = np.maximum(jobs.hours[v] - people.hours[c], 0)
    long = np.maximum(people.hours[c] - jobs.hours[v], 0)
    prefers = (people.pref[c] == firms.sector[e][:, None]).any(axis=1)
    logit = (
        m.intercept
        + m.competence_fit * (f.coverage - 0.5)
        + m.optional_fit * (f.optional_coverage - 0.3)
        + m.experience * f.experience_years / EXPERIENCE_CAP_YEARS
        - m.distance * f.distance_km / 10 * np.where(licence, 0.5, 1.0)
        - m.beyond_reach * np.maximum(f.distance_km - people.reach_km[c], 0) / 10
        - m.hours_short * short / 8
        - m.hours_long * long / 16
        + m.readiness * (people.ladder[c] - 4)
        + m.sector_preference * prefers
        + m.candidate_unobserved * people.unobserved[c]
        + m.employer_unobserved * firms.unobserved[e]
    )
    return np.asarray(logit)


def hire_logit(
    f: PairFeatures, people: Candidates, c: np.ndarray, m: HireModel = HIRE
) -> np.ndarray:
    """The employer's (noise-free) inclination to hire the proposed candidate."""
    logit = (
        m.intercept
        + m.competence_fit * (f.coverage - 0.5)
        + m.has_occupation * f.has_occupation
        + m.readiness * (people.ladder[c] - 4)
        - m.distance * f.distance_km / 10
        + m.candidate_unobserved * people.unobserved[c]
    )
    return np.asarray(logit)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function."""
    return np.asarray(1.0 / (1.0 + np.exp(-x)))

"""The generative model of placement outcomes: who gets hired, and whose placement lasts.

``P(durable | placed)`` is a logistic function of competence fit, experience in the occupation,
distance and mobility, hours fit, readiness (ladder step), sector preference and two unobserved
factors (one per candidate, one per employer). Gender, age, origin and target group are not in
it. Coefficients and their meaning are documented in ``docs/demo-region.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from demo.employers import Employers
from demo.mechanisms import DurableModel, HireModel
from demo.people import Candidates
from demo.sampling import expand_ranges
from demo.sources import Geography, Taxonomy
from demo.vacancies import Vacancies

EARTH_RADIUS_KM = 6371.0
EDUCATION_ORDER = ("none", "vo", "mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo")
# Occupations whose work is mostly with customers or colleagues in Dutch (ISCO major groups):
# where a vacancy states no language, such a job still needs Dutch.
DUTCH_MAJOR_GROUPS = frozenset({"4", "5"})
LICENCE_GROUPS = frozenset({"8322", "8332", "5322", "7126", "7115", "6113"})


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
    dutch_needed: np.ndarray  # the job needs Dutch, stated or not
    licence_needed: np.ndarray  # the job needs a driving licence, stated or not


def distance_km(geo: Geography, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle distance in km between PC4 centroids ``a`` and ``b`` (indices into geo)."""
    lat1, lat2 = np.radians(geo.lat[a]), np.radians(geo.lat[b])
    dlat, dlon = lat2 - lat1, np.radians(geo.lon[b] - geo.lon[a])
    h = np.sin(dlat / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))))


def coverage(
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


def hidden_needs(tax: Taxonomy, jobs: Vacancies, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whether the jobs truly need Dutch and a licence: as stated, or implied by the occupation
    where the vacancy states nothing."""
    isco = tax.occ_isco[jobs.occ[v]]
    languages, licence = jobs.languages[v].astype(str), jobs.licence_required[v].astype(str)
    major = np.array([group[:1] for group in isco.tolist()], dtype=object)
    implied_dutch = np.isin(major, list(DUTCH_MAJOR_GROUPS))
    dutch = np.char.find(languages, "nl") >= 0
    dutch = np.where(languages == "", implied_dutch, dutch)
    implied_licence = np.isin(isco, list(LICENCE_GROUPS))
    return dutch, np.where(licence == "", implied_licence, licence == "true")


def pair_features(
    geo: Geography, tax: Taxonomy, people: Candidates, jobs: Vacancies,
    c: np.ndarray, v: np.ndarray, m: DurableModel = DURABLE,
) -> PairFeatures:  # fmt: skip
    """True features of the pairs ``(c[i], v[i])``; ``m`` weighs related experience."""
    n_skill = len(tax.skill_uri)
    occ = jobs.occ[v]
    history = people.occ[c]
    exact = history == occ[:, None]
    held = np.maximum(history, 0)
    group = (history >= 0) & (tax.occ_isco[held] == tax.occ_isco[occ][:, None])
    minor = (history >= 0) & (tax.occ_minor[held] == tax.occ_minor[occ][:, None])
    weight = np.where(
        exact,
        1.0,
        np.where(group, m.group_experience, np.where(minor, m.minor_group_experience, 0.0)),
    )
    years = (people.years[c] * weight).sum(axis=1)
    dutch, licence = hidden_needs(tax, jobs, v)
    return PairFeatures(
        coverage=coverage(people, n_skill, c, jobs.req_start, jobs.req_skill, v),
        optional_coverage=coverage(people, n_skill, c, jobs.opt_start, jobs.opt_skill, v),
        experience_years=np.minimum(years, m.experience_cap_years),
        has_occupation=exact.any(axis=1),
        distance_km=distance_km(geo, people.pc4[c], jobs.pc4[v]),
        dutch_needed=dutch,
        licence_needed=licence,
    )


def _education_below(
    people: Candidates, jobs: Vacancies, c: np.ndarray, v: np.ndarray
) -> np.ndarray:
    """The candidate's true education is below the vacancy's stated minimum (none stated: no)."""
    own = _education_rank(people.education)[c]
    least = _education_rank(jobs.education_min)[v]
    return np.asarray((least >= 0) & (own < least))


def _education_rank(levels: np.ndarray) -> np.ndarray:
    """Position of each level in ``EDUCATION_ORDER``; -1 for empty or unknown."""
    values, inverse = np.unique(levels.astype(str), return_inverse=True)
    rank = {level: i for i, level in enumerate(EDUCATION_ORDER)}
    return np.array([rank.get(x, -1) for x in values.tolist()], dtype=np.int64)[inverse]


def _family_terms(
    f: PairFeatures, people: Candidates, jobs: Vacancies, firms: Employers,
    c: np.ndarray, v: np.ndarray, m: DurableModel,
) -> np.ndarray:  # fmt: skip
    """The terms the family adds; all zero with today's coefficients."""
    speaks_dutch = np.char.find(people.languages[c].astype(str), "nl") >= 0
    employees = firms.employees[jobs.employer[v]].astype(float)
    return np.asarray(
        -m.low_readiness * (people.ladder[c] <= 2)
        - m.language_missing * (f.dutch_needed & ~speaks_dutch)
        - m.licence_missing * (f.licence_needed & ~people.licence[c])
        - m.education_below * _education_below(people, jobs, c, v)
        + m.employer_size * np.log(employees / 3.0)
    )


def durable_logit(
    f: PairFeatures, people: Candidates, jobs: Vacancies, firms: Employers,
    c: np.ndarray, v: np.ndarray, m: DurableModel = DURABLE, *, with_candidate: bool = True,
) -> np.ndarray:  # fmt: skip
    """The true logit of a durable placement for the pairs ``(c[i], v[i])``.

    ``with_candidate=False`` leaves out the unobserved candidate term: the attainable ceiling
    of anyone who sees only what the files could tell.
    """
    e = jobs.employer[v]
    licence = people.licence[c]
    short = np.maximum(jobs.hours[v] - people.hours[c], 0)
    long = np.maximum(people.hours[c] - jobs.hours[v], 0)
    prefers = (people.pref[c] == firms.sector[e][:, None]).any(axis=1)
    km = np.maximum(f.distance_km - m.distance_free_km, 0.0)
    logit = (
        m.intercept
        + m.competence_fit * (f.coverage - 0.5)
        + m.optional_fit * (f.optional_coverage - 0.3)
        + m.experience * f.experience_years / m.experience_cap_years
        - m.distance * km / 10 * np.where(licence, m.licence_distance, 1.0)
        - m.beyond_reach * np.maximum(f.distance_km - people.reach_km[c], 0) / 10
        - m.hours_short * short / 8
        - m.hours_long * long / 16
        + m.readiness * (people.ladder[c] - 4)
        + m.sector_preference * prefers
        + m.candidate_unobserved * people.unobserved[c] * with_candidate
        + m.employer_unobserved * firms.unobserved[e]
    )
    # Today's coefficients make every family term exactly zero: the demo stays bit for bit.
    return np.asarray(logit + _family_terms(f, people, jobs, firms, c, v, m))


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

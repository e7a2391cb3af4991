"""Pairwise features of a vacancy against a pool of candidates: vectorised, no loop per candidate.

Sparse parts gather only the matrix columns a vacancy touches (its skills, occupation, groups)
from CSC copies in the pool, so a feature costs time in proportion to the candidates that have
those skills, not to all non-zeros of the pool. Output is feature-major in memory: the N × F
array returned is a transposed view of an F × N buffer (columns contiguous).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import sparse

from features.evidence import inferred_shares
from features.pool import EARTH_RADIUS_KM, CandidateArrays, VacancyArrays
from features.skills import (
    bit_chunks,
    bit_words,
    column_rows,
    mark,
    own_masks,
    popcount,
    reached_masks,
)

FEATURE_NAMES: tuple[str, ...] = (
    "required_coverage",
    "optional_coverage",
    "same_occupation",
    "same_isco4",
    "same_isco3",
    "essential_share",
    "sector_match",
    "distance_km",
    "within_travel",
    "mobility",
    "hours_fit",
    "hours_floor",
    "readiness",
    "education_met",
    "language_met",
    "licence_met",
    "available_by_start",
    "required_experience",
    "required_related",
    "same_family",
    "beyond_travel_km",
    "distance_over_5km",
    "distance_over_15km",
    "distance_no_licence",
    "hours_short",
    "hours_excess",
    "distance_over_10km",
    "required_recorded",
)
"""The feature whitelist, in column order; definitions in ``FEATURE_DEFINITIONS``."""

FEATURE_DEFINITIONS: dict[str, str] = {
    "required_coverage": "share of the vacancy's required skills the candidate has; a close "
    "skill (same ESCO skill group or an ESCO skill relation) counts half; 1 when none listed",
    "optional_coverage": "the same for the optional skills; 1 when none listed",
    "same_occupation": "1 when the candidate has the vacancy's ESCO occupation in their history; "
    "when the vacancy's title is a broad one normalised to an ISCO group, GROUP_CREDIT (0.5) "
    "when one of their occupations lies in that group",
    "same_isco4": "1 when one of their occupations is in the vacancy's ISCO unit group (4 digits)",
    "same_isco3": "1 when one of their occupations is in the vacancy's ISCO minor group (3 digits)",
    "essential_share": "share of the essential skills of the vacancy's occupation that are "
    "essential to any of the candidate's occupations (0 when the vacancy has no occupation)",
    "sector_match": "1 when the employer's SBI section is among the candidate's sector "
    "preferences, 0 when it is not, 0.5 when either is unknown",
    "distance_km": "great-circle distance between residence and workplace (PC4 centroid, "
    "else municipality centroid)",
    "within_travel": "1 when the distance is within the candidate's max travel, 0 beyond, "
    "0.5 when max travel is unknown",
    "mobility": "exp(-distance / reach): reach 25 km with a driving licence, 10 km without, "
    "15 km when unknown",
    "hours_fit": "share of the vacancy's weekly hours the candidate is available for (≤ 1)",
    "hours_floor": "1 when the hours the candidate could work here reach 16 h/week (the floor "
    "of positive outflow) or the vacancy itself asks for less",
    "readiness": "participation-ladder step scaled to [0, 1]: (step - 1) / 5",
    "education_met": "1 when the education level reaches the vacancy's minimum (or none is "
    "set), 0 below, 0.5 when the candidate's level is unknown",
    "language_met": "1 when the candidate has every required language (or none is required), "
    "0 when not, 0.5 when the candidate's languages are unknown",
    "licence_met": "1 when no licence is required or the candidate has one, 0 when they have "
    "none, 0.5 when unknown",
    "available_by_start": "1 when the candidate is available by the vacancy's start (or the "
    "date is unknown), else 0",
    "required_experience": "share of the vacancy's required skills not recorded but essential "
    "to an occupation in the candidate's history (likely present: from experience); 0 when "
    "none listed",
    "required_related": "share of the required skills neither recorded nor essential, but "
    "optional to an occupation in the candidate's history (possibly present); 0 when none",
    "same_family": "1 when one of their occupations is in the ESCO family of the vacancy's "
    "occupation (the top of its chain of broader ESCO occupations)",
    "beyond_travel_km": "km the workplace lies beyond the candidate's max travel (0 within it "
    "or when unknown)",
    "distance_over_5km": "km beyond the first 5 (0 within 5 km): with distance_km and "
    "distance_over_15km a piecewise-linear distance effect whose shape the data choose",
    "distance_over_15km": "km beyond the first 15 (0 within 15 km)",
    "distance_no_licence": "the distance when the candidate has no driving licence (0 with "
    "one, half the distance when unknown)",
    "hours_short": "weekly hours the vacancy asks beyond the candidate's availability",
    "hours_excess": "weekly hours of availability the vacancy leaves unused",
    "distance_over_10km": "km beyond the first 10 (0 within 10 km)",
    "required_recorded": "share of the vacancy's required skills recorded exactly in the "
    "candidate's file (required_coverage without the half credit for close skills); 0 when "
    "none listed",
}
GROUP_CREDIT = 0.5
"""Occupation credit of a candidate within a group-level vacancy's ISCO group: the group is
a set of occupations, and theirs is one of them, not necessarily the one the employer means."""
COLUMN = {name: i for i, name in enumerate(FEATURE_NAMES)}
N_FEATURES = len(FEATURE_NAMES)

HOURS_FLOOR = 16.0
REACH_KM = {1: 25.0, 0: 10.0, -1: 15.0}
"""Mobility reach by driving licence (1 yes, 0 no, -1 unknown)."""
_INV_REACH = np.array([1 / REACH_KM[k] for k in (-1, 0, 1)], dtype=np.float32)  # by licence + 1
_NO_LICENCE = np.array([0.5, 1.0, 0.0], dtype=np.float32)  # by licence + 1
_LICENCE_MET = np.array([0.5, 0.0, 1.0], dtype=np.float32)  # by licence + 1
_HALF = np.float32(0.5)


def _half_where(values: np.ndarray, unknown: np.ndarray) -> None:
    """``values[unknown] = 0.5`` for values that are 0 wherever ``unknown`` holds.

    An add of 0.5 × mask instead of a masked store: with unknowns scattered through the pool
    the store branches per element and costs about five times as much (numpy 2.4, 100k).
    """
    values += np.multiply(unknown, _HALF, dtype=np.float32)


def _has_any(matrix: sparse.csc_matrix, column: int, out: np.ndarray) -> None:
    """out[i] = 1 where candidate i has ``column`` (out starts at 0); no-op for -1."""
    out[:] = 0
    if column >= 0:
        out[matrix.indices[matrix.indptr[column] : matrix.indptr[column + 1]]] = 1


def coverage(
    pool: CandidateArrays,
    skills: np.ndarray,
    out: np.ndarray,
    *,
    exact_out: np.ndarray | None = None,
) -> None:
    """Partial-credit coverage of the skill columns ``skills`` for every candidate into ``out``;
    the share held exactly (no partial credit) into ``exact_out`` when given (0 when none).

    Per chunk of skills two bit words per candidate (``features.skills``): bit j of ``exact``
    when they hold ``chunk[j]``, of ``near`` when they hold it or a close skill.
    """
    k, n = len(skills), len(pool)
    if k == 0:
        out[:] = 1
        if exact_out is not None:
            exact_out[:] = 0
        return
    space = pool.skill_space
    exact, near = [], []
    for chunk in bit_chunks(skills):
        held = bit_words(n, chunk)
        mark(held, pool.skills_csc, own_masks(chunk))
        close = held.copy()
        mark(close, pool.skills_csc, reached_masks(space.related, chunk))
        mark(close, pool.skill_groups, reached_masks(space.groups, chunk))
        exact.append(held)
        near.append(close)
    exact_count = popcount(exact)
    if exact_out is not None:
        np.multiply(exact_count, np.float32(1 / k), out=exact_out, casting="unsafe")
    p = np.float32(space.partial_credit)
    np.multiply(popcount(near), p / k, out=out, casting="unsafe")
    out += exact_count.astype(np.float32) * ((1 - p) / k)


def _skill_features(vacancy: VacancyArrays, pool: CandidateArrays, out: np.ndarray) -> None:
    """Coverage, occupation and essential-skill features into the rows of ``out`` (F × N)."""
    req, opt, ess = (
        m.indices[m.indptr[0] : m.indptr[1]]
        for m in (vacancy.required, vacancy.optional, vacancy.essential)
    )
    coverage(
        pool,
        req.astype(np.int64),
        out[COLUMN["required_coverage"]],
        exact_out=out[COLUMN["required_recorded"]],
    )
    coverage(pool, opt.astype(np.int64), out[COLUMN["optional_coverage"]])
    inferred_shares(
        pool,
        req.astype(np.int64),
        out[COLUMN["required_experience"]],
        out[COLUMN["required_related"]],
    )
    _has_any(pool.family, int(vacancy.family[0]), out[COLUMN["same_family"]])
    _has_any(pool.occupations_csc, int(vacancy.occupation[0]), out[COLUMN["same_occupation"]])
    _has_any(pool.isco4, int(vacancy.isco4[0]), out[COLUMN["same_isco4"]])
    _has_any(pool.isco3, int(vacancy.isco3[0]), out[COLUMN["same_isco3"]])
    if vacancy.group_level[0]:
        within = "same_isco4" if vacancy.isco4[0] >= 0 else "same_isco3"
        np.multiply(
            out[COLUMN[within]], np.float32(GROUP_CREDIT), out=out[COLUMN["same_occupation"]]
        )
    share = out[COLUMN["essential_share"]]
    if len(ess) == 0:
        share[:] = 0
        return
    counts = np.bincount(column_rows(pool.essential, ess), minlength=len(pool))
    np.multiply(counts, np.float32(1 / len(ess)), out=share, casting="unsafe")


def _travel_features(vacancy: VacancyArrays, pool: CandidateArrays, out: np.ndarray) -> None:
    """Distance (chord-form haversine), within max travel and mobility into ``out``."""
    dist = out[COLUMN["distance_km"]]
    tmp = np.empty_like(dist)
    np.subtract(pool.xyz[0], vacancy.xyz[0, 0], out=dist)
    np.square(dist, out=dist)
    for axis in (1, 2):
        np.subtract(pool.xyz[axis], vacancy.xyz[axis, 0], out=tmp)
        np.square(tmp, out=tmp)
        dist += tmp
    np.sqrt(dist, out=dist)
    dist *= np.float32(0.5)
    np.minimum(dist, np.float32(1), out=dist)
    np.arcsin(dist, out=dist)
    dist *= np.float32(2 * EARTH_RADIUS_KM)
    within = out[COLUMN["within_travel"]]
    np.less_equal(dist, pool.max_travel_km, out=within, casting="unsafe")
    _half_where(within, np.isnan(pool.max_travel_km))  # NaN compares False: 0 there
    mobility = out[COLUMN["mobility"]]
    np.multiply(dist, _INV_REACH.take(pool.driving_licence + 1), out=mobility)
    np.negative(mobility, out=mobility)
    np.exp(mobility, out=mobility)
    _distance_shape(dist, pool, out)


def _distance_shape(dist: np.ndarray, pool: CandidateArrays, out: np.ndarray) -> None:
    """Hinges of the distance, the km beyond own reach and the distance without a licence."""
    beyond = out[COLUMN["beyond_travel_km"]]
    np.subtract(dist, pool.max_travel_km, out=beyond)
    np.fmax(beyond, np.float32(0), out=beyond)  # fmax drops NaN: unknown max travel → 0
    for name, knot in (
        ("distance_over_5km", 5.0),
        ("distance_over_10km", 10.0),
        ("distance_over_15km", 15.0),
    ):
        np.subtract(dist, np.float32(knot), out=out[COLUMN[name]])
        np.maximum(out[COLUMN[name]], np.float32(0), out=out[COLUMN[name]])
    np.multiply(
        dist, _NO_LICENCE.take(pool.driving_licence + 1), out=out[COLUMN["distance_no_licence"]]
    )


def _person_features(vacancy: VacancyArrays, pool: CandidateArrays, out: np.ndarray) -> None:
    """Sector, hours, readiness, education, language, licence and availability into ``out``."""
    section = int(vacancy.sbi_section[0])
    sector = out[COLUMN["sector_match"]]
    if section < 0:
        sector[:] = 0.5
    else:
        np.bitwise_and(
            pool.sector_preferences, np.uint32(1 << section), out=sector, casting="unsafe"
        )
        np.minimum(sector, 1, out=sector)
        _half_where(sector, pool.sector_preferences == 0)
    hours = np.float32(vacancy.hours[0])
    zero = np.float32(0)
    np.subtract(hours, pool.hours_available, out=out[COLUMN["hours_short"]])
    np.maximum(out[COLUMN["hours_short"]], zero, out=out[COLUMN["hours_short"]])
    np.subtract(pool.hours_available, hours, out=out[COLUMN["hours_excess"]])
    np.maximum(out[COLUMN["hours_excess"]], zero, out=out[COLUMN["hours_excess"]])
    fit = out[COLUMN["hours_fit"]]
    np.minimum(pool.hours_available, hours, out=fit)
    np.greater_equal(
        fit, min(HOURS_FLOOR, float(hours)), out=out[COLUMN["hours_floor"]], casting="unsafe"
    )
    fit *= np.float32(1 / hours)
    readiness = out[COLUMN["readiness"]]
    np.subtract(pool.ladder_step, 1, out=readiness, casting="unsafe")
    readiness *= np.float32(0.2)
    _requirement_features(vacancy, pool, out)


def _requirement_features(vacancy: VacancyArrays, pool: CandidateArrays, out: np.ndarray) -> None:
    """Education, language, licence and availability into ``out``."""
    education = out[COLUMN["education_met"]]
    minimum = int(vacancy.education_min[0])
    if minimum < 0:
        education[:] = 1
    else:
        np.greater_equal(pool.education_rank, minimum, out=education, casting="unsafe")
        _half_where(education, pool.education_rank < 0)  # minimum ≥ 0 here: 0 there
    language = out[COLUMN["language_met"]]
    required = vacancy.languages_required[0]
    if required == 0:
        language[:] = 1
    else:
        np.equal(pool.languages & required, required, out=language, casting="unsafe")
        _half_where(language, pool.languages == 0)  # required ≠ 0 here: 0 there
    licence = out[COLUMN["licence_met"]]
    if vacancy.licence_required[0]:
        np.take(_LICENCE_MET, pool.driving_licence + 1, out=licence)
    else:
        licence[:] = 1
    np.less_equal(
        pool.available_from,
        vacancy.start_day[0],
        out=out[COLUMN["available_by_start"]],
        casting="unsafe",
    )


def _fill(vacancy: VacancyArrays, pool: CandidateArrays, out: np.ndarray) -> None:
    """Every feature of one vacancy against the pool into ``out`` (F × N float32)."""
    _skill_features(vacancy, pool, out)
    _travel_features(vacancy, pool, out)
    _person_features(vacancy, pool, out)


def feature_buffer(m: int, n: int) -> np.ndarray:
    """A reusable F × M × N float32 buffer for ``out=`` (touched once, so no page faults later)."""
    return np.full((N_FEATURES, m, n), 0, dtype=np.float32)


def pairwise_features(
    vacancy: VacancyArrays,
    pool: CandidateArrays,
    *,
    rows: np.ndarray | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Features of one vacancy against the pool (or its ``rows``): N × F float32.

    The result is a transposed view of a feature-major F × N buffer (``out`` when given, of
    shape (F, N) or (F, 1, N); reusing one saves the page faults of a fresh 7 MB per 100k).
    Columns follow FEATURE_NAMES.
    """
    if len(vacancy) != 1:
        raise ValueError(f"pairwise_features takes one vacancy, got {len(vacancy)}")
    if rows is not None and len(rows) * 4 < len(pool):
        pool = pool.take(np.asarray(rows))
        rows = None
    if out is None:
        out = np.empty((N_FEATURES, len(pool)), dtype=np.float32)
    out = out.reshape(N_FEATURES, len(pool))
    _fill(vacancy, pool, out)
    return out.T if rows is None else out[:, np.asarray(rows)].T


def pairwise_features_batch(
    vacancies: VacancyArrays,
    pool: CandidateArrays,
    *,
    workers: int = 1,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Features of M vacancies × N candidates: an M × N × F float32 view (feature-major memory).

    ``out`` is an optional F × M × N buffer (``feature_buffer``). With ``workers`` > 1 the
    vacancies are spread over threads (numpy releases the GIL in the heavy parts).
    """
    m, n = len(vacancies), len(pool)
    if out is None:
        out = np.empty((N_FEATURES, m, n), dtype=np.float32)
    if out.shape != (N_FEATURES, m, n):
        raise ValueError(f"out must have shape {(N_FEATURES, m, n)}, got {out.shape}")
    target = out

    def run(i: int) -> None:
        _fill(vacancies.row(i), pool, target[:, i, :])

    if workers <= 1 or m == 1:
        for i in range(m):
            run(i)
    else:
        with ThreadPoolExecutor(max_workers=workers) as executor:
            list(executor.map(run, range(m)))
    return out.transpose(1, 2, 0)

"""History: account managers propose candidates, employers decide, placements last or end.

The proposals are made the way people make them, not by werkmatch: an account manager looks for
candidates who did this work before or something close, who live nearby and who are ready
enough, with a good deal of personal judgement (noise).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np

from demo import proportions as share
from demo.employers import Employers
from demo.mechanisms import Mechanisms, Recording, Selection
from demo.outcome import (
    coverage,
    distance_km,
    durable_logit,
    hire_logit,
    pair_features,
    sigmoid,
)
from demo.people import Candidates
from demo.sampling import draw, draw_given
from demo.sources import Geography, Taxonomy
from demo.vacancies import Vacancies

POOL_SAME_OCCUPATION, POOL_SAME_SECTOR, POOL_ANY = 24, 12, 12
DECISION_DAYS = 21  # proposals younger than this are still pending at the export date
DURABLE_MIN_DAYS, NON_DURABLE_MAX_DAYS = 190, 180


@dataclass
class History:
    """Proposals (one row per pair) and the placements that came of them."""

    v: np.ndarray
    c: np.ndarray
    proposed_on: np.ndarray
    outcome: np.ndarray
    p_durable: np.ndarray
    placed: np.ndarray  # proposal rows that became placements, in placement order
    start: np.ndarray
    end: np.ndarray  # NaT while running at the export date
    hours: np.ndarray
    contract: np.ndarray
    durable: np.ndarray  # the drawn outcome (durable when it runs long enough)


def _bucket_draw(
    rng: np.random.Generator, key: np.ndarray, members: np.ndarray, wanted: np.ndarray, m: int
) -> np.ndarray:
    """(len(wanted), m) members whose ``key`` equals ``wanted``; -1 where the bucket is empty."""
    order = np.argsort(key, kind="stable")
    key, members = key[order], members[order]
    lo, hi = np.searchsorted(key, wanted, "left"), np.searchsorted(key, wanted, "right")
    size = (hi - lo)[:, None]
    pick = lo[:, None] + np.floor(rng.random((len(wanted), m)) * np.maximum(size, 1)).astype(int)
    return np.where(size > 0, members[np.minimum(pick, len(members) - 1)], -1)


def _pools(
    rng: np.random.Generator, tax: Taxonomy, people: Candidates, jobs: Vacancies
) -> np.ndarray:
    """(n_vacancies, M) candidate indices an account manager would look at."""
    rows, cols = np.nonzero(people.occ >= 0)
    same_occ = _bucket_draw(rng, people.occ[rows, cols], rows, jobs.occ, POOL_SAME_OCCUPATION)
    first_sector = tax.occ_sector[people.occ[:, 0]]
    everyone = np.arange(people.size)
    same_sector = _bucket_draw(
        rng, first_sector, everyone, tax.occ_sector[jobs.occ], POOL_SAME_SECTOR
    )
    anyone = rng.integers(0, people.size, (jobs.size, POOL_ANY))
    pool = np.concatenate([same_occ, same_sector, anyone], axis=1)
    return np.where(pool < 0, rng.integers(0, people.size, pool.shape), pool)


def known_skills(rng: np.random.Generator, people: Candidates, recording: Recording) -> Candidates:
    """The candidates as an account manager knows them: each true skill with the intake's rate."""
    known = rng.random(len(people.skill)) < recording.skill_recorded
    owner = np.repeat(np.arange(people.size), np.diff(people.skill_start))
    starts = np.searchsorted(owner[known], np.arange(people.size + 1))
    return dataclasses.replace(people, skill_start=starts, skill=people.skill[known])


def _pick_scores(
    geo: Geography, tax: Taxonomy, people: Candidates, jobs: Vacancies, pool: np.ndarray,
    noise: np.ndarray, s: Selection, known: Candidates | None,
) -> np.ndarray:  # fmt: skip
    """An account manager's judgement of each pooled candidate (higher is better)."""
    v = np.repeat(np.arange(jobs.size), pool.shape[1])
    c = pool.ravel()
    history = people.occ[c]
    exact = (history == jobs.occ[v][:, None]).any(axis=1)
    group = ((history >= 0) & (tax.occ_isco[np.maximum(history, 0)]
                               == tax.occ_isco[jobs.occ[v]][:, None])).any(axis=1)  # fmt: skip
    sector = (people.pref[c] == tax.occ_sector[jobs.occ[v]][:, None]).any(axis=1)
    km = distance_km(geo, people.pc4[c], jobs.pc4[v])
    score = (s.occupation * exact + s.isco_group * group + s.sector * sector - s.km * km
             + s.ladder * (people.ladder[c] - 3) - s.low_ladder * (people.ladder[c] <= 2)
             - s.short_hours * ((people.hours[c] < 16) & (jobs.hours[v] >= 32))
             + s.noise * noise.ravel())  # fmt: skip
    if known is not None:
        n_skill = len(tax.skill_uri)
        score = score + s.known_skills * coverage(
            known, n_skill, c, jobs.req_start, jobs.req_skill, v
        )
    elsewhere = geo.municipality[people.pc4[c]] != geo.municipality[jobs.pc4[v]]
    score = np.where(elsewhere & ~people.consent[c], -np.inf, score).reshape(pool.shape)
    order = np.argsort(pool, axis=1, kind="stable")
    sorted_pool = np.take_along_axis(pool, order, axis=1)
    repeated = np.c_[np.zeros(len(pool), bool), sorted_pool[:, 1:] == sorted_pool[:, :-1]]
    ranked = np.take_along_axis(score, order, axis=1)
    np.put_along_axis(score, order, np.where(repeated, -np.inf, ranked), axis=1)
    return score


def propose(
    rng: np.random.Generator, geo: Geography, tax: Taxonomy, people: Candidates,
    jobs: Vacancies, as_of: dt.date, *, mechanisms: Mechanisms, known_rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Proposals (vacancy index, candidate index, date), sorted by vacancy and candidate."""
    pool = _pools(rng, tax, people, jobs)
    s = mechanisms.selection
    known = known_skills(known_rng, people, mechanisms.recording) if s.known_skills else None
    score = _pick_scores(geo, tax, people, jobs, pool, rng.standard_normal(pool.shape), s, known)
    wanted = draw(rng, share.PROPOSALS_PER_VACANCY, jobs.size).astype(np.int64)
    order = np.argsort(-score, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(pool.shape[1])[None, :].repeat(len(pool), 0), 1)
    chosen = (rank < wanted[:, None]) & np.isfinite(score)
    v, col = np.nonzero(chosen)
    c = pool[v, col]
    proposed_on = jobs.opened[v] + rng.integers(2, 31, len(v)).astype("timedelta64[D]")
    keep = proposed_on <= np.datetime64(as_of, "D")
    order2 = np.lexsort((c[keep], v[keep]))
    return v[keep][order2], c[keep][order2], proposed_on[keep][order2]


def _decide(
    rng: np.random.Generator, utility: np.ndarray, v: np.ndarray, c: np.ndarray,
    proposed_on: np.ndarray, positions: np.ndarray, as_of: dt.date,
) -> np.ndarray:  # fmt: skip
    """Outcome per proposal: the best candidates above the bar get the positions."""
    n = len(v)
    outcome = np.full(n, "rejected", dtype=object)
    pending = proposed_on > np.datetime64(as_of, "D") - np.timedelta64(DECISION_DAYS, "D")
    withdrawn = ~pending & (rng.random(n) < share.WITHDRAWN)
    outcome[pending], outcome[withdrawn] = "pending", "withdrawn"
    live = ~pending & ~withdrawn
    order = np.lexsort((-utility, ~live, v))  # per vacancy: live ones first, best first
    rank = np.arange(n) - np.searchsorted(v[order], v[order])
    hired = np.zeros(n, dtype=bool)
    hired[order] = live[order] & (utility[order] > 0) & (rank < positions[v[order]])
    # A candidate starts in one job at a time: later offers are declined (withdrawn).
    by_candidate = np.lexsort((proposed_on, ~hired, c))
    first = np.r_[True, c[by_candidate][1:] != c[by_candidate][:-1]]
    later = np.zeros(n, dtype=bool)
    later[by_candidate] = hired[by_candidate] & ~first
    outcome[hired & ~later], outcome[later] = "hired", "withdrawn"
    return outcome


def decide_and_place(
    rng: np.random.Generator, geo: Geography, tax: Taxonomy, people: Candidates,
    jobs: Vacancies, firms: Employers, proposals: tuple[np.ndarray, np.ndarray, np.ndarray],
    as_of: dt.date, mechanisms: Mechanisms,
) -> History:  # fmt: skip
    """Employer decisions, placements and their durations, censored at ``as_of``."""
    v, c, proposed_on = proposals
    m = mechanisms.durable
    features = pair_features(geo, tax, people, jobs, c, v, m)
    p_durable = sigmoid(durable_logit(features, people, jobs, firms, c, v, m))
    utility = hire_logit(features, people, c, mechanisms.hire) + rng.logistic(size=len(v))
    outcome = _decide(rng, utility, v, c, proposed_on, jobs.positions, as_of)
    placed = np.flatnonzero(outcome == "hired")
    end_of_history = np.datetime64(as_of, "D")
    start = np.minimum(
        proposed_on[placed] + rng.integers(7, 36, len(placed)).astype("timedelta64[D]"),
        end_of_history,
    )
    durable = rng.random(len(placed)) < p_durable[placed]
    days = np.where(
        durable,
        DURABLE_MIN_DAYS + rng.exponential(540, len(placed)).astype(np.int64),
        rng.integers(14, NON_DURABLE_MAX_DAYS + 1, len(placed)),
    )
    end = start + days.astype("timedelta64[D]")
    end[end > end_of_history] = np.datetime64("NaT")
    job_hours, own_hours = jobs.hours[v[placed]], people.hours[c[placed]]
    reduced = rng.random(len(placed)) < 0.3
    contract = draw_given(rng, share.CONTRACT_BY_LADDER, people.ladder[c[placed]])
    order = np.lexsort((placed, start))
    return History(
        v=v, c=c, proposed_on=proposed_on, outcome=outcome, p_durable=p_durable,
        placed=placed[order], start=start[order], end=end[order],
        hours=np.where(reduced, np.minimum(job_hours, own_hours), job_hours)[order],
        contract=contract[order], durable=durable[order],
    )  # fmt: skip


def candidate_status(rng: np.random.Generator, n: int, history: History) -> np.ndarray:
    """``placed`` while a placement runs at the export date, else mostly ``active``."""
    status = np.where(rng.random(n) < share.INACTIVE, "inactive", "active").astype(object)
    running = history.placed[np.isnat(history.end)]
    status[history.c[running]] = "placed"
    return status


def vacancy_status(
    jobs: Vacancies, history: History, as_of: dt.date
) -> tuple[np.ndarray, np.ndarray]:
    """Status per vacancy and a closing date that fits it."""
    hires = np.bincount(history.v[history.outcome == "hired"], minlength=jobs.size)
    pending = np.bincount(history.v[history.outcome == "pending"], minlength=jobs.size) > 0
    today = np.datetime64(as_of, "D")
    recent = jobs.opened > today - np.timedelta64(60, "D")
    full = hires >= jobs.positions
    status = np.where(
        full, "filled", np.where(recent | pending, "open", np.where(hires > 0, "filled", "closed"))
    ).astype(object)
    closes = jobs.closes.copy()
    stale = (status == "open") & ~np.isnat(closes) & (closes < today)
    closes[stale] = today + np.timedelta64(30, "D")
    return status, closes

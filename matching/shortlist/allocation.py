"""Capacity-aware allocation: proposals across all open vacancies, so that a strong candidate
is not on ten lists at once.

Each open vacancy's candidates are its shortlist's top ``top_n`` (same filters, scorer and
fallback as a shortlist). The allocation chooses proposal pairs (v, c) to

    maximise   Σ_c Σ_j w^j · p_durable(v_j(c), c)     (v_0(c), v_1(c), …: c's lists, best first)
    subject to Σ_v x(v, c) ≤ max_proposals_per_candidate − pending(c)   (per candidate)
               Σ_c x(v, c) ≤ positions(v) · k                           (per vacancy)

with ``w = SECOND_PROPOSAL_WEIGHT`` (0.5): the documented variant of "sum of p_durable of the
proposed pairs" in which a candidate's further concurrent proposals count less, because they
can start only one job (with w = 1 the optimum piles strong candidates onto two lists each
and proposes fewer people than independent lists do). As a flow: vacancy → (pair) →
candidate slot j with weight w^j; the constraints form two laminar families, so the matrix is
totally unimodular and a simplex vertex is integral: solved as an LP by HiGHS dual simplex
(``scipy.optimize.linprog``) on the sparse (pair, slot) variables, ``milp`` as a fallback.

Next to it, independent top-k lists (each vacancy takes its shortlist's first
``positions · k``). Both are reported with the same totals: **expected durable placements**
``Σ_v min(positions(v), Σ_{c ∈ L(v)} p(v, c) / n(c))`` — a candidate can start only one job,
so their chance is shared over the ``n(c)`` lists they are on, and a vacancy fills at most its
positions —, distinct candidates proposed, and the Gini of exposure (lists per candidate,
over every candidate in any vacancy's top ``top_n``; ``matching.metrics.gini``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matching.access.users import Principal
from matching.errors import InvalidInput
from matching.metrics import gini
from matching.shortlist.context import MatchingContext
from matching.shortlist.policy import FallbackPolicy
from matching.shortlist.ranking import Others, rank_vacancy
from matching.shortlist.vacancies import OpenVacancies
from matching.store import models

SECOND_PROPOSAL_WEIGHT = 0.5
"""Weight of a candidate's second concurrent proposal (third: its square, …): a candidate can
start only one job, so a further list adds less than the first."""


@dataclass(frozen=True)
class AllocationOptions:
    """Proposals per position ``k``, the per-candidate limit and the edges per vacancy."""

    k: int = 3
    max_proposals_per_candidate: int = 2
    top_n: int = 50

    def __post_init__(self) -> None:
        if self.k < 1 or self.max_proposals_per_candidate < 1 or self.top_n < 1:
            raise InvalidInput("k, max_proposals_per_candidate en top_n zijn minstens 1.")


@dataclass(frozen=True)
class Edges:
    """Candidate pairs: vacancy index, candidate id, p_durable, rank in the vacancy's list."""

    vacancy: np.ndarray
    candidate: np.ndarray
    p: np.ndarray
    rank: np.ndarray


@dataclass(frozen=True)
class Totals:
    """What a set of lists achieves (module doc)."""

    expected_durable: float
    proposals: int
    distinct_candidates: int
    exposure_gini: float


@dataclass(frozen=True)
class Allocation:
    """The allocated lists, their totals and those of independent top-k lists."""

    model_version: str
    generated_at: dt.datetime
    options: AllocationOptions
    allocated: Totals
    independent: Totals
    lists: dict[str, list[str]]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {**asdict(self), "generated_at": self.generated_at.isoformat(timespec="seconds")}


def _slot_variables(
    edges: Edges, cap: np.ndarray, cand: np.ndarray, discount: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Variables (edge, slot j) for every slot the edge's candidate has, and their weights."""
    edge_ids, slots = [], []
    for j in range(int(cap.max(initial=0))):
        live = np.flatnonzero(cap[cand] > j)
        edge_ids.append(live)
        slots.append(np.full(len(live), j))
    edge_of = np.concatenate(edge_ids) if edge_ids else np.zeros(0, np.int64)
    slot_of = np.concatenate(slots) if slots else np.zeros(0, np.int64)
    return edge_of, slot_of, edges.p[edge_of] * discount**slot_of


def solve(
    edges: Edges,
    vacancy_capacity: np.ndarray,
    candidate_capacity: dict[str, int],
    *,
    discount: float = SECOND_PROPOSAL_WEIGHT,
) -> np.ndarray:
    """Boolean mask of the chosen edges maximising the weighted Σ p (module doc).

    A candidate's j-th concurrent proposal (j = 0, 1, …) weighs ``discount**j``: variables are
    (edge, slot) pairs, each candidate slot and each edge used at most once, so the best pair
    of a candidate takes the full-weight slot.
    """
    e = len(edges.p)
    codes, cand = np.unique(edges.candidate, return_inverse=True)
    cap = np.array([candidate_capacity.get(str(c), 0) for c in codes], dtype=np.int64)
    edge_of, slot_of, weight = _slot_variables(edges, cap, cand, discount)
    if len(edge_of) == 0:
        return np.zeros(e, dtype=bool)
    n, cols = len(edge_of), np.arange(len(edge_of))
    ones = np.ones(n)
    rows_vac = (edges.vacancy[edge_of], len(vacancy_capacity))
    rows_slot = (cand[edge_of] * int(cap.max()) + slot_of, len(codes) * int(cap.max()))
    rows_edge = (edge_of, e)
    constraints = [
        LinearConstraint(sparse.csr_matrix((ones, (r, cols)), shape=(size, n)), -np.inf, ub)
        for (r, size), ub in (
            (rows_vac, vacancy_capacity.astype(np.float64)),
            (rows_slot, 1.0),
            (rows_edge, 1.0),
        )
    ]
    # Two laminar families of constraints (vacancy ⊃ pair; slot): a totally unimodular matrix,
    # so a simplex vertex of the LP is integral; milp only if HiGHS ever returned a fraction.
    a_ub = sparse.vstack([c.A for c in constraints], format="csr")
    b_ub = np.concatenate([np.broadcast_to(c.ub, c.A.shape[0]) for c in constraints])
    result = linprog(-weight, A_ub=a_ub, b_ub=b_ub, bounds=(0, 1), method="highs-ds")
    if result.x is None or np.abs(result.x - np.round(result.x)).max() > 1e-6:
        result = milp(c=-weight, constraints=constraints, integrality=ones, bounds=Bounds(0, 1))
    if result.x is None:
        raise RuntimeError(f"allocation solver failed: {result.message}")
    chosen = np.zeros(e, dtype=bool)
    chosen[edge_of[result.x > 0.5]] = True
    return chosen


def independent(edges: Edges, vacancy_capacity: np.ndarray) -> np.ndarray:
    """Each vacancy's first ``capacity`` entries of its own list, ignoring the others."""
    return np.asarray(edges.rank < vacancy_capacity[edges.vacancy])


def totals(edges: Edges, chosen: np.ndarray, positions: np.ndarray) -> Totals:
    """Expected durable placements, proposals, distinct candidates and exposure Gini."""
    population, _ = np.unique(edges.candidate, return_inverse=True)
    picked = edges.candidate[chosen]
    names, lists = np.unique(picked, return_counts=True)
    n_of = dict(zip(names.tolist(), lists.tolist(), strict=True))
    share = np.array([n_of[c] for c in picked], dtype=np.float64)
    per_vacancy = np.bincount(
        edges.vacancy[chosen],
        weights=edges.p[chosen] / np.maximum(share, 1),
        minlength=len(positions),
    )
    exposure = np.array([n_of.get(c, 0) for c in population.tolist()], dtype=np.float64)
    return Totals(
        expected_durable=round(float(np.minimum(per_vacancy, positions).sum()), 4),
        proposals=int(chosen.sum()),
        distinct_candidates=len(names),
        exposure_gini=round(gini(exposure), 4) if len(exposure) else 0.0,
    )


def pending_counts(session: Session) -> dict[str, int]:
    """Pending proposals per candidate."""
    p = models.Proposal
    rows = session.execute(
        select(p.candidate_id, func.count()).where(p.outcome == "pending").group_by(p.candidate_id)
    )
    return {c: int(n) for c, n in rows}


def allocate_edges(
    edges: Edges, positions: np.ndarray, pending: dict[str, int], options: AllocationOptions
) -> tuple[np.ndarray, np.ndarray]:
    """The allocated and the independent choice over the same edges (pure, for tests)."""
    capacity = positions * options.k
    limit = options.max_proposals_per_candidate
    candidate_capacity = {
        str(c): max(limit - pending.get(str(c), 0), 0) for c in np.unique(edges.candidate).tolist()
    }
    return solve(edges, capacity, candidate_capacity), independent(edges, capacity)


def shortlist_edges(
    context: MatchingContext,
    open_: OpenVacancies,
    *,
    policy: FallbackPolicy,
    top_n: int,
    proposed: Mapping[str, Collection[str]] | None = None,
    others: Others | None = None,
) -> tuple[Edges, np.ndarray]:
    """The top ``top_n`` of every vacancy's shortlist (no explanations), and positions;
    ``others``: the contexts ``nearby`` reads when ``context`` is one region's."""
    parts: list[tuple[int, str, float, int]] = []
    for i, info in enumerate(open_.info):
        shortlist = rank_vacancy(
            context,
            open_.arrays.row(i),
            info,
            limit=top_n,
            policy=policy,
            proposed=(proposed or {}).get(info.vacancy_id, ()),
            with_explanation=False,
            others=others,
        )
        parts += [(i, e.candidate_id, e.p_durable, r) for r, e in enumerate(shortlist.candidates)]
    v, c, p, r = (list(x) for x in zip(*parts, strict=True)) if parts else ([], [], [], [])
    edges = Edges(
        np.array(v, dtype=np.int64),
        np.array(c, dtype=object),
        np.array(p, dtype=np.float64),
        np.array(r, dtype=np.int64),
    )
    return edges, np.array([max(i.positions, 1) for i in open_.info], dtype=np.int64)


def proposals_by_vacancy(session: Session) -> dict[str, set[str]]:
    """Candidates already proposed, per vacancy (any outcome)."""
    out: dict[str, set[str]] = {}
    for vacancy_id, candidate_id in session.execute(
        select(models.Proposal.vacancy_id, models.Proposal.candidate_id)
    ):
        out.setdefault(vacancy_id, set()).add(candidate_id)
    return out


def allocate(
    session: Session,
    context: MatchingContext,
    *,
    options: AllocationOptions | None = None,
    policy: FallbackPolicy | None = None,
    principal: Principal | None = None,
    others: Others | None = None,
) -> Allocation:
    """Allocate proposals over all open vacancies (module doc); with ``principal``, the lists
    returned are those of the vacancies of the principal's organisation (the allocation itself
    still weighs every open vacancy, so capacities are shared fairly). When ``context`` is one
    region's (``werkmatch allocate --region``), its open vacancies are the region's and
    ``others`` gives the regions its ``nearby`` candidates live in."""
    options, policy = options or AllocationOptions(), policy or FallbackPolicy()
    start = time.perf_counter()
    open_ = context.open_vacancies(session)
    edges, positions = shortlist_edges(
        context,
        open_,
        policy=policy,
        top_n=options.top_n,
        proposed=proposals_by_vacancy(session),
        others=others,
    )
    ids = [i.vacancy_id for i in open_.info]
    chosen, baseline = allocate_edges(edges, positions, pending_counts(session), options)
    lists = _lists(edges, chosen, ids)
    if principal is not None:
        lists = {
            info.vacancy_id: lists[info.vacancy_id]
            for info in open_.info
            if principal.acts_for(info.municipality_code)
        }
    return Allocation(
        model_version=context.model_version,
        generated_at=dt.datetime.now(dt.UTC),
        options=options,
        allocated=totals(edges, chosen, positions),
        independent=totals(edges, baseline, positions),
        lists=lists,
        seconds=round(time.perf_counter() - start, 3),
    )


def _lists(edges: Edges, chosen: np.ndarray, ids: Sequence[str]) -> dict[str, list[str]]:
    """Vacancy id → allocated candidate ids in shortlist order."""
    out: dict[str, list[str]] = {vid: [] for vid in ids}
    for e in np.flatnonzero(chosen)[np.lexsort((edges.rank[chosen], edges.vacancy[chosen]))]:
        out[ids[int(edges.vacancy[e])]].append(str(edges.candidate[e]))
    return out

"""Capacity-aware allocation: every capacity holds, and it beats independent top-k lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from matching.shortlist import MatchingCache
from matching.shortlist.allocation import (
    AllocationOptions,
    Edges,
    allocate,
    allocate_edges,
    solve,
    totals,
)
from tests.matching.shortlist.store_fixture import seed


def _edges(rows: list[tuple[int, str, float]]) -> Edges:
    """Edges with each vacancy's rank by descending p (its shortlist order)."""
    v = np.array([r[0] for r in rows])
    p = np.array([r[2] for r in rows])
    rank = np.zeros(len(rows), dtype=np.int64)
    for vac in np.unique(v):
        idx = np.flatnonzero(v == vac)
        rank[idx[np.argsort(-p[idx], kind="stable")]] = np.arange(len(idx))
    return Edges(v, np.array([r[1] for r in rows], dtype=object), p, rank)


def test_a_star_on_every_list_is_spread_out() -> None:
    """Three one-position vacancies, k = 1: star S (p 0.9 everywhere) tops all three lists.

    Independent: S on all three → each vacancy gets 0.9 / 3 → 0.9 expected placements.
    Allocated: S once (0.9), B2 and B3 on the others (0.6 each) → 2.1; S on a second list would
    weigh 0.5 · 0.9 = 0.45 < 0.6.
    """
    rows = [(v, "S", 0.9) for v in range(3)] + [(v, f"B{v + 1}", 0.6) for v in range(3)]
    edges, positions = _edges(rows), np.ones(3, dtype=np.int64)
    chosen, baseline = allocate_edges(edges, positions, {}, AllocationOptions(k=1))
    ours, theirs = totals(edges, chosen, positions), totals(edges, baseline, positions)
    assert theirs.expected_durable == 0.9 and theirs.distinct_candidates == 1
    assert ours.expected_durable == 2.1 and ours.distinct_candidates == 3
    assert ours.exposure_gini < theirs.exposure_gini
    plain = solve(edges, positions, {"S": 2, "B1": 2, "B2": 2, "B3": 2}, discount=1.0)
    assert (edges.candidate[plain] == "S").sum() == 2  # plain Σ p piles the star onto two lists
    with_pending = allocate_edges(edges, positions, {"S": 2}, AllocationOptions(k=1))[0]
    assert "S" not in set(edges.candidate[with_pending])  # S already has two pending proposals
    assert totals(edges, with_pending, positions).expected_durable == 1.8


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 7), st.floats(0.01, 1.0)),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 3),
    st.integers(1, 3),
)
def test_every_capacity_holds(raw: list[tuple[int, int, float]], k: int, limit: int) -> None:
    unique = {(v, c): p for v, c, p in raw}
    edges = _edges([(v, f"c{c}", p) for (v, c), p in unique.items()])
    positions = np.array([1, 2, 1, 1, 2])
    chosen, _ = allocate_edges(
        edges, positions, {"c0": 1}, AllocationOptions(k=k, max_proposals_per_candidate=limit)
    )
    per_vacancy = np.bincount(edges.vacancy[chosen], minlength=5)
    assert (per_vacancy <= positions * k).all()
    _, per_candidate = np.unique(edges.candidate[chosen], return_counts=True)
    assert (per_candidate <= limit).all()
    assert (edges.candidate[chosen] == "c0").sum() <= limit - 1


def test_allocation_on_the_store(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    seed(sessions)
    with sessions.begin() as session:
        context = MatchingCache(tmp_path).get(session)
        result = allocate(session, context, options=AllocationOptions(k=2))
    assert list(result.lists) == ["V1"] and len(result.lists["V1"]) == 2
    assert result.allocated.proposals == 2 and result.independent.proposals == 2
    assert result.to_dict()["options"] == {"k": 2, "max_proposals_per_candidate": 2, "top_n": 50}

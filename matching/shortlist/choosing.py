"""Choosing a list from ranked rows: per fallback level, the rows reaching the threshold first.

A list may read several contexts at once (a vacancy's region, and for the level ``nearby`` the
regions within the radius, ``matching.shortlist.regional``): each is a ``Part`` with its own
feature buffer and scores. A level's best rows over several parts are the per-part best rows
merged by (score, candidate id), so the list equals the one ranked over all their candidates
in one pool; with one part nothing is merged and rows keep their pool order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from features.pairwise import COLUMN
from features.pool import VacancyArrays
from matching.shortlist.context import MatchingContext
from matching.shortlist.policy import FallbackPolicy, Level

Pick = tuple[int, int]
"""(part, row): a candidate of one part's pool."""


@dataclass
class Part:
    """One context's share of a list: features (N × F), scores and, per level, the rows that
    pass the filters; ``masks``/``keep``/``removed`` feed the filter report."""

    context: MatchingContext
    features: np.ndarray
    scores: np.ndarray
    rows: dict[Level, np.ndarray]
    vacancy: VacancyArrays | None = None
    masks: dict[Level, np.ndarray] = field(default_factory=dict)
    keep: np.ndarray | None = None
    removed: dict[str, int] = field(default_factory=dict)


def by_score(rows: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` best rows by score, best first (ties by row, i.e. candidate id)."""
    if len(rows) > k:
        rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
    return rows[np.lexsort((rows, -scores[rows]))]


def p_durable(context: MatchingContext, features: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """p_durable of ``rows`` (the scorer on their feature rows only)."""
    return np.asarray(context.scorer.score(features[rows]).p_durable) if len(rows) else np.zeros(0)


def split_level(
    context: MatchingContext,
    features: np.ndarray,
    rows: np.ndarray,
    scores: np.ndarray,
    *,
    limit: int,
    threshold: float,
    nearest: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The level's rows reaching the threshold and those below, each in list order (≤ limit)."""
    if not nearest:
        top = by_score(rows, scores, limit)
        p = p_durable(context, features, top)
        return top[p >= threshold], top[p < threshold]
    p = p_durable(context, features, rows)
    good, below = rows[p >= threshold], rows[p < threshold]
    distance = features[good, COLUMN["distance_km"]]
    good = good[np.lexsort((good, -scores[good], distance))][:limit]
    return good, by_score(below, scores, limit)


def _merged(parts: Sequence[Part], picks: list[Pick], limit: int, nearest: bool) -> list[Pick]:
    """``picks`` of several parts in list order: (distance when ``nearest``), score, id."""

    def key(pick: Pick) -> tuple[float, float, str]:
        part, row = parts[pick[0]], pick[1]
        score, cid = -float(part.scores[row]), str(part.context.pool.ids[row])
        distance = float(part.features[row, COLUMN["distance_km"]]) if nearest else 0.0
        return distance, score, cid

    return sorted(picks, key=key)[:limit]


def _p_of(parts: Sequence[Part], picks: list[Pick]) -> np.ndarray:
    """p_durable of picks from several parts, in their order."""
    out = np.zeros(len(picks))
    for k in {k for k, _ in picks}:
        at = [i for i, (kk, _) in enumerate(picks) if kk == k]
        rows = np.array([picks[i][1] for i in at], dtype=np.int64)
        out[at] = p_durable(parts[k].context, parts[k].features, rows)
    return out


def split_parts(
    parts: Sequence[Part], level: Level, *, limit: int, threshold: float, nearest: bool
) -> tuple[list[Pick], list[Pick]]:
    """``split_level`` over the level's rows of every part (module doc)."""
    if len(parts) == 1:
        part = parts[0]
        good, weak = split_level(
            part.context, part.features, part.rows[level], part.scores,
            limit=limit, threshold=threshold, nearest=nearest,
        )  # fmt: skip
        return [(0, int(r)) for r in good], [(0, int(r)) for r in weak]
    if not nearest:
        tops = [
            (k, int(r))
            for k, p in enumerate(parts)
            for r in by_score(p.rows[level], p.scores, limit)
        ]
        top = _merged(parts, tops, limit, False)
        p = _p_of(parts, top)
        over = [t for t, v in zip(top, p, strict=True) if v >= threshold]
        return over, [t for t, v in zip(top, p, strict=True) if v < threshold]
    over, under = [], []
    for k, part in enumerate(parts):
        g, w = split_level(
            part.context, part.features, part.rows[level], part.scores,
            limit=limit, threshold=threshold, nearest=True,
        )  # fmt: skip
        over += [(k, int(r)) for r in g]
        under += [(k, int(r)) for r in w]
    return _merged(parts, over, limit, True), _merged(parts, under, limit, False)


def choose_parts(
    parts: Sequence[Part], *, limit: int, policy: FallbackPolicy
) -> tuple[list[tuple[Pick, Level]], list[Level], int]:
    """The chosen picks and their levels in list order, the levels reached, own rows qualifying.

    Each level's rows reaching the threshold join the list while it is not full; the rest of
    the places go to the best below the threshold, in level order (``ranking`` module doc).
    """
    chosen: list[tuple[Pick, Level]] = []
    below: list[tuple[Pick, Level]] = []
    reached: list[Level] = []
    own_good = 0
    for level in policy.levels:
        if len(chosen) >= limit:
            break
        reached.append(level)
        good, weak = split_parts(
            parts,
            level,
            limit=limit - len(chosen),
            threshold=policy.threshold,
            nearest=policy.order == "nearest" and level != "own",
        )
        own_good = len(good) if level == "own" else own_good
        chosen += [(pick, level) for pick in good]
        below += [(pick, level) for pick in weak]
    return (chosen + below)[:limit], reached, own_good


def choose(
    context: MatchingContext,
    features: np.ndarray,
    levels: dict[Level, np.ndarray],
    scores: np.ndarray,
    *,
    limit: int,
    policy: FallbackPolicy,
) -> tuple[list[tuple[int, Level]], list[Level], int]:
    """``choose_parts`` over one pool: the chosen (row, level) pairs in list order, the levels
    reached, own rows qualifying (``levels``: the rows of each level passing the filters)."""
    part = Part(
        context,
        features,
        scores,
        {lv: levels.get(lv, np.zeros(0, np.int64)) for lv in policy.levels},
    )
    chosen, reached, own_good = choose_parts([part], limit=limit, policy=policy)
    return [(row, level) for (_, row), level in chosen], reached, own_good

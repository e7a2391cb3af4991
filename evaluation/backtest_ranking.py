"""One vacancy's shortlist rebuilt as werkmatch would have made it, with the shortlist's own code.

The hard filters (``matching.shortlist.filters``), the fallback levels and the ordering
(``matching.shortlist.ranking.level_masks``, ``fast_scores``, ``choosing.choose``) are reused as
they are; only the *state* is historical: a candidate counts as placed when a placement was running
on the opening date (started before it, not ended before it), as proposed when proposed to this
vacancy before it, and nobody as inactive (the store keeps only today's status). The whole
eligible list is ordered (``limit`` = every eligible candidate), so the top ``k`` of it is the
shortlist of ``k`` and the rank of any hire is known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from features.pairwise import COLUMN
from matching.shortlist.choosing import choose
from matching.shortlist.context import MatchingContext
from matching.shortlist.filters import FILTER_LABELS, FILTERS, apply_filters, filter_masks
from matching.shortlist.policy import FallbackPolicy, Level
from matching.shortlist.ranking import fast_scores, level_masks
from matching.shortlist.vacancies import VacancyInfo

LEVEL_CODES = {"own": 0, "region": 1, "nearby": 2}
OUT_OF_REACH = "buiten bereik (andere gemeente zonder toestemming of te ver weg)"
NOT_IN_POOL = "niet (meer) in het bestand"


@dataclass(frozen=True)
class Eligible:
    """The eligible rows of a vacancy's pool (sorted), their level code, and the pass masks."""

    rows: np.ndarray
    level: np.ndarray
    by_level: dict[Level, np.ndarray]
    masks: dict[str, np.ndarray]
    reach: np.ndarray


def eligible_rows(
    context: MatchingContext,
    info: VacancyInfo,
    buffer: np.ndarray,
    *,
    policy: FallbackPolicy,
    placed: np.ndarray,
    proposed: np.ndarray,
) -> Eligible:
    """Apply the hard filters and the fallback levels to the F × N ``buffer`` of one vacancy."""
    inactive = np.zeros(len(context.pool), dtype=bool)
    masks = filter_masks(buffer, inactive=inactive, placed=placed, proposed=proposed)
    levels = level_masks(context, info, buffer[COLUMN["distance_km"]], policy)
    reach = np.logical_or.reduce(list(levels.values()))
    keep, _ = apply_filters(masks, within=reach)
    by_level = {level: np.flatnonzero(mask & keep) for level, mask in levels.items()}
    code = np.full(len(context.pool), -1, dtype=np.int8)
    for level, rows in by_level.items():
        code[rows] = LEVEL_CODES[level]
    rows = np.flatnonzero(keep & reach)
    return Eligible(rows, code[rows], by_level, masks, reach)


def ordered(
    context: MatchingContext,
    features: np.ndarray,
    buffer: np.ndarray,
    eligible: Eligible,
    *,
    policy: FallbackPolicy,
) -> np.ndarray:
    """The eligible rows in the order the shortlist (with ``context``'s scorer) lists them."""
    if len(eligible.rows) == 0:
        return eligible.rows
    scores = fast_scores(context, buffer)
    chosen, _, _ = choose(
        context, features, eligible.by_level, scores, limit=len(eligible.rows), policy=policy
    )
    return np.array([row for row, _ in chosen], dtype=np.int64)


def miss_reason(row: int, eligible: Eligible) -> str | None:
    """Why a pool row is not on the list: the first filter it fails, or out of reach (None: on)."""
    if row < 0:
        return NOT_IN_POOL
    if not eligible.reach[row]:
        return OUT_OF_REACH
    for f in FILTERS:
        if not eligible.masks[f.name][row]:
            return FILTER_LABELS[f.name]
    return None

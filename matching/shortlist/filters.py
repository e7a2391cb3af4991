"""Hard filters: who may not appear on a shortlist at all, each with a Dutch label.

A candidate whose language or licence is *unknown* is kept (and the explanation says it is
unknown): an incomplete record is a reason to ask, not to exclude. Removal counts are
sequential in ``FILTERS`` order, so they add up to the candidates removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from features.pairwise import COLUMN


@dataclass(frozen=True)
class Filter:
    """A hard filter: its name, the Dutch label the account manager reads, and the rule."""

    name: str
    label: str
    rule: str


FILTERS: tuple[Filter, ...] = (
    Filter("active", "actief", "status is not 'inactive'"),
    Filter(
        "available",
        "beschikbaar op de startdatum",
        "available_from is empty or not later than the vacancy's start",
    ),
    Filter(
        "hours",
        "minstens 16 uur per week beschikbaar (of wat de vacature vraagt)",
        "hours_available ≥ min(16, the vacancy's hours_per_week)",
    ),
    Filter(
        "language",
        "spreekt de vereiste taal",
        "every language in languages_required is among the candidate's languages "
        "(unknown languages: kept)",
    ),
    Filter(
        "licence",
        "heeft het vereiste rijbewijs",
        "no licence required, or driving_licence is true (unknown: kept)",
    ),
    Filter(
        "not_proposed",
        "nog niet voorgesteld voor deze vacature",
        "no proposal of this candidate to this vacancy exists",
    ),
    Filter(
        "not_placed",
        "niet geplaatst",
        "status is not 'placed' and no placement is running (started, no end date or "
        "an end date in the future)",
    ),
)
"""The hard filters, in the order they are applied and counted."""
FILTER_LABELS = {f.name: f.label for f in FILTERS}


def filter_masks(
    features: np.ndarray, *, inactive: np.ndarray, placed: np.ndarray, proposed: np.ndarray
) -> dict[str, np.ndarray]:
    """Pass mask per filter; ``features`` is F × N (feature-major), the rest broadcast to N."""
    n = features.shape[1]

    def row(name: str) -> np.ndarray:
        return np.asarray(features[COLUMN[name]])

    return {
        "active": np.broadcast_to(~inactive, (n,)),
        "available": row("available_by_start") == 1,
        "hours": row("hours_floor") == 1,
        "language": row("language_met") != 0,
        "licence": row("licence_met") != 0,
        "not_proposed": np.broadcast_to(~proposed, (n,)),
        "not_placed": np.broadcast_to(~placed, (n,)),
    }


def apply_filters(
    masks: Mapping[str, np.ndarray], within: np.ndarray | None = None
) -> tuple[np.ndarray, dict[str, int]]:
    """The rows passing every filter, and how many each filter removed (sequentially).

    ``within`` restricts the count to the rows that matter (e.g. those within reach).
    """
    keep = np.ones_like(next(iter(masks.values())), dtype=bool) if within is None else within
    keep = keep.copy()
    removed: dict[str, int] = {}
    for f in FILTERS:
        before = int(np.count_nonzero(keep))
        keep &= masks[f.name]
        removed[f.name] = before - int(np.count_nonzero(keep))
    return keep, removed

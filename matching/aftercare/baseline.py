"""The model's chance that a placement lasts, taken once: the first time the placement comes
on an aftercare worklist (``worklist``), for the person and the placement's vacancy. Stored, so
later changes to the person's record or to the model do not move it; a hire is normally listed
within days of its start, so the chance is that of the match as it was made."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.access.users import now
from matching.instruments.pairs import pair_chances
from matching.shortlist.context import MatchingContext
from matching.store.instruments import AftercareBaseline


class Placed(Protocol):
    """What a baseline needs to know of a placement."""

    @property
    def placement_id(self) -> str: ...

    @property
    def candidate_id(self) -> str: ...

    @property
    def vacancy_id(self) -> str | None: ...


def baselines(
    session: Session, context: MatchingContext | None, placements: Sequence[Placed]
) -> dict[str, float | None]:
    """Each placement's chance at the start; computed and stored for those without one when a
    ``context`` (pool and model) is given. A placement without a vacancy has none (None)."""
    ids = [p.placement_id for p in placements]
    b = AftercareBaseline
    known: dict[str, float | None] = {}
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(b.placement_id, b.p_durable).where(b.placement_id.in_(ids[start : start + 1000]))
        )
        known.update({pid: chance for pid, chance in rows})
    if context is None:
        return known
    missing = [p for p in placements if p.placement_id not in known]
    scored = [p for p in missing if p.vacancy_id is not None]
    chances = pair_chances(session, context, [(str(p.vacancy_id), p.candidate_id) for p in scored])
    found = {p.placement_id: c for p, c in zip(scored, chances, strict=True)}
    for placement in missing:
        chance = found.get(placement.placement_id)
        session.add(
            AftercareBaseline(
                placement_id=placement.placement_id,
                p_durable=chance,
                model_version=context.model_version,
                computed_at=now(),
            )
        )
        known[placement.placement_id] = chance
    session.flush()
    return known

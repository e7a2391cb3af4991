"""Candidates: paged list and detail."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import LimitQuery, OffsetQuery, SessionDep
from api.schemas.registry import CandidatePublic, CandidatesPublic
from matching.store.repositories import CandidateRepository

router = APIRouter(prefix="/candidates", tags=["candidates"])


@router.get("", response_model=CandidatesPublic)
def list_candidates(
    session: SessionDep,
    offset: OffsetQuery = 0,
    limit: LimitQuery = 50,
    municipality: Annotated[str | None, Query(pattern=r"^GM\d{4}$")] = None,
    status: Literal["active", "placed", "inactive"] | None = None,
) -> CandidatesPublic:
    """Candidates ordered by id, filtered by municipality and status."""
    page = CandidateRepository(session).list(
        offset=offset, limit=limit, municipality_code=municipality, status=status
    )
    return CandidatesPublic.model_validate(page, from_attributes=True)


@router.get("/{candidate_id}", response_model=CandidatePublic)
def get_candidate(candidate_id: str, session: SessionDep) -> CandidatePublic:
    """One candidate."""
    candidate = CandidateRepository(session).get(candidate_id=candidate_id)
    return CandidatePublic.model_validate(candidate)

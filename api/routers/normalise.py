"""Normalise a free-text title or competence to ranked ESCO concepts."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import CurrentUser, SessionDep
from api.errors import error_responses
from api.schemas.normalise import NormalisedPublic
from matching.normalisation import Normaliser, candidates_json, for_organisation
from matching.review.synonyms import organisation_aliases, with_synonyms

router = APIRouter(tags=["normalise"], responses=error_responses(401, 403, 422, 503))


@router.get("/normalise", response_model=NormalisedPublic)
def normalise(
    text: Annotated[str, Query(max_length=5000)],
    session: SessionDep,
    principal: CurrentUser,
    kind: Literal["occupation", "skill"] = "occupation",
    top: Annotated[int, Query(ge=1, le=40)] = 10,
) -> NormalisedPublic:
    """Top ``top`` ESCO occupations (or skills) for one text; ESCO URIs pass through. The
    caller's organisation's synonyms rank as aliases of their concepts (once its index is
    built; the request does not wait for that) and its synonym for the text comes first (a
    text it decided to keep as written gets no candidates)."""
    organisation = principal.organisation_id
    if organisation is None:
        return NormalisedPublic.model_validate(
            candidates_json(text, Normaliser().rank([text], kind=kind, top=top)[0])
        )
    aliases = organisation_aliases(session, organisation)
    matches = for_organisation(organisation, aliases, wait=False).rank([text], kind=kind, top=top)
    matches = with_synonyms(session, organisation, [text], matches, kind=kind, top=top)
    return NormalisedPublic.model_validate(candidates_json(text, matches[0]))

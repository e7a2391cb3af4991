"""Schemas of ``GET /normalise``: the same shape as ``werkmatch normalise --json`` lines."""

from __future__ import annotations

from pydantic import BaseModel


class CandidatePublic(BaseModel):
    """One ranked ESCO concept."""

    uri: str
    label: str
    score: float


class NormalisedPublic(BaseModel):
    """The ranked candidates for one text."""

    text: str
    candidates: list[CandidatePublic]

"""Schemas shared by several routers."""

from __future__ import annotations

from pydantic import BaseModel


class Health(BaseModel):
    """Health check answer."""

    status: str
    version: str


class CompetencePublic(BaseModel):
    """A competence or occupation item: original text and its ESCO concept."""

    text: str
    uri: str | None
    score: float | None
    needs_review: bool

"""Schemas shared by several routers."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Health(BaseModel):
    """Health check answer."""

    status: str
    version: str


class CompetencePublic(BaseModel):
    """A competence or occupation item: original text and its ESCO concept."""

    model_config = ConfigDict(from_attributes=True)

    text: str
    uri: str | None
    score: float | None
    needs_review: bool

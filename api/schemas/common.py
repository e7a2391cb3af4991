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


class ErrorPublic(BaseModel):
    """An error answer: what went wrong, in words."""

    detail: str


class FieldErrorPublic(BaseModel):
    """One problem FastAPI found while validating a request."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class InvalidRequestPublic(BaseModel):
    """A 422: the request's problems per field, or a message when the core refused the input."""

    detail: str | list[FieldErrorPublic]

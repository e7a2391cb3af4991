"""Schemas of the scoring model endpoint."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ModelPublic(BaseModel):
    """The scorer in use: the active trained model, or the documented prior."""

    kind: str
    version: str
    usable: bool
    message: str | None = None
    as_of: str | None = None
    created_at: str | None = None
    features: list[str]
    libraries: dict[str, str] | None = None
    metrics: dict[str, Any] | None = None
    coefficients: dict[str, float] | None = None
    prior_weights: dict[str, float] | None = None
    training_data_sha256: str | None = None
    versions: list[str]

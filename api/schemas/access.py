"""Schemas of the signed-in user and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict


class MePublic(BaseModel):
    """The signed-in user: role and the municipalities whose candidates they see in full."""

    model_config = ConfigDict(from_attributes=True)

    user_id: str
    role: str
    organisation_id: str | None
    municipality_codes: list[str]


class AuditEntryPublic(BaseModel):
    """One audit row."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: dt.datetime
    user_id: str
    role: str
    action: str
    object_type: str | None
    object_id: str | None
    detail: dict[str, Any] | None
    model_version: str | None


class AuditEntriesPublic(BaseModel):
    """A page of audit rows, newest first."""

    model_config = ConfigDict(from_attributes=True)

    data: list[AuditEntryPublic]
    count: int

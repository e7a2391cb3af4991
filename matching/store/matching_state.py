"""Matching state: data versions (cache invalidation) and per-organisation matching policy.

``data_versions`` holds one counter per kind of data (``candidates``); every import, erasure
or candidate change bumps it in the same transaction, and each API worker compares it with
the version of its in-memory candidate pool (one tiny query per request).
``organisation_policies`` holds an organisation's override of the fallback policy as JSON.
``follow_ups`` holds the date an organisation plans its next step with an employer (a job
hunter's working list; not part of the exchange format).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from matching.store.access import UtcDateTime
from matching.store.base import Base


class DataVersion(Base):
    """A change counter for one kind of data."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class OrganisationPolicy(Base):
    """An organisation's matching policy override (fields of ``FallbackPolicy`` as JSON)."""

    __tablename__ = "organisation_policies"

    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.organisation_id", ondelete="CASCADE"), primary_key=True
    )
    fallback_policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class FollowUp(Base):
    """When an organisation will next approach an employer, and who planned it."""

    __tablename__ = "follow_ups"

    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.organisation_id", ondelete="CASCADE"), primary_key=True
    )
    employer_id: Mapped[str] = mapped_column(
        ForeignKey("employers.employer_id"), primary_key=True, index=True
    )
    due_on: Mapped[dt.date] = mapped_column(Date)
    set_by: Mapped[str | None] = mapped_column(String(64))
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

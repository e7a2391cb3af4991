"""Review state: import runs, the review queue, organisation synonyms and crosswalks.

``review_texts`` holds one row per distinct text (by kind and ``text_key``) that needs a
person's eye: normalised below the confidence threshold, a code without a crosswalk entry, or
a small sample above the threshold. ``review_counts`` says how often it occurs per
municipality, recounted after every import; an organisation's queue is the texts that occur in
its municipalities and that it has not decided yet. A decision is an ``organisation_synonyms``
row (text → concept, or no concept: keep the text). ``crosswalks`` maps national codes
(CompetentNL URIs, UWV beroepscodes) to ESCO concepts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from matching.store.access import UtcDateTime
from matching.store.base import Base


class ImportRun(Base):
    """One import run: when, by whom and which files (the review queue's import filter)."""

    __tablename__ = "import_runs"

    import_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    imported_by: Mapped[str | None] = mapped_column(String(64))
    files: Mapped[str] = mapped_column(Text)


class ReviewText(Base):
    """A distinct text to review, with the ranker's top candidates at the time it was raised."""

    __tablename__ = "review_texts"
    __table_args__ = (UniqueConstraint("kind", "digest"),)

    review_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))
    digest: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    sampled: Mapped[bool] = mapped_column(Boolean, default=False)
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_runs.import_id", ondelete="SET NULL"), index=True
    )
    raised_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ReviewCount(Base):
    """How often a review text occurs among the stored records of one municipality."""

    __tablename__ = "review_counts"
    __table_args__ = (
        # covering: an organisation's queue sums its municipalities' rows from the index alone
        Index(
            "ix_review_counts_municipality_code", "municipality_code", "review_id", "occurrences"
        ),
    )

    review_id: Mapped[int] = mapped_column(
        ForeignKey("review_texts.review_id", ondelete="CASCADE"), primary_key=True
    )
    municipality_code: Mapped[str] = mapped_column(
        ForeignKey("municipalities.code"), primary_key=True
    )
    occurrences: Mapped[int] = mapped_column(Integer)


class OrganisationSynonym(Base):
    """An organisation's decision: this text means this ESCO concept (``uri`` None: none of
    the candidates, the text is kept as written)."""

    __tablename__ = "organisation_synonyms"

    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.organisation_id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    uri: Mapped[str | None] = mapped_column(String(200))
    decided_by: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class Crosswalk(Base):
    """A national code (CompetentNL URI or UWV beroepscode) and the ESCO concept it maps to."""

    __tablename__ = "crosswalks"

    code: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    uri: Mapped[str] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)

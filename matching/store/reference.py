"""Reference tables: regions, municipalities, PC4 areas, SBI and the ESCO taxonomy."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from matching.store.base import Base


class Region(Base):
    """A labour-market region (arbeidsmarktregio)."""

    __tablename__ = "regions"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    provinces: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(Integer)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class Municipality(Base):
    """A CBS municipality (gemeente) with its labour-market region and centroid."""

    __tablename__ = "municipalities"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(ForeignKey("regions.name"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    area_km2: Mapped[float | None] = mapped_column(Float)


class Pc4Area(Base):
    """A four-digit postcode area with its centroid."""

    __tablename__ = "pc4_areas"

    pc4: Mapped[str] = mapped_column(String(4), primary_key=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    municipality_code: Mapped[str | None] = mapped_column(
        ForeignKey("municipalities.code"), index=True
    )
    population: Mapped[int | None] = mapped_column(Integer)


class SbiSection(Base):
    """An SBI 2008 section (A–U)."""

    __tablename__ = "sbi_sections"

    code: Mapped[str] = mapped_column(String(1), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))


class SbiDivision(Base):
    """An SBI 2008 two-digit division."""

    __tablename__ = "sbi_divisions"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    section: Mapped[str] = mapped_column(ForeignKey("sbi_sections.code"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class IscoGroup(Base):
    """An ISCO-08 group (1 to 4 digits) as published with ESCO."""

    __tablename__ = "isco_groups"

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    uri: Mapped[str] = mapped_column(String(200), unique=True)
    label_en: Mapped[str] = mapped_column(String(300))
    label_nl: Mapped[str | None] = mapped_column(String(300))
    parent_code: Mapped[str | None] = mapped_column(String(4))


class Occupation(Base):
    """An ESCO occupation; label lists are ``|``-separated."""

    __tablename__ = "esco_occupations"

    uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40))
    isco_group: Mapped[str | None] = mapped_column(String(4), index=True)
    label_en: Mapped[str] = mapped_column(String(300))
    label_nl: Mapped[str | None] = mapped_column(String(300))
    alt_labels_en: Mapped[str | None] = mapped_column(Text)
    alt_labels_nl: Mapped[str | None] = mapped_column(Text)
    hidden_labels_en: Mapped[str | None] = mapped_column(Text)
    hidden_labels_nl: Mapped[str | None] = mapped_column(Text)


class Skill(Base):
    """An ESCO skill or knowledge concept; label lists are ``|``-separated."""

    __tablename__ = "esco_skills"

    uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    skill_type: Mapped[str | None] = mapped_column(String(40))
    reuse_level: Mapped[str | None] = mapped_column(String(40))
    label_en: Mapped[str] = mapped_column(String(300))
    label_nl: Mapped[str | None] = mapped_column(String(300))
    alt_labels_en: Mapped[str | None] = mapped_column(Text)
    alt_labels_nl: Mapped[str | None] = mapped_column(Text)
    hidden_labels_en: Mapped[str | None] = mapped_column(Text)


class SkillGroup(Base):
    """A node of the ESCO skill hierarchy (skill groups, levels 0–3)."""

    __tablename__ = "esco_skill_groups"

    uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    code: Mapped[str | None] = mapped_column(String(40))
    label_en: Mapped[str] = mapped_column(String(300))
    label_nl: Mapped[str | None] = mapped_column(String(300))


class OccupationSkill(Base):
    """An occupation–skill relation, ``essential`` or ``optional``."""

    __tablename__ = "esco_occupation_skills"

    occupation_uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    skill_uri: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)
    relation: Mapped[str] = mapped_column(String(10))


class SkillBroader(Base):
    """A broader relation in the skill pillar (skill or group → broader group/skill)."""

    __tablename__ = "esco_skill_broader"

    uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    broader_uri: Mapped[str] = mapped_column(String(200), primary_key=True, index=True)


class SkillRelation(Base):
    """A skill–skill relation (``essential``/``optional``) from ESCO."""

    __tablename__ = "esco_skill_relations"

    skill_uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    related_uri: Mapped[str] = mapped_column(String(200), primary_key=True)
    relation: Mapped[str] = mapped_column(String(10))


class ReferenceVersion(Base):
    """Which bundled reference file set is loaded: its sha256 and when it was loaded."""

    __tablename__ = "reference_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

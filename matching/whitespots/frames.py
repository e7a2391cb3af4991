"""What the white-spot ranking reads from the store, as DataFrames (a few set-based queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from matching.errors import InvalidInput
from matching.store import models
from matching.store.reference import Municipality, Region, SbiSection
from matching.whitespots.occupations import sbi_division
from matching.whitespots.status import known_condition

SPOT_COLUMNS = (
    "employer_id", "name", "sbi_code", "sbi_section", "municipality_code", "postcode4",
    "employees", "municipality", "region",
)  # fmt: skip
VACANCY_COLUMNS = (
    "occupation_uri", "hours_per_week", "driving_licence_required", "opened_on", "sbi_code",
    "sbi_section", "region",
)  # fmt: skip


SIZE_CLASSES: dict[str, tuple[int, int | None]] = {
    "micro": (0, 9),
    "small": (10, 49),
    "medium": (50, 249),
    "large": (250, None),
}
"""Size classes by number of employees (the EU's SME bounds); ``unknown`` when not known."""
SIZES = (*SIZE_CLASSES, "unknown")


def size_class(employees: int | None) -> str:
    """The size class of an employer with ``employees`` staff.

    >>> [size_class(n) for n in (None, 0, 9, 10, 249, 250)]
    ['unknown', 'micro', 'micro', 'small', 'medium', 'large']
    """
    if employees is None:
        return "unknown"
    for name, (low, high) in SIZE_CLASSES.items():
        if employees >= low and (high is None or employees <= high):
            return name
    return "unknown"


@dataclass(frozen=True)
class WhiteSpotFilter:
    """Which white spots to rank: employer's municipality, labour-market region, SBI section,
    size class (``SIZES``)."""

    municipality: str | None = None
    region: str | None = None
    sbi: str | None = None
    size: str | None = None

    def keeps(self, *, municipality: str, region: str, sbi: str | None, size: str) -> bool:
        """True when an employer with these facts passes the (checked) filter."""
        return (
            self.municipality in (None, municipality)
            and self.region in (None, region)
            and self.sbi in (None, sbi)
            and self.size in (None, size)
        )


def check_filter(session: Session, where: WhiteSpotFilter) -> WhiteSpotFilter:
    """The filter with the SBI letter upper-cased; InvalidInput for unknown codes."""
    if where.municipality is not None and session.get(Municipality, where.municipality) is None:
        raise InvalidInput(f"Onbekende gemeentecode {where.municipality!r} (CBS-code GMxxxx).")
    if where.region is not None and session.get(Region, where.region) is None:
        raise InvalidInput(f"Onbekende arbeidsmarktregio {where.region!r}.")
    sbi = where.sbi.strip().upper() if where.sbi is not None else None
    if sbi is not None and (len(sbi) != 1 or session.get(SbiSection, sbi) is None):
        raise InvalidInput(f"Onbekende SBI-sectie {where.sbi!r} (een letter A–U).")
    if where.size is not None and where.size not in SIZES:
        raise InvalidInput(f"Onbekende grootteklasse {where.size!r}; kies uit {', '.join(SIZES)}.")
    return WhiteSpotFilter(where.municipality, where.region, sbi, where.size)


def spot_frame(
    session: Session,
    where: WhiteSpotFilter,
    *,
    as_of: dt.date,
    since: dt.date | None,
    known: bool = False,
) -> pd.DataFrame:
    """The white-spot employers matching ``where`` (``known``: every employer), with
    municipality name and region."""
    e, m = models.Employer, Municipality
    stmt = (
        select(e.employer_id, e.name, e.sbi_code, e.sbi_section, e.municipality_code,
               e.postcode4, e.employees, m.name, m.region)
        .join(m, m.code == e.municipality_code)
        .order_by(e.employer_id)
    )  # fmt: skip
    if not known:
        stmt = stmt.where(not_(known_condition(as_of=as_of, since=since)))
    if where.municipality is not None:
        stmt = stmt.where(e.municipality_code == where.municipality)
    if where.region is not None:
        stmt = stmt.where(m.region == where.region)
    if where.sbi is not None:
        stmt = stmt.where(e.sbi_section == where.sbi)
    frame = pd.DataFrame(session.execute(stmt).all(), columns=list(SPOT_COLUMNS))
    sizes = [size_class(None if pd.isna(n) else int(n)) for n in frame["employees"]]
    frame = frame.assign(sbi_division=[sbi_division(c) for c in frame["sbi_code"]], size=sizes)
    if where.size is not None:
        frame = frame.loc[frame["size"] == where.size].reset_index(drop=True)
    return frame


def vacancy_frame(session: Session) -> pd.DataFrame:
    """Every vacancy with its occupation, hours, licence, date, employer SBI and region."""
    v, e, m = models.Vacancy, models.Employer, Municipality
    stmt = (
        select(v.occupation_uri, v.hours_per_week, v.driving_licence_required, v.opened_on,
               e.sbi_code, e.sbi_section, m.region)
        .join(e, e.employer_id == v.employer_id)
        .join(m, m.code == v.municipality_code)
    )  # fmt: skip
    frame = pd.DataFrame(session.execute(stmt).all(), columns=list(VACANCY_COLUMNS))
    return frame.assign(sbi_division=[sbi_division(c) for c in frame["sbi_code"]])


def sector_demand(vacancies: pd.DataFrame, *, as_of: dt.date, days: int = 365) -> pd.Series:
    """Vacancies opened in the ``days`` up to ``as_of``, per (region, SBI section)."""
    opened = pd.to_datetime(vacancies["opened_on"])
    start = pd.Timestamp(as_of - dt.timedelta(days=days - 1))
    recent = vacancies.loc[(opened >= start) & (opened <= pd.Timestamp(as_of))]
    recent = recent.loc[recent["sbi_section"].notna()]
    return recent.groupby(["region", "sbi_section"]).size()


def section_names(session: Session) -> dict[str, str]:
    """SBI section letter → Dutch name."""
    return {code: name for code, name in session.execute(select(SbiSection.code, SbiSection.name))}

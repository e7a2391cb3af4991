"""Implausible data: values that parse but cannot be true, refused with a reason in Dutch.

Dates outside a window around today (year 1, 9999), invisible characters in ids and names
(zero-width characters and the right-to-left and other bidi controls, which make two
different ids look alike or turn ``exe.doc`` around on screen), and, for placements, a hire
on a vacancy whose positions are all taken or a person placed twice at the same time.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field

from matching.dutch import long_date
from matching.errors import InvalidInput

MAX_EMPLOYEES = 1_000_000  # the largest Dutch employers have some 100,000 staff


@dataclass(frozen=True)
class DateWindow:
    """Dates from ``years_back`` years before today up to ``years_ahead`` years after it."""

    years_back: int = 50
    years_ahead: int = 10
    today: dt.date = field(default_factory=dt.date.today)

    @property
    def first(self) -> dt.date:
        """The earliest plausible date (1 January of its year)."""
        return dt.date(max(self.today.year - self.years_back, dt.MINYEAR), 1, 1)

    @property
    def last(self) -> dt.date:
        """The latest plausible date (31 December of its year)."""
        return dt.date(min(self.today.year + self.years_ahead, dt.MAXYEAR), 12, 31)

    def reason(self, day: dt.date) -> str | None:
        """Why ``day`` is implausible, or None.

        >>> DateWindow(50, 10, dt.date(2026, 12, 3)).reason(dt.date(1, 1, 1))
        '1 januari 1 ligt niet tussen 1 januari 1976 en 31 december 2036: een tikfout?'
        """
        if self.first <= day <= self.last:
            return None
        window = f"{long_date(self.first)} en {long_date(self.last)}"
        return f"{long_date(day)} ligt niet tussen {window}: een tikfout?"

    def check(self, day: dt.date, *, field: str) -> None:
        """InvalidInput naming ``field`` when ``day`` is implausible."""
        reason = self.reason(day)
        if reason is not None:
            raise InvalidInput(f"{field}: {reason}")


def invisible_reason(text: str) -> str | None:
    """Why ``text`` may not be an id or a name: it holds invisible or direction characters.

    >>> invisible_reason("K\\u200b1")
    'bevat een onzichtbaar teken (U+200B, zero width space): typ de waarde opnieuw'
    >>> invisible_reason("Bakkerij Duin") is None
    True
    """
    for char in text:
        if unicodedata.category(char) == "Cf":  # format characters: zero-width, bidi, BOM, …
            name = unicodedata.name(char, "control").lower()
            return f"bevat een onzichtbaar teken (U+{ord(char):04X}, {name}): typ de waarde opnieuw"
    return None


def check_visible(text: str | None, *, field: str) -> None:
    """InvalidInput naming ``field`` when ``text`` holds invisible or direction characters."""
    reason = invisible_reason(text) if text else None
    if reason is not None:
        raise InvalidInput(f"{field} {reason}")


@dataclass(frozen=True)
class Period:
    """A placement's period; ``end`` None while it runs."""

    placement_id: str
    start: dt.date
    end: dt.date | None

    def overlaps(self, other: Period) -> bool:
        """Whether both run on a common day after the first's start (back to back is fine).

        >>> a = Period("P1", dt.date(2026, 1, 1), dt.date(2026, 3, 1))
        >>> later, during = dt.date(2026, 3, 1), dt.date(2026, 2, 1)
        >>> a.overlaps(Period("P2", later, None)), a.overlaps(Period("P3", during, None))
        (False, True)
        """
        starts_before_other_ends = other.end is None or self.start < other.end
        ends_after_other_starts = self.end is None or other.start < self.end
        return starts_before_other_ends and ends_after_other_starts


def placement_conflict(
    new: Period, person: list[Period], vacancy: list[Period], positions: int
) -> str | None:
    """Why a placement cannot be: the person works elsewhere then, or the vacancy is full.

    ``person``: the person's other placements; ``vacancy``: the vacancy's (both may include
    ``new`` itself under its id, which is skipped: a re-import is no conflict). Other
    placements' ids are not shown: they name other people.
    """
    for other in person:
        if other.placement_id != new.placement_id and new.overlaps(other):
            return (
                f"de werkzoekende heeft dan al een plaatsing (vanaf {long_date(other.start)}"
                f"{'' if other.end is None else ' tot ' + long_date(other.end)}): een persoon "
                "kan niet twee keer tegelijk geplaatst zijn"
            )
    taken = [o for o in vacancy if o.placement_id != new.placement_id and new.overlaps(o)]
    if len(taken) >= positions:
        places = "de plaats is" if positions == 1 else f"alle {positions} plaatsen zijn"
        return f"de vacature is al vervuld: {places} dan bezet"
    return None

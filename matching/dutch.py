"""How a user reads our values: Dutch numbers, percentages, dates and times, and Dutch words for
the codes we store.

The one formatting helper of the pages (``api.pages.rendering`` registers these as template
filters), the evaluation report, the command line and the exports. Times are shown in
Europe/Amsterdam; a naive datetime is taken to be UTC (the store keeps UTC).

>>> number(1234.5, 1), percent(0.387, 1), date_nl(dt.date(2026, 12, 3))
('1.234,5', '38,7\\xa0%', '03-12-2026')
>>> long_date(dt.date(2026, 12, 3)), month_nl("2026-03")
('3 december 2026', 'maart 2026')
>>> time_nl(dt.datetime(2026, 7, 1, 10, 5, tzinfo=dt.UTC))
'01-07-2026 12:05'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december",
)  # fmt: skip


def number(value: float | int | None, digits: int = 0) -> str:
    """A number the Dutch way (decimal comma, groups by a dot); '–' for None or NaN; a
    value that rounds to zero without a minus sign.

    >>> number(-0.001, 2), number(-1234.5)
    ('0,00', '-1.234')
    """
    if value is None or value != value:
        return "–"
    if round(value, digits) == 0:
        value = 0  # not '-0,00'
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def signed(value: float, digits: int = 0) -> str:
    """A number with its sign, as a weight or a shift: ``+0,12``, ``-0,09``, ``+0,00``.

    >>> signed(0.12, 2), signed(-0.09, 2), signed(-0.001, 2)
    ('+0,12', '-0,09', '+0,00')
    """
    return ("+" if round(value, digits) >= 0 else "") + number(value, digits)


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a Dutch percentage: 0.385 → 38,5 % (a non-breaking space before the sign)."""
    return "–" if value is None or value != value else number(100 * value, digits) + "\u00a0%"


def _day(value: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return local_time(value).date()
    return value


def date_nl(value: dt.date | dt.datetime | str | None) -> str:
    """A date as dd-mm-jjjj ('–' for None); a datetime's date in Amsterdam."""
    return "–" if value is None else _day(value).strftime("%d-%m-%Y")


def long_date(value: dt.date | dt.datetime | str) -> str:
    """A date in words: ``3 december 2026``."""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_nl(value: str | dt.date) -> str:
    """A month (``2026-03`` or a date in it) in words: ``maart 2026``."""
    day = dt.date.fromisoformat(f"{value[:7]}-01") if isinstance(value, str) else value
    return f"{MONTHS[day.month - 1]} {day.year}"


def local_time(moment: dt.datetime) -> dt.datetime:
    """``moment`` in Europe/Amsterdam (naive datetimes are UTC, as the store keeps them)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(AMSTERDAM)


def clock(moment: dt.datetime) -> str:
    """The time of day in Amsterdam: ``14:05``."""
    return local_time(moment).strftime("%H:%M")


def time_nl(moment: dt.datetime | None) -> str:
    """Date and time in Amsterdam: ``03-12-2026 14:05`` ('–' for None)."""
    return "–" if moment is None else local_time(moment).strftime("%d-%m-%Y %H:%M")


def label(labels: Mapping[str, str], value: Any) -> str:
    """The Dutch word for a code ('–' for a missing one; an unknown code as it is)."""
    if value is None or value == "":
        return "–"
    return labels.get(str(value), str(value))


TARGET_GROUPS = {
    "regulier": "Regulier",
    "doelgroepregister": "Doelgroepregister (banenafspraak)",
    "statushouder": "Statushouder",
    "nug": "Niet-uitkeringsgerechtigd (NUG)",
}
ORIGINS = {"own": "eigen gemeente", "fallback": "terugval (andere gemeente)"}
"""A placement's origin: the job seeker of the vacancy's own municipality, or of another one."""
CONTRACTS = {
    "regular": "Regulier",
    "trial": "Proefplaatsing",
    "work_experience": "Werkervaringsplaats",
    "subsidised": "Met loonkostensubsidie",
}
PROPOSAL_OUTCOMES = {
    "pending": "Nog geen besluit",
    "hired": "Aangenomen",
    "rejected": "Afgewezen",
    "withdrawn": "Teruggetrokken",
}
ROLES = {
    "accountmanager": "Accountmanager",
    "jobhunter": "Jobhunter",
    "evaluator": "Projectleider (evaluatie)",
    "admin": "Beheerder",
}
"""A user's role in words (pages and command line)."""
FILE_KINDS = {
    "candidates": "werkzoekenden", "employers": "werkgevers", "vacancies": "vacatures",
    "contacts": "contacten", "proposals": "voorstellen", "placements": "plaatsingen",
    "instruments": "instrumenten", "programmes": "programma's", "enrolments": "trajecten",
}  # fmt: skip
"""What an exchange file holds, in the words of the import report (page and command line)."""
CONTACT_KINDS = {"letter": "Brief of e-mail", "call": "Gebeld", "visit": "Bezoek",
                 "meeting": "Gesprek"}  # fmt: skip
CONTACT_OUTCOMES = {
    "": "Nog onbekend",
    "none": "Geen reactie",
    "interest": "Interesse",
    "appointment": "Afspraak gemaakt",
    "vacancy": "Vacature",
    "no_interest": "Geen interesse",
}
"""The one vocabulary of an acquisition contact's outcome on every page (the exchange format's
``contact_outcome``; empty: not known yet)."""
GENDERS = {"m": "man", "v": "vrouw", "x": "anders"}
AGE_BANDS = {"<27": "jonger dan 27", "27-44": "27 tot 45", "45-54": "45 tot 55",
             "55+": "55 en ouder"}  # fmt: skip
LANGUAGES = {
    "nl": "Nederlands", "en": "Engels", "de": "Duits", "fr": "Frans", "es": "Spaans",
    "ar": "Arabisch", "tr": "Turks", "pl": "Pools", "uk": "Oekraïens", "ru": "Russisch",
    "ti": "Tigrinya", "so": "Somalisch", "fa": "Perzisch (Farsi)", "it": "Italiaans",
    "pt": "Portugees", "ro": "Roemeens", "bg": "Bulgaars",
}  # fmt: skip

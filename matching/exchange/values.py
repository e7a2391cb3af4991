"""Reading one cell: pure parsers that return the typed value or raise CellError with a reason."""

from __future__ import annotations

import datetime as dt
import re

from matching.bsn import BSN_REASON, contains_bsn, elfproef
from matching.columns import LANGUAGE_NAMES, Vocabulary
from matching.plausibility import DateWindow, invisible_reason

ESCO_PREFIX = "http://data.europa.eu/esco/"
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?")
_DUTCH_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_SHORT_YEAR = re.compile(r"\d{1,2}([-/.])\d{1,2}\1\d{2}")
_INT = re.compile(r"[+-]?\d+(?:\.0*)?")
_BSN = re.compile(r"\d{9}")


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the user."""


class SensitiveCell(CellError):
    """A cell refused because of what it may be (a BSN); its value is never echoed back."""


def parse_int(raw: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """A whole number within [minimum, maximum]; ``32.0`` (as Excel writes it) reads as 32."""
    if not _INT.fullmatch(raw):
        raise CellError(f"'{raw}' is geen geheel getal")
    value = int(float(raw)) if "." in raw else int(raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise CellError(f"{value} valt buiten het bereik {_range(minimum, maximum)}")
    return value


def _range(minimum: int | None, maximum: int | None) -> str:
    if maximum is None:
        return f"(ten minste {minimum})"
    if minimum is None:
        return f"(ten hoogste {maximum})"
    return f"{minimum}–{maximum}"


def parse_date(raw: str) -> dt.date:
    """A date as ISO ``YYYY-MM-DD`` or as Dutch Excel writes it, ``dd-mm-jjjj`` or ``d-m-jjjj``
    (also with ``/`` or ``.``), that exists in the calendar; a two-digit year is refused as
    ambiguous.

    >>> parse_date("2024-02-29"), parse_date("3-12-2026"), parse_date("03/12/2026")
    (datetime.date(2024, 2, 29), datetime.date(2026, 12, 3), datetime.date(2026, 12, 3))
    """
    if match := _ISO_DATE.fullmatch(raw):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DUTCH_DATE.fullmatch(raw):
        day, month, year = (int(match.group(i)) for i in (1, 3, 4))
    elif _SHORT_YEAR.fullmatch(raw):
        raise CellError(
            f"'{raw}' is dubbelzinnig: schrijf het jaar met vier cijfers (dd-mm-jjjj of jjjj-mm-dd)"
        )
    else:
        raise CellError(
            f"'{raw}' is geen datum: schrijf dd-mm-jjjj (3-12-2026) of jjjj-mm-dd (2026-12-03)"
        )
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise CellError(f"'{raw}' bestaat niet in de kalender") from error


def parse_enum(raw: str, vocabulary: Vocabulary) -> str:
    """The canonical value of ``raw`` in ``vocabulary`` (Dutch and English synonyms included)."""
    value = vocabulary.canonical(raw)
    if value is None:
        allowed = ", ".join(vocabulary.values)
        raise CellError(f"'{raw}' is geen van: {allowed}")
    return value


def parse_bool(raw: str, vocabulary: Vocabulary) -> bool:
    """``true``/``false``, also ``ja``/``nee``, ``1``/``0``, ``yes``/``no``."""
    value = vocabulary.canonical(raw)
    if value is None:
        raise CellError(f"'{raw}' is geen ja/nee-waarde: schrijf ja of nee (true/false, 1/0)")
    return value == "true"


def parse_municipality(raw: str) -> str:
    """A CBS municipality code ``GM0575``; ``gm575``, ``0575`` and ``575`` are read as it."""
    compact = raw.replace(" ", "").upper()
    match = re.fullmatch(r"(?:GM)?(\d{1,4})", compact)
    if match is None:
        raise CellError(f"'{raw}' is geen CBS-gemeentecode zoals GM0575")
    return "GM" + match.group(1).zfill(4)


def parse_pc4(raw: str) -> tuple[str, bool]:
    """A four-digit postcode, and whether it was cut from a full postcode (``2201 AB``)."""
    compact = raw.replace(" ", "").upper()
    if re.fullmatch(r"[1-9]\d{3}", compact):
        return compact, False
    if re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", compact):
        return compact[:4], True
    raise CellError(f"'{raw}' is geen postcode van vier cijfers zoals 2201")


def parse_sbi(raw: str) -> str:
    """An SBI code: a section letter (``I``) or 2–5 digits (``5610``, ``56.10`` → ``5610``)."""
    compact = raw.replace(".", "").replace(" ", "").upper()
    if re.fullmatch(r"[A-Z]|\d{2,5}", compact):
        return compact
    raise CellError(f"'{raw}' is geen SBI-code (een sectieletter of 2–5 cijfers)")


def split_list(raw: str) -> list[str]:
    """The items of a ``;``-separated cell, trimmed, empty items dropped."""
    return [item.strip() for item in raw.split(";") if item.strip()]


def parse_language(item: str) -> str:
    """An ISO 639-1 code (``nl``), or a language name users write (``Nederlands`` → ``nl``)."""
    code = item.lower()
    if re.fullmatch(r"[a-z]{2}", code):
        return code
    named = LANGUAGE_NAMES.canonical(item)
    if named is None:
        raise CellError(f"'{item}' is geen taalcode van twee letters zoals nl of en")
    return named


def is_uri(item: str) -> bool:
    """True when an item is a URI rather than free text."""
    return item.startswith(("http://", "https://"))


def check_not_bsn(raw: str) -> None:
    """SensitiveCell when ``raw`` looks like a BSN."""
    reason = bsn_reason(raw)
    if reason is not None:
        raise SensitiveCell(reason)


def bsn_reason(raw: str) -> str | None:
    """Why an id must be refused as a possible BSN, or None when it is not BSN-like."""
    compact = raw.replace(" ", "").replace(".", "").replace("-", "")
    if not _BSN.fullmatch(compact):
        return None
    kind = "de elfproef van een BSN doorstaat" if elfproef(compact) else "de vorm van een BSN heeft"
    return (
        f"een nummer van 9 cijfers dat {kind}; werkmatch slaat nooit een BSN op: "
        "gebruik het (pseudonieme) klantnummer uit uw eigen systeem"
    )


def check_free_text(raw: str) -> str:
    """``raw``, or SensitiveCell when the text holds a BSN (the number is never echoed)."""
    if contains_bsn(raw):
        raise SensitiveCell(f"de tekst {BSN_REASON}")
    return raw


def plausible(day: dt.date, window: DateWindow) -> dt.date:
    """``day``, or CellError when it lies outside the plausible window (year 1, 9999)."""
    reason = window.reason(day)
    if reason is not None:
        raise CellError(reason)
    return day


def check_visible(raw: str) -> str:
    """``raw``, or CellError when it holds zero-width or direction characters."""
    reason = invisible_reason(raw)
    if reason is not None:
        raise CellError(f"de waarde {reason}")
    return raw


_PAIR = re.compile(r"([^:]+):(.+)")
_MOMENT = re.compile(r"(?:eind|end)(?:\s*\+\s*(\d{1,3}))?|(\d{1,3})")


def parse_pairs(raw: str, *, minimum: int = 0) -> tuple[str, ...]:
    """``name:number`` items (``intake:1;werving:2``) as canonical ``name:number`` texts, names
    unique; a number below ``minimum`` is refused.

    >>> parse_pairs("intake: 1 ; werving:2", minimum=1)
    ('intake:1', 'werving:2')
    """
    items, seen = [], set()
    for item in split_list(raw):
        match = _PAIR.fullmatch(item)
        if match is None:
            raise CellError(f"'{item}' is geen naam:aantal (zoals intake:1)")
        name = check_free_text(check_visible(match.group(1).strip()))
        number = parse_int(match.group(2).strip(), minimum=minimum)
        if name.lower() in seen:
            raise CellError(f"'{name}' staat twee keer in de lijst")
        seen.add(name.lower())
        items.append(f"{name}:{number}")
    return tuple(items)


def parse_dated(raw: str) -> tuple[str, ...]:
    """``name:date`` items (``intake:2026-01-05;werving:01-02-2026``) as ``name:YYYY-MM-DD``,
    dates not running backwards.

    >>> parse_dated("intake:2026-01-05; werving:01-02-2026")
    ('intake:2026-01-05', 'werving:2026-02-01')
    """
    items: list[str] = []
    last: dt.date | None = None
    for item in split_list(raw):
        match = _PAIR.fullmatch(item)
        if match is None:
            raise CellError(f"'{item}' is geen fase:datum (zoals intake:2026-01-05)")
        name = check_free_text(check_visible(match.group(1).strip()))
        day = parse_date(match.group(2).strip())
        if last is not None and day < last:
            raise CellError(f"fase '{name}' begint op {day}, vóór de fase ervoor ({last})")
        last = day
        items.append(f"{name}:{day.isoformat()}")
    return tuple(items)


def parse_moments(raw: str) -> tuple[str, ...]:
    """Evaluation moments: months after the start (``1;3;11``), ``eind`` (the end date) or
    ``eind+N`` (N months after the end).

    >>> parse_moments("1; 3;11;eind;Eind + 12")
    ('1', '3', '11', 'eind', 'eind+12')
    """
    items = []
    for item in split_list(raw):
        match = _MOMENT.fullmatch(item.lower())
        if match is None:
            raise CellError(f"'{item}' is geen moment: schrijf maanden (3), eind of eind+12")
        after, months = match.groups()
        items.append(months if months is not None else "eind" + (f"+{after}" if after else ""))
    return tuple(items)

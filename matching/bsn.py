"""BSNs (burgerservicenummers) in text: werkmatch never stores one, so it must recognise them.

A BSN is 9 digits passing the eleven test (elfproef). In free text people write it in one
piece (``123456782``) or in groups (``1234.56.782``, ``123 456 782``, ``123-456-782``); the
detector takes a run of digit groups joined by single spaces, dots or hyphens and tries every
stretch of whole groups that holds exactly 9 digits. A group is never cut: ``0612345678`` (a
phone number, 10 digits) is no BSN, but ``BSN 123456782 12`` is found. Errors never repeat
the number.
"""

from __future__ import annotations

import re

from matching.errors import InvalidInput

BSN_DIGITS = 9
_RUN = re.compile(r"[0-9]+(?:[ .\-\u00a0][0-9]+)*")
_SEPARATOR = re.compile(r"[ .\-\u00a0]")
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
BSN_REASON = (
    "bevat een nummer van 9 cijfers dat de elfproef van een BSN doorstaat; werkmatch slaat "
    "nooit een BSN op: haal het nummer weg (het nummer zelf wordt nergens getoond of bewaard)"
)


def elfproef(digits: str) -> bool:
    """The BSN eleven test: sum of digit × (9, 8, …, 2, -1) is a non-zero multiple of 11.

    >>> elfproef("123456782"), elfproef("123456789"), elfproef("000000000")
    (True, False, False)
    """
    total = sum(int(digit) * weight for digit, weight in zip(digits, _WEIGHTS, strict=True))
    return total != 0 and total % 11 == 0


def contains_bsn(text: str) -> bool:
    """True when ``text`` holds a 9-digit number passing the elfproef (module doc).

    >>> contains_bsn("BSN 123456782 heftruck"), contains_bsn("bsn: 1234.56.782")
    (True, True)
    >>> contains_bsn("tel 0612345678"), contains_bsn("123456789"), contains_bsn("schoonmaker")
    (False, False, False)
    """
    for run in _RUN.finditer(text):
        if len(run.group()) >= BSN_DIGITS and _groups_hold_bsn(_SEPARATOR.split(run.group())):
            return True
    return False


def _groups_hold_bsn(groups: list[str]) -> bool:
    """Whether consecutive whole groups join to 9 digits passing the elfproef."""
    for start in range(len(groups)):
        digits = ""
        for group in groups[start:]:
            digits += group
            if len(digits) >= BSN_DIGITS:
                break
        if len(digits) == BSN_DIGITS and elfproef(digits):
            return True
    return False


def refuse_bsn(text: str | None, *, field: str) -> None:
    """InvalidInput naming ``field`` (Dutch) when ``text`` holds a BSN; the number is not shown."""
    if text and contains_bsn(text):
        raise InvalidInput(f"{field} {BSN_REASON}")

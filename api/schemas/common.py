"""Schemas shared by several routers, and the date types of queries and bodies."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, WithJsonSchema


class Health(BaseModel):
    """Health check answer."""

    status: str
    version: str


class CompetencePublic(BaseModel):
    """A competence or occupation item: original text and its ESCO concept."""

    model_config = ConfigDict(from_attributes=True)

    text: str
    uri: str | None
    score: float | None
    needs_review: bool


class ErrorPublic(BaseModel):
    """An error answer: what went wrong, in words."""

    detail: str


class FieldErrorPublic(BaseModel):
    """One problem FastAPI found while validating a request."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class InvalidRequestPublic(BaseModel):
    """A 422: the request's problems per field, or a message when the core refused the input."""

    detail: str | list[FieldErrorPublic]


PLAUSIBLE_YEARS = "1900–2999"
_DAY = r"(19\d\d|2\d\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
DATE_PATTERN = f"^{_DAY}$"
DATETIME_PATTERN = (
    f"^{_DAY}"
    r"[Tt]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)
"""Dates and times a request may name: ISO 8601 text (not a number of seconds) in the years
1900–2999, wide enough for any real filter and narrow enough that date arithmetic (a year
back, a look-back window, a time zone) stays inside what Python and the stores can hold. The
same pattern is in the OpenAPI schema, so the documentation and the check agree."""


def _written_as(pattern: str, message: str) -> BeforeValidator:
    compiled = re.compile(pattern)

    def check(value: object) -> object:
        if isinstance(value, dt.date):  # a default, or a value built in Python
            return value
        if not (isinstance(value, str) and compiled.fullmatch(value)):  # e.g. 0 in JSON
            raise ValueError(message)
        return value

    return BeforeValidator(check)


def _implausible(example: str) -> str:
    return f"geen plausibele datum: schrijf bijvoorbeeld {example}, jaar {PLAUSIBLE_YEARS}"


DateParam = Annotated[
    dt.date,
    _written_as(DATE_PATTERN, _implausible("2026-12-03")),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
"""A date in a query: ``jjjj-mm-dd`` text, years 1900–2999."""
DateText = Annotated[
    dt.date,
    _written_as(r"\d{4}-\d{2}-\d{2}", "geen datum: schrijf bijvoorbeeld 2026-12-03"),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A date in a JSON body: ``jjjj-mm-dd`` text, not a number. Whether it is plausible is the
core's to say (``matching.plausibility``, a window configured around today)."""
DateTimeParam = Annotated[
    dt.datetime,
    _written_as(DATETIME_PATTERN, _implausible("2026-12-03T09:30:00Z")),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
"""A time in a query: RFC 3339 (seconds and offset required), years 1900–2999."""


def _a_json_number(value: object) -> object:
    """JSON Schema's integer is a number without a fraction (3 or 3.0), never true or "3"."""
    if isinstance(value, bool | str):
        raise ValueError("geen geheel getal")
    return value


JSON_INTEGER = BeforeValidator(_a_json_number)
"""For an integer in a JSON body, as JSON Schema means it (pydantic's lax mode took true and
"3"). Put bounds before it (``Annotated[int, Field(ge=1), JSON_INTEGER]``): after it, pydantic
writes them into the schema as "ge"/"le" instead of minimum/maximum."""

"""The bodies of the VUM source contracts (``VUM-Bron-WerkzoekendeProfielen``,
``VUM-Bron-Vacatures``, API 3.0.0), under the contracts' own names.

A ``vraagObject`` (zoekvraag) names the selection properties the contract lists, each an
operator object, and the required ``selectiegebied``; other properties are allowed, as in the
contract, and the evaluator (``matching.vum.query``) refuses what it does not know with 400.
The detail and summary bodies are the data model's (``matching.vum.model``).
"""

# ruff: noqa: N815  (property names are the standard's own, in its camelCase)
from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from api.schemas.common import JSON_INTEGER
from matching.vum import model as vm


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("null is geen voorwaarde")
    return value


Condition = Annotated[
    dict[str, Any] | None, BeforeValidator(_not_null), WithJsonSchema({"type": "object"})
]
"""An operator object of the zoekvraag (``{"$gte": 32}``); left out when not used."""


def _condition(path: str) -> Any:
    return Field(default=None, alias=path)


class Selectiegebied(BaseModel):
    """Where to search: a postcode (1234AB) and a distance in km around it."""

    afstand: Annotated[int, Field(ge=0, le=999), JSON_INTEGER]
    postcode: Annotated[str, Field(pattern=r"^[0-9]{4}[a-zA-Z]{2}$")]


class _Zoekvraag(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=False)

    selectiegebied: Selectiegebied

    def query(self) -> dict[str, Any]:
        """The zoekvraag as sent (the properties given, under their own names)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


class MPWerkzoekende(_Zoekvraag):
    """A zoekvraag over job seekers' profiles."""

    bemiddelingsberoep: Condition = None
    contractvorm: Condition = None
    flexibiliteit_onregelmatig: Condition = _condition(
        "flexibiliteit.indicatieOnregelmatigWerkOfPloegendienst"
    )
    rijbewijs: Condition = _condition("arbeidsmarktkwalificatie.rijbewijs")
    taalbeheersing: Condition = _condition("arbeidsmarktkwalificatie.taalbeheersing")
    datumAanvangBeschikbaarVoorWerk: Condition = None
    kantoortijden: Condition = _condition("werktijden.indicatieKantoortijden")
    uren_maximaal: Condition = _condition("werktijden.aantalWerkurenPerWeekMaximaal")
    uren_minimaal: Condition = _condition("werktijden.aantalWerkurenPerWeekMinimaal")


class MPVacature(_Zoekvraag):
    """A zoekvraag over vacancies."""

    beroep: Condition = _condition("beroep.codeBeroepsnaam")
    codeWerkEnDenkniveauMinimaal: Condition = None
    datumAanvangWerkzaamheden: Condition = None
    flexibiliteit_onregelmatig: Condition = _condition(
        "flexibiliteit.indicatieOnregelmatigWerkOfPloegendienst"
    )
    rijbewijs: Condition = None
    taalbeheersing: Condition = None
    uren_maximaal: Condition = _condition("werktijden.aantalWerkurenPerWeekMaximaal")
    uren_minimaal: Condition = _condition("werktijden.aantalWerkurenPerWeekMinimaal")


class WerkzoekendeProfielMatchesRequest(BaseModel):
    """``POST /werkzoekendeProfielen/matches``."""

    model_config = ConfigDict(extra="forbid")

    vraagObject: MPWerkzoekende


class VacatureMatchesRequest(BaseModel):
    """``POST /vacatures/matches``."""

    vraagObject: MPVacature


class WerkzoekendeMatches(BaseModel):
    """The answer to a zoekvraag over job seekers: at most the maximum, nearest first."""

    maximumAantalResultatenBereikt: bool
    matches: list[vm.WerkzoekendeSummary]


class VacatureMatches(BaseModel):
    """The answer to a zoekvraag over vacancies."""

    maximumAantalResultatenBereikt: bool
    matches: list[vm.VacatureSummary]


class VumError(BaseModel):
    """The contract's ``Error``: a code (the HTTP status), a message and details in Dutch."""

    code: Annotated[str, Field(max_length=10)]
    message: Annotated[str, Field(max_length=500)]
    details: Annotated[str, Field(max_length=2000)] | None = None

"""werkmatch as a VUM source: the two source contracts under ``/vum/v3``.

``POST /vum/v3/werkzoekendeProfielen/matches`` and ``POST /vum/v3/vacatures/matches`` evaluate a
zoekvraag, ``GET …/{id}`` returns a detail (``matching.vum.source``). As the contracts say: the
headers ``X-VUM-berichtVersie``, ``X-VUM-fromParty``, ``X-VUM-toParty``, ``X-VUM-viaParty``,
``X-VUM-SUWIparty`` and ``API-Version`` are required (versions 3.0.0); every answer carries
the versions and the parties, from and to swapped (the asking party is who we answer to); a
refusal is the contract's ``Error`` body, an invalid request 400 rather than 422. Who may call:
an API token's principal (``api.roles``), scoped by its organisation.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from api.deps import CurrentUser, SessionDep, SettingsDep
from api.schemas.vum import (
    VacatureMatches,
    VacatureMatchesRequest,
    VumError,
    WerkzoekendeMatches,
    WerkzoekendeProfielMatchesRequest,
)
from matching.bsn import BSN_REASON, contains_bsn
from matching.errors import InvalidInput, NotFound
from matching.vum import model as vm
from matching.vum import source
from matching.vum.query import QueryError
from matching.vum.reading import dutch_reason

VERSION = "3.0.0"
SAFE_ID = r"^[a-zA-Z0-9_.-]{0,200}$"
ECHOED = {  # our answer's header ← the request's header
    "X-VUM-fromParty": "X-VUM-toParty",
    "X-VUM-toParty": "X-VUM-fromParty",
    "X-VUM-viaParty": "X-VUM-viaParty",
}
MESSAGES = {
    400: "Ongeldig verzoek",
    401: "Niet aangemeld: stuur 'Authorization: Bearer <token>'",
    403: "Deze rol mag dit niet",
    404: "Niet gevonden",
    405: "Deze methode kan hier niet",
}


def vum_error(status: int, details: str | None = None, **headers: str) -> JSONResponse:
    """The contract's ``Error`` body with ``status``."""
    body = VumError(code=str(status), message=MESSAGES.get(status, "Fout"), details=details)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


class VumRoute(APIRoute):
    """A route that answers as the VUM contracts say, whatever the outcome (module doc)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                response = await handler(request)
            except RequestValidationError as error:
                response = vum_error(400, _problems(error))
            except HTTPException as error:
                response = vum_error(error.status_code, **(error.headers or {}))
            except NotFound as error:
                response = vum_error(404, str(error))
            except InvalidInput as error:  # e.g. NaN in the body (api.deps)
                response = vum_error(400, str(error))
            _echo(request, response)
            return response

        return answer


def _problems(error: RequestValidationError) -> str:
    """Where and why the request is invalid, in Dutch; never a submitted value."""
    problems = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem.get("loc", ()))
        reason = dutch_reason(problem)
        problems.append(f"{where}: {f'dit veld {BSN_REASON}' if contains_bsn(reason) else reason}")
    return "; ".join(problems)[:2000]


def _echo(request: Request, response: Response) -> None:
    response.headers["X-VUM-berichtVersie"] = VERSION
    response.headers["API-Version"] = VERSION
    for ours, theirs in ECHOED.items():
        if (value := request.headers.get(theirs)) is not None:
            response.headers[ours] = value


def vum_party(
    bericht_versie: Annotated[Literal["3.0.0"], Header(alias="X-VUM-berichtVersie")],
    from_party: Annotated[str, Header(alias="X-VUM-fromParty")],
    to_party: Annotated[str, Header(alias="X-VUM-toParty")],
    via_party: Annotated[str, Header(alias="X-VUM-viaParty")],
    suwi_party: Annotated[bool, Header(alias="X-VUM-SUWIparty")],
    api_version: Annotated[Literal["3.0.0"], Header(alias="API-Version")],
) -> source.Party:
    """The VUM headers of the call (checked by their declared types)."""
    return source.Party(from_party, to_party, via_party, suwi_party)


PartyDep = Annotated[source.Party, Depends(vum_party)]
_HEADERS = {
    name: {"schema": {"type": "string", **({"enum": [VERSION]} if "ersi" in name else {})}}
    for name in ("X-VUM-berichtVersie", *ECHOED, "API-Version")
}


def _responses(ok: type[BaseModel], *errors: int) -> dict[int | str, dict[str, Any]]:
    answers: dict[int | str, dict[str, Any]] = {
        200: {"model": ok, "description": "OK", "headers": _HEADERS}
    }
    for status in (400, 401, 403, *errors):
        answers[status] = {"model": VumError, "description": MESSAGES[status], "headers": _HEADERS}
    return answers


werkzoekenden = APIRouter(
    prefix="/vum/v3/werkzoekendeProfielen", tags=["vum-werkzoekenden"], route_class=VumRoute
)
vacatures = APIRouter(prefix="/vum/v3/vacatures", tags=["vum-vacatures"], route_class=VumRoute)


@werkzoekenden.post(
    "/matches",
    operation_id="MatchesWerkzoekendeProfielen",
    response_model=None,
    responses=_responses(WerkzoekendeMatches),
)
def match_werkzoekenden(
    body: WerkzoekendeProfielMatchesRequest,
    party: PartyDep,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> Response:
    """Zoekopdracht voor MatchingProfielen Werkzoekende: the visible job seekers in the
    selectiegebied that satisfy the zoekvraag, nearest first (at most
    ``WERKMATCH_VUM_MAX_RESULTS``); another organisation's only with regional consent."""
    zoekvraag = body.vraagObject.query()
    return _match(source.WERKZOEKENDEN, zoekvraag, party, session, principal, settings)


@werkzoekenden.get(
    "/{idWerkzoekende}",
    operation_id="getWerkzoekendeProfiel",
    response_model=None,
    responses=_responses(vm.Werkzoekende, 404),
)
def get_werkzoekende(
    id_werkzoekende: Annotated[str, Path(alias="idWerkzoekende", pattern=SAFE_ID)],
    party: PartyDep,
    session: SessionDep,
    principal: CurrentUser,
) -> Response:
    """Vraag detailprofielen op bij opgegeven idWerkzoekende (404 when not visible)."""
    return _detail(source.WERKZOEKENDEN, id_werkzoekende, party, session, principal)


@vacatures.post(
    "/matches",
    operation_id="MatchesVacatures",
    response_model=None,
    responses=_responses(VacatureMatches),
)
def match_vacatures(
    body: VacatureMatchesRequest,
    party: PartyDep,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> Response:
    """Zoekopdracht voor Vacatures: the open vacancies in the selectiegebied that satisfy the
    zoekvraag, nearest first (at most ``WERKMATCH_VUM_MAX_RESULTS``)."""
    zoekvraag = body.vraagObject.query()
    return _match(source.VACATURES, zoekvraag, party, session, principal, settings)


@vacatures.get(
    "/{idVacature}",
    operation_id="getVacature",
    response_model=None,
    responses=_responses(vm.Vacature, 404),
)
def get_vacature(
    id_vacature: Annotated[str, Path(alias="idVacature", pattern=SAFE_ID)],
    party: PartyDep,
    session: SessionDep,
    principal: CurrentUser,
) -> Response:
    """Vraag volledige vacature op bij opgegeven idVacature (404 when not open)."""
    return _detail(source.VACATURES, id_vacature, party, session, principal)


def _match(
    domain: source.Domain,
    zoekvraag: dict[str, Any],
    party: source.Party,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
) -> Response:
    """The search; a refused zoekvraag is answered here, so its audit row is committed."""
    try:
        result = source.match(session, principal, domain, zoekvraag, party=party,
                              limit=settings.vum_max_results)  # fmt: skip
    except QueryError as error:
        return vum_error(400, str(error))
    return JSONResponse(result.body())


def _detail(
    domain: source.Domain,
    record_id: str,
    party: source.Party,
    session: SessionDep,
    principal: CurrentUser,
) -> Response:
    try:
        return JSONResponse(source.detail(session, principal, domain, record_id, party=party))
    except NotFound as error:
        return vum_error(404, str(error))

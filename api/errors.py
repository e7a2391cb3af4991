"""Map the core's errors to HTTP responses; ``HTTPException`` lives only in ``api/``."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from api.schemas.common import ErrorPublic, InvalidRequestPublic
from matching.bsn import BSN_REASON, contains_bsn
from matching.errors import (
    Conflict,
    InvalidInput,
    ModelMismatch,
    ModelNotTrained,
    NotFound,
    StoreUnavailable,
    WerkmatchError,
)

STATUS = {
    NotFound: 404,
    InvalidInput: 422,
    Conflict: 409,
    ModelNotTrained: 503,
    ModelMismatch: 503,
    StoreUnavailable: 503,
}


DESCRIPTIONS = {
    400: "The request body or an uploaded file cannot be read.",
    401: "Not signed in: send 'Authorization: Bearer <token>' or sign in at /login.",
    403: "Signed in, but this role may not do this.",
    404: "Not found (or not visible to the user's organisation).",
    409: "The request clashes with the current state (e.g. the candidate is already proposed).",
    413: "The request body is larger than WERKMATCH_MAX_UPLOAD_BYTES.",
    422: "Invalid request: the problems per field, or a message saying why the input is refused.",
    503: "The scoring model or the database is not available at the moment.",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the error statuses a route can answer with."""
    model: type[BaseModel]
    entries: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        model = InvalidRequestPublic if code == 422 else ErrorPublic
        entries[code] = {"model": model, "description": DESCRIPTIONS[code]}
    return entries


def _status(exc: WerkmatchError) -> int:
    for kind, status in STATUS.items():
        if isinstance(exc, kind):
            return status
    return 500


async def _werkmatch_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WerkmatchError)
    return JSONResponse({"detail": str(exc)}, status_code=_status(exc))


async def _database_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if exc.connection_invalidated or "connect" in str(exc.orig).lower():
        detail = "De database is nu niet bereikbaar; probeer het zo opnieuw."
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})
    raise exc


def _writable(value: Any) -> Any:
    """``value`` as JSON can carry it: non-finite numbers as text, lone surrogates escaped."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_writable(k): _writable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_writable(v) for v in value]
    return value


VALIDATION_MESSAGES = {
    "missing": "Dit veld is verplicht.",
    "string_too_short": "Te kort: minstens {min_length} teken(s).",
    "string_too_long": "Te lang: hooguit {max_length} tekens.",
    "string_pattern_mismatch": "Deze waarde heeft niet de verwachte vorm.",
    "string_type": "Verwacht een tekst.",
    "int_parsing": "Verwacht een geheel getal.",
    "int_type": "Verwacht een geheel getal.",
    "int_from_float": "Verwacht een geheel getal.",
    "float_parsing": "Verwacht een getal.",
    "float_type": "Verwacht een getal.",
    "finite_number": "Verwacht een eindig getal.",
    "bool_parsing": "Verwacht ja of nee (true/false).",
    "bool_type": "Verwacht ja of nee (true/false).",
    "greater_than": "Moet groter zijn dan {gt}.",
    "greater_than_equal": "Moet minstens {ge} zijn.",
    "less_than": "Moet kleiner zijn dan {lt}.",
    "less_than_equal": "Mag hooguit {le} zijn.",
    "date_parsing": "Verwacht een datum als jjjj-mm-dd.",
    "date_from_datetime_parsing": "Verwacht een datum als jjjj-mm-dd.",
    "date_type": "Verwacht een datum als jjjj-mm-dd.",
    "datetime_parsing": "Verwacht een tijdstip als jjjj-mm-ddTuu:mm:ss.",
    "literal_error": "Kies een van: {expected}.",
    "enum": "Kies een van: {expected}.",
    "json_invalid": "Geen geldige JSON.",
    "model_attributes_type": "Verwacht een JSON-object.",
    "dict_type": "Verwacht een JSON-object.",
    "list_type": "Verwacht een lijst.",
    "too_short": "Te weinig elementen: minstens {min_length}.",
    "too_long": "Te veel elementen: hooguit {max_length}.",
    "extra_forbidden": "Onbekend veld.",
    "uuid_parsing": "Verwacht een UUID.",
}
"""Pydantic's English messages per error type, in Dutch (``ctx`` fills the blanks)."""


def dutch_message(error: Any) -> str:
    """An input error's message in Dutch: ours as written (after pydantic's 'Value error, '),
    pydantic's own by its type, anything else as 'Ongeldige waarde'."""
    message = str(error.get("msg", ""))
    if error.get("type") in ("value_error", "assertion_error"):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    template = VALIDATION_MESSAGES.get(str(error.get("type")))
    if template is None:
        return "Ongeldige waarde."
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return template.split(":")[0] + "."


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """422 with FastAPI's problems per field, without the submitted values: the answer never
    repeats what was sent (a BSN typed into a field, NaN, bytes that are no UTF-8, a lone
    surrogate — the stock handler echoed them, and failed with 500 on the unwritable ones); a
    message that names a BSN-like number is replaced by the BSN refusal."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            **{k: v for k, v in error.items() if k not in ("input", "ctx", "url")},
            "msg": dutch_message(error),
        }
        for error in exc.errors()
    ]
    for error in errors:
        if contains_bsn(str(error.get("msg", ""))):
            error["msg"] = f"Dit veld {BSN_REASON}"
    bytes_as_text = {bytes: lambda raw: raw.decode("utf-8", "replace")}
    detail = jsonable_encoder(errors, custom_encoder=bytes_as_text)
    return JSONResponse({"detail": _writable(detail)}, status_code=422)


def install(app: FastAPI) -> None:
    """Register the exception handlers on ``app``."""
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(WerkmatchError, _werkmatch_error)
    app.add_exception_handler(DBAPIError, _database_error)

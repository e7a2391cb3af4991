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
        detail = "The database is not reachable at the moment; try again shortly."
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


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """422 with FastAPI's problems per field, without the submitted values: the answer never
    repeats what was sent (a BSN typed into a field, NaN, bytes that are no UTF-8, a lone
    surrogate — the stock handler echoed them, and failed with 500 on the unwritable ones); a
    message that names a BSN-like number is replaced by the BSN refusal."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {key: value for key, value in error.items() if key not in ("input", "ctx", "url")}
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
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(WerkmatchError, _werkmatch_error)
    app.add_exception_handler(DBAPIError, _database_error)

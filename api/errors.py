"""Map the core's errors to HTTP responses; ``HTTPException`` lives only in ``api/``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError

from api.schemas.common import ErrorPublic, InvalidRequestPublic
from matching.errors import (
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
    ModelNotTrained: 503,
    ModelMismatch: 503,
    StoreUnavailable: 503,
}


DESCRIPTIONS = {
    400: "The request body or an uploaded file cannot be read.",
    401: "Not signed in: send 'Authorization: Bearer <token>' or sign in at /login.",
    403: "Signed in, but this role may not do this.",
    404: "Not found (or not visible to the user's organisation).",
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


def install(app: FastAPI) -> None:
    """Register the exception handlers on ``app``."""
    app.add_exception_handler(WerkmatchError, _werkmatch_error)
    app.add_exception_handler(DBAPIError, _database_error)

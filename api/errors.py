"""Map the core's errors to HTTP responses; ``HTTPException`` lives only in ``api/``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError

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

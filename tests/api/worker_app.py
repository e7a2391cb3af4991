"""The app ``werkmatch serve`` runs, plus a header naming the worker process (for
``test_workers``: which of several uvicorn workers answered)."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from api.app import create_app as create_served_app


def create_app() -> FastAPI:
    """``api.app.create_app()`` answering with ``X-Worker-Pid``."""
    app = create_served_app()

    @app.middleware("http")
    async def worker_pid(request: Request, call_next: Callable[[Request], Awaitable[Response]]):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        response.headers["X-Worker-Pid"] = str(os.getpid())
        return response

    return app

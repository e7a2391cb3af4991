"""The FastAPI application factory; nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.routers import candidates, employers, health, imports, vacancies
from matching import __version__
from matching.bootstrap import open_store
from matching.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the lifespan opens the store and puts it on ``app.state``."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        app.state.settings = settings
        app.state.store = store
        try:
            yield
        finally:
            store.engine.dispose()

    app = FastAPI(
        title="werkmatch",
        version=__version__,
        summary="Employer–candidate matching for municipal re-integration teams.",
        lifespan=lifespan,
    )
    errors.install(app)
    app.include_router(health.router)
    app.include_router(candidates.router)
    app.include_router(employers.router)
    app.include_router(vacancies.router)
    app.include_router(imports.router)
    return app

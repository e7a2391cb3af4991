"""The FastAPI application factory; nothing is built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from api import docs, errors
from api.deps import reject_unrepresentable_json
from api.middleware import BodySizeLimit, ConcurrencyLimit, SecurityHeaders
from api.pages import install as install_pages
from api.ratelimit import LoginLimits
from api.roles import guard
from api.routers import (
    acquisition,
    audit,
    auth,
    candidates,
    employers,
    health,
    imports,
    instruments,
    model,
    normalise,
    programmes,
    shortlists,
    vacancies,
    vum,
    whitespots,
)
from matching import __version__
from matching.bootstrap import open_store
from matching.jobs import Jobs
from matching.settings import Settings
from matching.shortlist.context import MatchingCache
from matching.whitespots.cache import WhiteSpotCache


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the lifespan opens the store and puts it on ``app.state``."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = open_store(settings)
        app.state.settings = settings
        app.state.store = store
        app.state.matching = MatchingCache(settings.resolved_model_dir())  # loaded lazily
        app.state.white_spots = WhiteSpotCache(app.state.matching, store.reads)
        app.state.jobs = jobs = Jobs(store, settings)
        try:
            async with jobs.serving():  # PostgreSQL: this process runs a job worker too
                yield
        finally:
            app.state.white_spots.wait()  # a background re-ranking still reading the store
            jobs.close()
            store.engine.dispose()

    app = FastAPI(
        title="werkmatch",
        version=__version__,
        summary="Employer–candidate matching for municipal re-integration teams.",
        lifespan=lifespan,
        docs_url=None,  # api/docs.py serves /docs and /redoc from local assets
        redoc_url=None,
        dependencies=[Depends(reject_unrepresentable_json)],
    )
    errors.install(app)
    docs.install(app)
    app.state.login_limits = LoginLimits.from_settings(settings)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_upload_bytes)
    app.add_middleware(ConcurrencyLimit, limit=settings.concurrent_requests)
    app.add_middleware(SecurityHeaders)
    # Every router declares its roles via guard(<tag>) (api/roles.py ROUTE_ROLES); public:
    # /healthz, /login and the docs. tests/api/test_security.py proves it for every route.
    app.include_router(health.router)
    app.include_router(auth.public_router)
    app.include_router(auth.router, dependencies=guard("auth"))
    app.include_router(candidates.router, dependencies=guard("candidates"))
    # before employers: /employers/white-spots must not be taken for an employer id
    app.include_router(whitespots.router, dependencies=guard("whitespots"))
    app.include_router(employers.router, dependencies=guard("employers"))
    app.include_router(acquisition.router, dependencies=guard("acquisition"))
    app.include_router(acquisition.funnel_router, dependencies=guard("acquisition-funnel"))
    app.include_router(shortlists.router, dependencies=guard("shortlists"))
    app.include_router(vacancies.router, dependencies=guard("vacancies"))
    app.include_router(imports.router, dependencies=guard("imports"))
    app.include_router(normalise.router, dependencies=guard("normalise"))
    app.include_router(model.router, dependencies=guard("model"))
    app.include_router(audit.router, dependencies=guard("audit"))
    app.include_router(programmes.router, dependencies=guard("programmes"))
    app.include_router(vum.werkzoekenden, dependencies=guard("vum-werkzoekenden"))
    app.include_router(vum.vacatures, dependencies=guard("vum-vacatures"))
    app.include_router(instruments.router, dependencies=guard("instruments"))
    app.include_router(instruments.aftercare_router, dependencies=guard("aftercare"))
    app.include_router(instruments.supply_router, dependencies=guard("supply"))
    install_pages(app)  # server-rendered pages, /static; guarded by the same table
    return app

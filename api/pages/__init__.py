"""Server-rendered pages (Jinja2 + htmx) for account managers, job hunters, evaluators, admins.

``install(app)`` mounts ``/static``, registers the page routers — each with its role guard from
``api.roles.ROUTE_ROLES`` — and the handlers that turn a refusal into a login redirect or a
Dutch "no access" page for browsers. Long-running actions are background jobs
(``api.pages.jobs``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.pages import (
    candidates,
    evaluation,
    home,
    imports,
    instrument_files,
    instruments,
    programmes,
    review,
    vacancies,
    whitespots,
)
from api.pages.access import LoginRequired, PageForbidden, login_required_handler, page_guard
from api.pages.invalid import page_validation_error
from api.pages.rendering import forbidden_handler, not_found_handler

STATIC = Path(__file__).resolve().parent.parent / "static"
ROUTERS = (
    (home.router, "pages-home"),
    (vacancies.router, "pages-vacancies"),
    (candidates.router, "pages-candidates"),
    (whitespots.router, "pages-whitespots"),
    (evaluation.router, "pages-evaluation"),
    (programmes.router, "pages-programmes"),
    (review.router, "pages-review"),
    (imports.router, "pages-import"),
    (instruments.router, "pages-instruments"),
    (instrument_files.router, "pages-instruments"),
    (instruments.aftercare_router, "pages-aftercare"),
    (instruments.supply_router, "pages-supply"),
)


def favicon() -> RedirectResponse:
    """Browsers ask /favicon.ico on their own: the icon is the SVG among the static files."""
    return RedirectResponse("/static/favicon.svg", status_code=301)


def install(app: FastAPI) -> None:
    """Add the pages, their static files and error handling to ``app``."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/favicon.ico", favicon, include_in_schema=False)
    app.add_exception_handler(LoginRequired, login_required_handler)
    app.add_exception_handler(PageForbidden, forbidden_handler)
    app.add_exception_handler(StarletteHTTPException, not_found_handler)
    app.add_exception_handler(RequestValidationError, page_validation_error)
    for router, tag in ROUTERS:
        app.include_router(router, dependencies=page_guard(tag))

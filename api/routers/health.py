"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import SessionDep
from api.errors import error_responses
from api.schemas.common import Health
from matching import __version__

router = APIRouter(tags=["health"], responses=error_responses(503))


@router.get("/healthz", response_model=Health)
def healthz(session: SessionDep) -> Health:
    """The service is up and its database answers."""
    session.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__)

"""Dependencies as ``Annotated`` aliases: one transaction per request."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from matching.bootstrap import Store
from matching.settings import Settings


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The opened store."""
    store: Store = request.app.state.store
    return store


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; committed once at the end, rolled back on error."""
    session = get_store(request).sessions()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
SessionDep = Annotated[Session, Depends(get_session)]
OffsetQuery = Annotated[int, Query(ge=0, description="Rows to skip.")]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="Rows per page (at most 500).")]

"""API fixtures: a TestClient over ``create_app(test_settings)`` on the per-test store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from api import create_app
from matching.settings import Settings


@pytest.fixture
def test_settings(engine: Engine, tmp_path: Path) -> Settings:
    """Settings pointing at the per-test store."""
    return Settings(database_url=engine.url.render_as_string(hide_password=False), var_dir=tmp_path)


@pytest.fixture
def client(test_settings: Settings) -> Iterator[TestClient]:
    """A client of the app, with its lifespan run."""
    with TestClient(create_app(test_settings)) as test_client:
        yield test_client

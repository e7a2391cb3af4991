"""The fallback policy: Settings defaults, a stored per-organisation override, validation."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.access import users as security
from matching.errors import InvalidInput, NotFound
from matching.settings import Settings
from matching.shortlist import FallbackPolicy, policy_for, set_policy


def test_defaults_come_from_settings(sessions: sessionmaker[Session]) -> None:
    settings = Settings(fallback_threshold=0.5, fallback_radius_km=10)
    with sessions() as session:
        assert policy_for(session, None, settings) == FallbackPolicy(threshold=0.5, radius_km=10)
        assert policy_for(session, "nobody", settings).threshold == 0.5


def test_an_organisation_override_is_stored(sessions: sessionmaker[Session]) -> None:
    settings = Settings(fallback_threshold=0.3)
    with sessions.begin() as session:
        security.create_organisation(
            session, "leiden", name="Leiden", municipality_codes=["GM0546"]
        )
        set_policy(session, "leiden", {"levels": ["own", "region"], "order": "nearest"}, settings)
    with sessions() as session:
        policy = policy_for(session, "leiden", settings)
    assert policy == FallbackPolicy(threshold=0.3, levels=("own", "region"), order="nearest")
    with sessions.begin() as session, pytest.raises(InvalidInput, match="Onbekende velden"):
        set_policy(session, "leiden", {"radius": 3}, settings)
    with sessions.begin() as session, pytest.raises(NotFound):
        set_policy(session, "nobody", {}, settings)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"threshold": 1.5},
        {"radius_km": -1},
        {"levels": ()},
        {"levels": ("own", "own")},
        {"levels": ("own", "abroad")},
        {"order": "random"},
    ],
)
def test_invalid_policies_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        FallbackPolicy(**kwargs)  # type: ignore[arg-type]

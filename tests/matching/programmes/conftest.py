"""Fixtures of the programme tests: organisations and the programmes of the issue as CSV."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import create_organisation
from matching.exchange import import_paths

FIXTURES = Path(__file__).parents[2] / "fixtures"
PROGRAMMES = FIXTURES / "programmes" / "programmes.csv"
REGION_SMALL = FIXTURES / "region_small"
ORGANISATIONS = {
    "amsterdam": ["GM0363"],
    "noordwijk": ["GM0575"],
    "noordoostpolder": ["GM0171"],
    "leiden": ["GM0546", "GM0537"],
}


@pytest.fixture
def organised(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The organisations of the example programmes and the small region's candidates."""
    with sessions.begin() as session:
        for organisation_id, codes in ORGANISATIONS.items():
            create_organisation(session, organisation_id, name=organisation_id.title(),
                                municipality_codes=codes)  # fmt: skip
    report = import_paths(sessions, [REGION_SMALL / "candidates.csv"])
    assert report.ok, report.to_dict()
    return sessions

"""Reused evaluation reports: the key follows every data version a report reads."""

from __future__ import annotations

import datetime as dt
import doctest

from sqlalchemy.orm import Session, sessionmaker

from evaluation import report_cache as report_cache_module
from evaluation.report_cache import report_key
from matching.data_versions import bump_data_version
from matching.store import models
from matching.whitespots.acquisition import record_contact


def test_doctests_pass() -> None:
    result = doctest.testmod(report_cache_module)
    assert result.attempted > 0 and result.failed == 0


def test_a_contact_or_an_import_gives_a_new_key(sessions: sessionmaker[Session]) -> None:
    """Contacts bump ``history``; imports, erasures and hires ``candidates``: both in the key."""
    with sessions.begin() as session:
        session.add(models.Employer(employer_id="E1", name="Bakkerij", municipality_code="GM0575"))
    with sessions.begin() as session:
        first = report_key(session, "2026")
        assert report_key(session, "2026") == first != report_key(session, "2025")
    with sessions.begin() as session:
        record_contact(session, employer_id="E1", date=dt.date(2026, 1, 5), kind="call")
    with sessions.begin() as session:
        after_contact = report_key(session, "2026")
        assert after_contact != first
        bump_data_version(session)
        assert report_key(session, "2026") not in (first, after_contact)

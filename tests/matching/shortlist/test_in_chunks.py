"""Vacancies read by id in chunks: PostgreSQL takes at most 65,535 parameters in a statement,
and a national pool has more open vacancies than that (``matching.pool_loading.rows_in``)."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from features.pool import CandidateArrays
from matching import pool_loading
from matching.pool_loading import load_spaces
from matching.shortlist.vacancies import load_open_vacancies
from tests.matching.shortlist.store_fixture import vacancy


def test_open_vacancies_read_in_chunks_equal_one_read(
    seeded: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    with seeded.begin() as session:
        session.add_all([vacancy(f"V{i}") for i in range(2, 8)])
    spaces = load_spaces()
    with seeded() as session:
        whole = load_open_vacancies(session, _pool(session), spaces)
        monkeypatch.setattr(pool_loading, "IN_CHUNK", 2)
        chunked = load_open_vacancies(session, _pool(session), spaces)
    assert len(whole.info) == 7 and chunked.info == whole.info
    assert list(chunked.arrays.ids) == sorted(whole.arrays.ids)
    assert np.array_equal(chunked.arrays.required.toarray(), whole.arrays.required.toarray())


def _pool(session: Session) -> CandidateArrays:
    return pool_loading.load_pool(session)

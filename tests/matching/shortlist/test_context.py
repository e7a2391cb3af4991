"""The in-memory matching context: loaded once, reloaded when the candidate data changes."""

from __future__ import annotations

import gc
import threading
import weakref
from pathlib import Path

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from features.pairwise import N_FEATURES
from matching.access.erasure import erase_candidate
from matching.access.users import Principal
from matching.data_versions import bump_data_version, data_version
from matching.exchange import import_paths
from matching.scoring.prior import PriorScorer
from matching.shortlist import MatchingCache, vacancy_shortlist
from matching.shortlist.context import linear_form
from matching.store import models

CLI = Principal.command_line()
HEADER = (
    "candidate_id,municipality_code,postcode4,ladder_step,target_group,hours_available,"
    "driving_licence,languages,competences,occupations,sector_preferences,status,consent_regional"
)


def _ids(sessions: sessionmaker[Session], matching_cache: MatchingCache) -> list[str]:
    with sessions.begin() as session:
        shortlist = vacancy_shortlist(
            session, matching_cache.get(session), "V1", principal=CLI, limit=20
        )
    return [e.candidate_id for e in shortlist.candidates]


def test_context_is_loaded_once_and_reloaded_after_an_import(
    seeded: sessionmaker[Session], matching_cache: MatchingCache, tmp_path: Path
) -> None:
    assert "O9" not in _ids(seeded, matching_cache)
    _ids(seeded, matching_cache)
    assert matching_cache.loads == 1
    from tests.matching.shortlist.store_fixture import cleaner_skills, cleaner_uri

    skills = ";".join(cleaner_skills())
    (tmp_path / "candidates.csv").write_text(
        f"{HEADER}\nO9,GM0575,2201,5,regulier,32,true,nl,{skills},{cleaner_uri()},N,active,false\n"
        f"O1,GM0575,2201,5,regulier,32,true,nl,,,N,inactive,false\n"
    )
    with seeded() as session:
        before = data_version(session)
    report = import_paths(seeded, [tmp_path / "candidates.csv"])
    assert report.ok
    with seeded() as session:
        assert data_version(session) == before + 1
    ids = _ids(seeded, matching_cache)
    assert "O9" in ids and "O1" not in ids  # the new candidate is in, the changed one out
    assert matching_cache.loads + matching_cache.patches == 2  # patched: 2 of 16 changed


def test_erasure_bumps_the_version(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    assert "O2" in _ids(seeded, matching_cache)
    with seeded.begin() as session:
        erase_candidate(session, "O2", by=CLI, key=b"k" * 32)
    assert "O2" not in _ids(seeded, matching_cache)
    with seeded.begin() as session:
        assert bump_data_version(session) == data_version(session)


def test_linear_form_reproduces_the_prior() -> None:
    prior = PriorScorer()
    form = linear_form(prior)
    assert form is not None
    w, b = form
    x = np.random.default_rng(1).random((5, len(w))).astype(np.float32)
    assert np.allclose(x @ w + b, prior.score(x).score, atol=1e-5)


def test_one_ranking_at_a_time_uses_the_one_buffer(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with seeded() as session:
        context = matching_cache.get(session)
    inside, release, seen = threading.Event(), threading.Event(), []

    def first() -> None:
        with context.buffer() as buffer:
            seen.append(buffer)
            inside.set()
            release.wait(10)

    def second() -> None:
        with context.buffer() as buffer:
            seen.append(buffer)

    a, b = threading.Thread(target=first), threading.Thread(target=second)
    a.start()
    assert inside.wait(10)
    b.start()
    b.join(0.2)
    assert b.is_alive() and len(seen) == 1  # waits while the first one ranks
    release.set()
    a.join(10)
    b.join(10)
    assert len(seen) == 2 and seen[0] is seen[1]
    assert seen[0].shape == (N_FEATURES, len(context.pool))


def test_a_loaded_context_is_frozen_out_of_the_cyclic_gc_and_a_replaced_one_is_freed(
    seeded: sessionmaker[Session], matching_cache: MatchingCache, settled_heap: None
) -> None:
    try:
        gc.unfreeze()
        with seeded() as session:
            first = weakref.ref(matching_cache.get(session))
        assert gc.get_freeze_count() > 0  # full collections no longer walk the loaded pool
        with seeded.begin() as session:  # one candidate changed: the context is patched
            session.get_one(models.Candidate, "O1").hours_available = 20
            bump_data_version(session)
        with seeded() as session:
            second = matching_cache.get(session)
        assert (matching_cache.loads, matching_cache.patches) == (1, 1)
        assert first() is None  # the freeze keeps nothing alive: a context holds no cycles
        assert second is not None and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

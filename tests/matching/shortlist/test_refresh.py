"""A region context patched with the candidates that changed equals one loaded afresh.

The database stamps ``candidates.updated_at`` by triggers (migration 0012); rounds of random
writes, through the ORM and through Core statements on the child tables as the synonym
decisions and imports write them, must each leave a patched context equal, array for array,
to a fresh load of the same state, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from matching.data_versions import bump_candidates
from matching.shortlist import MatchingCache, MatchingContext
from matching.shortlist import candidate_rows as rows_module
from matching.shortlist.candidate_rows import patched_rows
from matching.shortlist.context import load_context, patched_context
from matching.store import models
from tests.matching.shortlist.store_fixture import AMSTERDAM, LEIDEN, NOORDWIJK, candidate

RIJNLAND = "Holland Rijnland"
KATWIJK, ZANDVOORT = "GM0537", "GM0473"
c, skill, occ, placement = (
    models.Candidate,
    models.CandidateCompetence,
    models.CandidateOccupation,
    models.Placement,
)
SKILLS = [
    "http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab",
    "http://data.europa.eu/esco/skill/00064735-8fad-454b-90c7-ed858cc993f2",
]


def assert_same(patched: MatchingContext, fresh: MatchingContext) -> None:
    """Every array and coding of the two contexts equal."""
    assert patched.pool.ids.tolist() == fresh.pool.ids.tolist()
    for f in dataclasses.fields(fresh.pool):
        a, b = getattr(patched.pool, f.name), getattr(fresh.pool, f.name)
        if sparse.issparse(b):
            assert type(a) is type(b) and a.shape == b.shape and a.dtype == b.dtype, f.name
            assert (a != b).nnz == 0, f.name
        elif isinstance(b, np.ndarray):
            assert a.dtype == b.dtype, f.name
            assert np.array_equal(a, b, equal_nan=b.dtype.kind == "f"), f.name
        else:
            assert a == b, f.name
    for name in ("inactive", "placed", "postcode4", "region_of"):
        assert np.array_equal(getattr(patched, name), getattr(fresh, name)), name
    assert patched.row_of == fresh.row_of and patched.version == fresh.version
    assert patched.source is not None and fresh.source is not None
    assert patched.source.stamps.tolist() == fresh.source.stamps.tolist()
    assert patched.source.languages.tolist() == fresh.source.languages.tolist()


def _ids(session: Session) -> list[str]:
    return sorted(session.scalars(select(c.candidate_id)))


def _edit(session: Session, rng: random.Random, cid: str) -> None:
    column, value = rng.choice(
        [
            ("hours_available", rng.randint(8, 40)),
            ("languages", rng.choice(["nl", "en;nl", "de;nl;pl", "ar", None])),
            ("postcode4", rng.choice(["2201", "2311", None])),
            ("status", rng.choice(["active", "inactive", "placed"])),
            ("consent_regional", rng.random() < 0.5),
            ("municipality_code", rng.choice([NOORDWIJK, LEIDEN, KATWIJK, AMSTERDAM])),
            ("available_from", rng.choice([None, dt.date(2027, 2, 1)])),
        ]
    )
    session.execute(update(c).where(c.candidate_id == cid).values({column: value}))


def _children(session: Session, rng: random.Random, cid: str) -> None:
    kind = rng.randrange(4)
    if kind == 0:  # a synonym decision: Core UPDATE of the child rows' concept
        session.execute(
            update(skill).where(skill.candidate_id == cid).values(uri=rng.choice(SKILLS))
        )
    elif kind == 1:
        session.execute(delete(skill).where(skill.candidate_id == cid, skill.position < 3))
    elif kind == 2:
        session.execute(
            insert(occ),
            [{"candidate_id": cid, "position": 90 + rng.randrange(9), "text": "x", "uri": None}],
        )
        session.execute(delete(occ).where(occ.candidate_id == cid, occ.uri.is_(None)))
        session.execute(delete(occ).where(occ.candidate_id == cid))
    else:
        session.execute(
            insert(skill),
            [{"candidate_id": cid, "position": 50, "text": "y", "uri": rng.choice(SKILLS)}],
        )


def _placement(session: Session, rng: random.Random, cid: str) -> None:
    pid = f"P-{cid}"
    if session.get(models.Placement, pid) is None:
        session.add(
            models.Placement(
                placement_id=pid, candidate_id=cid, employer_id="E1",
                start_date=dt.date(2026, 1, 1), hours_per_week=32, contract="regular",
            )
        )  # fmt: skip
    else:
        session.execute(
            update(placement)
            .where(placement.placement_id == pid)
            .values(end_date=rng.choice([dt.date(2026, 2, 1), None]))
        )


def _add(session: Session, rng: random.Random, cid: str) -> None:
    town = rng.choice([NOORDWIJK, KATWIJK, LEIDEN])
    session.add(candidate(f"NEW{rng.randrange(10**6)}", town, languages="nl;tr"))


def _remove(session: Session, rng: random.Random, cid: str) -> None:
    session.execute(delete(c).where(c.candidate_id == cid))


CHANGES: list[Callable[[Session, random.Random, str], None]] = [
    _edit, _edit, _children, _children, _placement, _add, _remove,
]  # fmt: skip


def _round(sessions: sessionmaker[Session], rng: random.Random, k: int) -> None:
    """Change ``k`` of ``CHANGES`` (so that every kind comes round) and up to two at random."""
    with sessions.begin() as session:
        for change in [CHANGES[k % len(CHANGES)], *rng.choices(CHANGES, k=rng.randint(0, 2))]:
            change(session, rng, rng.choice(_ids(session)))
            session.flush()
        bump_candidates(session, None)


@pytest.mark.parametrize("region", [RIJNLAND, None])
def test_a_patched_context_equals_a_fresh_load_after_random_changes(
    seeded: sessionmaker[Session],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    region: str | None,
) -> None:
    monkeypatch.setattr(rows_module, "MAX_CHANGED", 1.0)  # the pool is tiny: always patch
    rng = random.Random(25)
    with seeded() as session:
        context = load_context(session, model_dir=tmp_path, region=region)
    for k in range(2 * len(CHANGES)):
        _round(seeded, rng, k)
        with seeded() as session:
            patched = patched_context(session, context)
            fresh = load_context(session, model_dir=tmp_path, region=region)
        assert patched is not None
        assert_same(patched, fresh)
        context = patched


def test_every_write_moves_the_stamp_even_within_one_clock_tick(
    seeded: sessionmaker[Session],
) -> None:
    def stamp() -> dt.datetime:
        with seeded() as session:
            return session.scalars(select(c.updated_at).where(c.candidate_id == "O1")).one()

    def other_stamp() -> dt.datetime:
        with seeded() as session:
            return session.scalars(select(c.updated_at).where(c.candidate_id == "O2")).one()

    other_before = other_stamp()
    seen = [stamp()]
    writes = [
        update(c).where(c.candidate_id == "O1").values(hours_available=20),
        update(c).where(c.candidate_id == "O1").values(hours_available=20),  # the same value
        update(skill).where(skill.candidate_id == "O1").values(needs_review=True),
        delete(occ).where(occ.candidate_id == "O1"),
    ]
    for statement in writes:
        with seeded.begin() as session:
            session.execute(statement)
        seen.append(stamp())
    assert all(a < b for a, b in itertools.pairwise(seen)), seen
    # a candidate untouched keeps their stamp (compared with itself, not with O1's: seeding
    # and the first write can fall within one clock tick on a fast machine)
    assert other_stamp() == other_before


def test_a_large_change_or_another_day_loads_the_region_whole(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with seeded() as session:
        context = matching_cache.region(session, RIJNLAND)
    assert context.source is not None
    with seeded.begin() as session:  # one of Rijnland's 14 candidates: under 20 %
        session.execute(update(c).where(c.candidate_id == "O1").values(hours_available=9))
        bump_candidates(session, {RIJNLAND})
    with seeded() as session:
        patched = matching_cache.region(session, RIJNLAND)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        where = c.municipality_code.in_([NOORDWIJK, LEIDEN])
        assert patched_rows(session, context.source, context.spaces, where, tomorrow) is None
    assert matching_cache.region_patches == {RIJNLAND: 1}
    assert patched.pool.hours_available[patched.row_of["O1"]] == 9
    with seeded.begin() as session:  # four of them
        session.execute(
            update(c).where(c.candidate_id.in_(["O1", "O2", "O3", "R1"])).values(ladder_step=2)
        )
        bump_candidates(session, {RIJNLAND})
    with seeded() as session:
        matching_cache.region(session, RIJNLAND)
    assert matching_cache.region_loads == {RIJNLAND: 2}
    assert matching_cache.region_patches == {RIJNLAND: 1}


def test_a_candidate_moving_out_of_the_region_leaves_its_context(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with seeded() as session:
        before = matching_cache.region(session, RIJNLAND)
    with seeded.begin() as session:
        session.execute(update(c).where(c.candidate_id == "R1").values(municipality_code=ZANDVOORT))
        bump_candidates(session, None)
    with seeded() as session:
        after = matching_cache.region(session, RIJNLAND)
    assert "R1" in before.row_of and "R1" not in after.row_of
    assert matching_cache.region_patches == {RIJNLAND: 1}

"""Concurrency on PostgreSQL: two imports at once, and shortlists during an import.

Imports run in threads with their own sessions. Interleavings are forced, not hoped for: an
import's progress callback waits for the other side, and a hook on the reading connection lets
an import commit in the middle of loading the candidate pool.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Select, Table, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal
from matching.exchange import ImportReport
from matching.exchange.importing import import_paths
from matching.shortlist.context import MatchingCache, MatchingContext
from matching.shortlist.service import vacancy_shortlist
from matching.store.base import Base

pytestmark = pytest.mark.parametrize(
    "engine", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)

REGION_SMALL = Path(__file__).parents[1] / "fixtures" / "region_small"
ENTITY_TABLES = (
    "employers",
    "candidates",
    "candidate_competences",
    "candidate_occupations",
    "vacancies",
    "vacancy_competences",
    "contacts",
    "proposals",
    "placements",
)
SKILL = "http://data.europa.eu/esco/skill/6ff01827-907d-43d8-b6e4-7162c1cf0aca"
NEW_CANDIDATES = 200
WAIT = 10.0  # seconds a thread waits for the other side before giving up


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def update_files(tmp_path: Path) -> list[Path]:
    """Files overlapping region_small: changed candidates (hours, a skill, a status), new
    candidates, the same employers, and a placement that makes K-0001 placed."""
    candidates = read_csv(REGION_SMALL / "candidates.csv")
    by_id = {row["candidate_id"]: row for row in candidates}
    by_id["K-0002"]["hours_available"] = "30"
    by_id["K-0002"]["competences"] = f"{SKILL};{by_id['K-0002']['competences']}"
    by_id["K-0006"]["status"] = "active"
    template = by_id["K-0001"]
    candidates += [
        {**template, "candidate_id": f"K-{5000 + i}", "postcode4": "2202"}
        for i in range(NEW_CANDIDATES)
    ]
    placement = read_csv(REGION_SMALL / "placements.csv")[0]  # for its columns
    placement.update(placement_id="P-900", candidate_id="K-0001", employer_id="28011111")
    placement.update(vacancy_id="", start_date="2024-06-01", end_date="")
    folder = tmp_path / "update"
    folder.mkdir()
    return [
        write_csv(folder / "candidates.csv", candidates),
        write_csv(folder / "employers.csv", read_csv(REGION_SMALL / "employers.csv")),
        write_csv(folder / "placements.csv", [placement]),
    ]


def store_state(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the entity tables, sorted (a store's whole state, independent of order);
    without ``updated_at``, the database's stamp of when a row was written."""
    tables = Base.metadata.tables
    with engine.connect() as conn:
        return {
            name: sorted(tuple(map(repr, row)) for row in conn.execute(_stampless(tables[name])))
            for name in ENTITY_TABLES
        }


def _stampless(table: Table) -> Select[Any]:
    return select(*(c for c in table.c if c.name != "updated_at"))


def empty(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(ENTITY_TABLES)}, data_versions CASCADE"))


def sequential_states(
    engine: Engine, sessions: sessionmaker[Session], first: list[Path], second: list[Path]
) -> list[dict[str, list[tuple[Any, ...]]]]:
    """The store after importing ``first`` then ``second``, and the other way round."""
    states = []
    for order in ((first, second), (second, first)):
        empty(engine)
        for paths in order:
            assert import_paths(sessions, paths).ok
        states.append(store_state(engine))
    empty(engine)
    return states


def run_in_thread(target: Callable[[], ImportReport]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["report"] = target()
        except BaseException as error:  # reported by the test, not lost in the thread
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_two_imports_at_once_end_as_one_after_the_other(
    engine: Engine, sessions: sessionmaker[Session], update_files: list[Path]
) -> None:
    region = sorted(REGION_SMALL.iterdir())
    expected = sequential_states(engine, sessions, region, update_files)
    assert expected[0] != expected[1]  # the order matters, so a mix would show
    # the first import to write waits (up to a limit) until the other has written too: without
    # serialisation both transactions hold uncommitted, overlapping rows at the same time
    started = {"region": threading.Event(), "update": threading.Event()}

    def importer(name: str, paths: list[Path], other: str) -> Callable[[], ImportReport]:
        def progress(_file: str, _done: int, _total: int) -> None:
            if not started[name].is_set():  # once, at the first chunk
                started[name].set()
                started[other].wait(timeout=0.5)

        return lambda: import_paths(sessions, paths, progress=progress, chunk_rows=50)

    runs = [
        run_in_thread(importer("region", region, "update")),
        run_in_thread(importer("update", update_files, "region")),
    ]
    for thread, _ in runs:
        thread.join(timeout=WAIT * 3)
        assert not thread.is_alive()
    outcomes = [outcome for _, outcome in runs]
    assert [sorted(o) for o in outcomes] == [["report"], ["report"]], outcomes
    assert all(o["report"].ok for o in outcomes)
    assert store_state(engine) in expected


def pool_state(context: MatchingContext) -> tuple[tuple[Any, ...], ...]:
    """What a shortlist is ranked from, per candidate: id, hours, skills, active, inactive,
    placed (each from a different query when the pool is loaded)."""
    pool = context.pool
    return tuple(
        zip(
            pool.ids.tolist(),
            pool.hours_available.tolist(),
            pool.skills.getnnz(axis=1).tolist(),
            pool.active.tolist(),
            context.inactive.tolist(),
            context.placed.tolist(),
            strict=True,
        )
    )


@contextmanager
def pause_before(engine: Engine, fragment: str, action: Callable[[], None]) -> Iterator[None]:
    """Run ``action`` once, on this thread, just before a statement containing ``fragment``."""
    me, done = threading.get_ident(), threading.Event()

    def hook(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.get_ident() == me and fragment in statement and not done.is_set():
            done.set()
            action()

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    assert done.is_set(), f"no statement with {fragment!r} ran"


def test_shortlists_during_an_import_see_the_old_or_the_new_state(
    engine: Engine, sessions: sessionmaker[Session], update_files: list[Path], tmp_path: Path
) -> None:
    assert import_paths(sessions, [REGION_SMALL]).ok
    principal = Principal("test", "admin", None, frozenset({"GM0537", "GM0546", "GM0575"}))

    def shortlist() -> tuple[tuple[tuple[Any, ...], ...], list[str]]:
        with sessions() as session:
            context = MatchingCache(tmp_path / "models").get(session)
            ranked = vacancy_shortlist(session, context, "V-101", principal=principal, limit=20)
            session.rollback()
        return pool_state(context), [entry.candidate_id for entry in ranked.candidates]

    before, ranked_before = shortlist()
    commit = threading.Event()

    def hold(_file: str, done: int, total: int) -> None:
        if done == total and _file == "placements.csv":
            commit.wait(timeout=WAIT)  # hold the transaction open until the reader is midway

    thread, outcome = run_in_thread(lambda: import_paths(sessions, update_files, progress=hold))
    # while the import's transaction is open, and again when it commits in the middle of loading
    # the pool (after the candidates were read, before their skills and statuses are)
    during_open, _ = shortlist()

    def commit_now() -> None:
        commit.set()
        thread.join(timeout=WAIT)

    with pause_before(engine, "FROM candidate_competences", commit_now):
        midway, ranked_midway = shortlist()
    assert outcome.get("report") is not None and outcome["report"].ok, outcome
    after, ranked_after = shortlist()

    assert len(after) == len(before) + NEW_CANDIDATES and after != before
    assert during_open == before
    assert midway in (before, after)  # never candidates of one state with skills of the other
    assert len(midway) in (len(before), len(after))
    assert ranked_midway in (ranked_before, ranked_after)

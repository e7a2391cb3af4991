"""Shortlists against the store: vacancies from the context, refusals, one audit row each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal
from matching.errors import InvalidInput, NotFound
from matching.exchange import import_paths
from matching.shortlist import MatchingCache, vacancy_shortlist
from matching.shortlist.ranking import rank_vacancy
from matching.shortlist.service import SHORTLIST_ACTION, latest_shortlist, open_vacancy
from matching.shortlist.vacancies import load_vacancy
from matching.store.access import AuditEntry
from tests.matching.shortlist.store_fixture import vacancy

CLI = Principal.command_line()
VACANCY_HEADER = "vacancy_id,employer_id,title,municipality_code,hours_per_week,opened_on,status"


def _without_time(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != "generated_at"}


def test_open_vacancy_from_the_context_ranks_as_the_store_does(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with seeded() as session:
        context = matching_cache.get(session)
        kept, info = open_vacancy(session, context, "V1", principal=CLI)
        assert (
            open_vacancy(session, context, "V1", principal=CLI)[0] is kept
        )  # sliced once, then reused
        read, read_info = load_vacancy(session, "V1", context.pool, context.spaces)
        assert info == read_info
        ours = rank_vacancy(context, kept, info, limit=20, explain_filters=True).to_dict()
        theirs = rank_vacancy(context, read, read_info, limit=20, explain_filters=True).to_dict()
    assert _without_time(ours) == _without_time(theirs) and len(ours["candidates"]) > 3


def test_closed_and_unknown_vacancies_are_refused(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    with seeded.begin() as session:
        session.add(vacancy("V2", status="closed"))
    with seeded.begin() as session:
        context = matching_cache.get(session)
        with pytest.raises(InvalidInput, match="closed"):
            vacancy_shortlist(session, context, "V2", principal=CLI)
        with pytest.raises(NotFound):
            vacancy_shortlist(session, context, "nope", principal=CLI)
        assert session.scalars(select(AuditEntry)).all() == []  # nothing generated, nothing kept


def test_a_vacancy_closed_by_an_import_gets_no_shortlist(
    seeded: sessionmaker[Session], matching_cache: MatchingCache, tmp_path: Path
) -> None:
    with seeded.begin() as session:
        vacancy_shortlist(session, matching_cache.get(session), "V1", principal=CLI)
    path = tmp_path / "vacancies.csv"
    path.write_text(f"{VACANCY_HEADER}\nV1,E1,Schoonmaker,GM0575,32,2026-08-01,filled\n")
    assert import_paths(seeded, [path]).ok
    with seeded.begin() as session, pytest.raises(InvalidInput, match="filled"):
        vacancy_shortlist(session, matching_cache.get(session), "V1", principal=CLI)


def test_every_shortlist_is_audited_with_its_list_and_model_version(
    seeded: sessionmaker[Session], matching_cache: MatchingCache
) -> None:
    lists = []
    for limit in (3, 5):
        with seeded.begin() as session:
            lists.append(
                vacancy_shortlist(
                    session, matching_cache.get(session), "V1", principal=CLI, limit=limit
                )
            )
    with seeded.begin() as session:  # a list generated in a transaction that fails is not kept
        vacancy_shortlist(session, matching_cache.get(session), "V1", principal=CLI)
        session.rollback()
    with seeded() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        newest = latest_shortlist(session, "V1")
    assert [r.action for r in rows] == [SHORTLIST_ACTION] * 2
    for row, shortlist in zip(rows, lists, strict=True):
        ids = [e.candidate_id for e in shortlist.candidates]
        assert json.loads(row.detail or "{}")["candidates"] == ids and len(ids) in (3, 5)
        assert row.model_version == shortlist.model_version and row.user_id == CLI.user_id
        assert (row.object_type, row.object_id) == ("vacancy", "V1")
    assert newest == [e.candidate_id for e in lists[-1].candidates]

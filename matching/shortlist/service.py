"""Shortlists against the store: load the vacancy, rank, and audit every list generated."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from functools import partial
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from features.pool import VacancyArrays
from matching.access.audit import record
from matching.access.users import Principal
from matching.errors import InvalidInput, NotFound
from matching.shortlist.context import MatchingContext
from matching.shortlist.policy import FallbackPolicy
from matching.shortlist.ranking import Shortlist, rank_vacancy
from matching.shortlist.regional import RegionalView
from matching.shortlist.vacancies import VacancyInfo, load_vacancy
from matching.store import models
from matching.store.access import AuditEntry
from matching.store.db import table

SHORTLIST_ACTION = "shortlist.generate"
MAX_LIMIT = 100


def proposed_ids(session: Session, vacancy_id: str) -> set[str]:
    """Candidates already proposed to the vacancy (any outcome)."""
    return set(session.scalars(_PROPOSED, {"vacancy_id": vacancy_id}))


_PROPOSED = select(table(models.Proposal).c.candidate_id).where(
    table(models.Proposal).c.vacancy_id == bindparam("vacancy_id")
)


def audit_shortlist(session: Session, principal: Principal, shortlist: Shortlist) -> None:
    """Record the list generated: model version and the candidates in rank order."""
    record(
        session,
        principal,
        SHORTLIST_ACTION,
        object_type="vacancy",
        object_id=shortlist.vacancy_id,
        model_version=shortlist.model_version,
        detail={
            "candidates": [e.candidate_id for e in shortlist.candidates],
            "levels": [e.fallback_level for e in shortlist.candidates],
            "fallback_used": shortlist.fallback_used,
        },
    )


def require_vacancy_access(principal: Principal, municipality_code: str, vacancy_id: str) -> None:
    """NotFound, worded as for a vacancy that does not exist, unless ``principal`` acts for the
    vacancy's municipality: a vacancy's shortlist and proposals are its organisation's own."""
    if not principal.acts_for(municipality_code):
        raise NotFound(f"Vacature {vacancy_id!r} niet gevonden.")


def open_vacancy(
    session: Session, context: MatchingContext, vacancy_id: str, *, principal: Principal
) -> tuple[VacancyArrays, VacancyInfo]:
    """The vacancy's arrays and facts (kept by the context); NotFound when it does not exist or
    belongs to another organisation, InvalidInput when it is not open."""
    found = context.open_vacancy(session, vacancy_id)
    if found is not None:
        require_vacancy_access(principal, found[1].municipality_code, vacancy_id)
        return found
    # not among the context's open vacancies: read it (its error, or opened since it loaded)
    vacancy, info = load_vacancy(session, vacancy_id, context.pool, context.spaces)
    require_vacancy_access(principal, info.municipality_code, vacancy_id)
    if info.status != "open":
        raise InvalidInput(f"vacancy {vacancy_id!r} is {info.status}, not open")
    return vacancy, info


def vacancy_shortlist(
    session: Session,
    context: MatchingContext | RegionalView,
    vacancy_id: str,
    *,
    principal: Principal,
    limit: int = 10,
    policy: FallbackPolicy | None = None,
    viewer: Collection[str] | None = None,
    explain_filters: bool = False,
    only: Collection[str] | None = None,
) -> Shortlist:
    """The shortlist of an open vacancy, audited; NotFound / InvalidInput otherwise.
    ``context``: the whole pool's, or the region contexts (``RegionalView``: the vacancy's
    region, and for ``nearby`` the regions within the radius); ``only``: rank only these
    candidates (a programme's participants). "Already proposed" is read through ``session``
    (the primary), in the transaction that writes the audit row."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    others = None
    if isinstance(context, RegionalView):
        view, context = context, context.home(vacancy_id)
        others = partial(view.around, context)
    vacancy, info = open_vacancy(session, context, vacancy_id, principal=principal)
    shortlist = rank_vacancy(
        context,
        vacancy,
        info,
        limit=limit,
        policy=policy,
        viewer=viewer,
        proposed=proposed_ids(session, vacancy_id),
        explain_filters=explain_filters,
        only=only,
        others=others,
    )
    audit_shortlist(session, principal, shortlist)
    return shortlist


def open_vacancy_ids(session: Session) -> list[str]:
    """Ids of the open vacancies, ordered."""
    v = models.Vacancy
    return list(
        session.scalars(select(v.vacancy_id).where(v.status == "open").order_by(v.vacancy_id))
    )


def all_open_shortlists(
    session: Session, context: MatchingContext, *, principal: Principal, **options: Any
) -> Iterator[Shortlist]:
    """The shortlist of every open vacancy (one context: model and pool loaded once)."""
    for vacancy_id in open_vacancy_ids(session):
        yield vacancy_shortlist(session, context, vacancy_id, principal=principal, **options)


def latest_shortlist(session: Session, vacancy_id: str) -> list[str] | None:
    """The candidate ids of the newest shortlist generated for the vacancy, in rank order."""
    a = AuditEntry
    detail = session.scalar(
        select(a.detail)
        .where(a.action == SHORTLIST_ACTION, a.object_type == "vacancy", a.object_id == vacancy_id)
        .order_by(a.at.desc(), a.id.desc())
        .limit(1)
    )
    if detail is None:
        return None
    return list(json.loads(detail).get("candidates", []))

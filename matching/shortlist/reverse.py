"""Reverse matching: the best open vacancies for one candidate, same filters and explanation.

A vacancy is within reach at level ``own`` when it is in the candidate's municipality; with
``consent_regional`` also ``region`` (the other municipalities of their labour-market region)
and ``nearby`` (outside the region, within the policy's radius). Ranked by score.

On the region contexts (a ``RegionalView``) the candidate's region's open vacancies are read,
and only for a consenting candidate whose policy reaches ``nearby`` every other region's too,
in the candidate's region's language codes and in vacancy-id order, so that the list equals
the one of the whole pool (``tests/matching/shortlist/test_reverse_regions.py``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from features.pairwise import COLUMN, pairwise_features_batch
from features.pool import VacancyArrays, language_masks, take_vacancies
from matching.access.audit import record
from matching.access.users import Principal
from matching.errors import InvalidInput, NotFound
from matching.regions import all_regions
from matching.shortlist.context import MatchingContext
from matching.shortlist.explain import Entry, explain
from matching.shortlist.filters import FILTERS, apply_filters, filter_masks
from matching.shortlist.policy import FallbackPolicy
from matching.shortlist.regional import RegionalView
from matching.shortlist.vacancies import OpenVacancies
from matching.store import models


@dataclass(frozen=True)
class Matches:
    """The vacancies for a candidate, best first (``to_dict`` is the JSON shape)."""

    candidate_id: str
    model_version: str
    generated_at: dt.datetime
    vacancies: list[dict[str, Any]]
    filters: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "candidate_id": self.candidate_id,
            "model_version": self.model_version,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "vacancies": self.vacancies,
            "filters": self.filters,
        }


def _levels(
    context: MatchingContext,
    row: int,
    open_: OpenVacancies,
    distance: np.ndarray,
    policy: FallbackPolicy,
) -> np.ndarray:
    """Per vacancy: its level as an index into ``policy.levels``, -1 when out of reach."""
    pool = context.pool
    home = pool.municipality_codes[int(pool.municipality[row])]
    towns = np.array([i.municipality_code for i in open_.info], dtype=object)
    region = context.labels.regions.get(home)
    regions = np.array([context.labels.regions.get(t) for t in towns], dtype=object)
    consent = bool(pool.consent_regional[row])
    masks = {
        "own": towns == home,
        "region": consent & (regions == region) & (towns != home),
        "nearby": consent & (regions != region) & (distance <= policy.radius_km),
    }
    level = np.full(len(towns), -1)
    for i, name in reversed(list(enumerate(policy.levels))):
        level[masks[name]] = i
    return level


def _proposed(session: Session, candidate_id: str, open_: OpenVacancies) -> np.ndarray:
    p = models.Proposal
    done = set(session.scalars(select(p.vacancy_id).where(p.candidate_id == candidate_id)))
    return np.array([i.vacancy_id in done for i in open_.info], dtype=bool)


def _reachable(
    view: RegionalView, home: MatchingContext, row: int, policy: FallbackPolicy
) -> tuple[OpenVacancies, int]:
    """The open vacancies the candidate of ``home``'s ``row`` may reach (module doc), and the
    number of open vacancies in every region."""
    parts = [home.open_vacancies(view.session)]
    if bool(home.pool.consent_regional[row]) and "nearby" in policy.levels:
        others = [view.region(r) for r in all_regions() if r != home.region]
        parts += [c.open_vacancies(view.session) for c in others]
    v = models.Vacancy
    total = view.session.scalar(select(func.count()).where(v.status == "open")) or 0
    return _joined(parts, home.pool.language_codes), int(total)


def _joined(parts: list[OpenVacancies], codes: tuple[str, ...]) -> OpenVacancies:
    """The vacancies of ``parts`` in one, by id, their languages in ``codes``."""
    info = tuple(i for p in parts for i in p.info)
    changes: dict[str, object] = {}
    for f in dataclasses.fields(VacancyArrays):
        values = [getattr(p.arrays, f.name) for p in parts]
        if isinstance(values[0], sparse.csr_matrix):
            changes[f.name] = sparse.vstack(values, format="csr", dtype=values[0].dtype)
        elif isinstance(values[0], np.ndarray):
            changes[f.name] = np.concatenate(values, axis=-1)
    changes["languages_required"] = language_masks([i.languages for i in info], codes)
    arrays = dataclasses.replace(parts[0].arrays, **changes)  # type: ignore[arg-type]
    order = np.argsort(np.array([i.vacancy_id for i in info], dtype=object), kind="stable")
    return OpenVacancies(take_vacancies(arrays, order), tuple(info[i] for i in order))


def candidate_matches(
    session: Session,
    pools: MatchingContext | RegionalView,
    candidate_id: str,
    *,
    principal: Principal,
    limit: int = 10,
    policy: FallbackPolicy | None = None,
) -> Matches:
    """The ``limit`` best open vacancies for the candidate (module doc); audited.

    ``pools``: the whole pool's context, or the region contexts (module doc)."""
    policy = policy or FallbackPolicy()
    if not 1 <= limit <= 100:
        raise InvalidInput(f"limit must be between 1 and 100, not {limit}")
    context = pools.holding(candidate_id) if isinstance(pools, RegionalView) else pools
    row = context.row_of.get(candidate_id)
    if row is None:
        raise NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
    if isinstance(pools, RegionalView):
        open_, total = _reachable(pools, context, row, policy)
    else:
        open_ = context.open_vacancies(session)
        total = len(open_)
    if total == 0:
        return Matches(
            candidate_id, context.model_version, dt.datetime.now(dt.UTC), [], {"open_vacancies": 0}
        )
    if len(open_) == 0:  # none in the regions read: every open vacancy is out of reach
        nothing = {f.name: 0 for f in FILTERS}
        filters = {"open_vacancies": total, "out_of_reach": total, **nothing}
        return Matches(candidate_id, context.model_version, dt.datetime.now(dt.UTC), [], filters)
    one = context.pool.take(np.array([row]))
    features = pairwise_features_batch(open_.arrays, one)[:, 0, :]
    buffer = np.ascontiguousarray(features.T)
    masks = filter_masks(
        buffer,
        inactive=context.inactive[row],
        placed=context.placed[row],
        proposed=_proposed(session, candidate_id, open_),
    )
    level = _levels(context, row, open_, buffer[COLUMN["distance_km"]], policy)
    keep, removed = apply_filters(masks, within=level >= 0)
    rows = np.flatnonzero(keep)
    scored = context.scorer.score(features[rows])
    order = rows[np.lexsort((rows, -scored.score))][:limit]
    matches = [
        _match(context, one, open_, features, int(v), rank, policy.levels[level[v]])
        for rank, v in enumerate(order.tolist(), 1)
    ]
    record(
        session,
        principal,
        "candidate.matches",
        object_type="candidate",
        object_id=candidate_id,
        model_version=context.model_version,
        detail={"vacancies": [m["vacancy_id"] for m in matches]},
    )
    return Matches(
        candidate_id,
        context.model_version,
        dt.datetime.now(dt.UTC),
        matches,
        {"open_vacancies": total, "out_of_reach": total - int(np.sum(level >= 0)), **removed},
    )


def _match(
    context: MatchingContext,
    one: Any,
    open_: OpenVacancies,
    features: np.ndarray,
    v: int,
    rank: int,
    level: str,
) -> dict[str, Any]:
    """One vacancy entry with its explanation."""
    x = features[v : v + 1]
    scored = context.scorer.score(x)
    entry = Entry(0, x[0], context.scorer.contributions(x)[0], level, False, None)
    info = open_.info[v]
    home = one.municipality_codes[int(one.municipality[0])]
    text = explain(
        one,
        open_.arrays.row(v),
        entry,
        context.labels,
        municipality=context.labels.municipality(home),
    )
    return {
        "rank": rank,
        "vacancy_id": info.vacancy_id,
        "title": info.title,
        "employer_id": info.employer_id,
        "score": round(float(scored.score[0]), 4),
        "p_durable": round(float(scored.p_durable[0]), 4),
        "fallback_level": level,
        "municipality_code": info.municipality_code,
        "distance_km": text["travel"]["distance_km"],
        "explanation": text,
    }

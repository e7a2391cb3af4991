"""One candidate × one vacancy, scored and explained as on a shortlist, whatever the vacancy's
status (a proposal's vacancy may be filled by now) and the candidate's (placed by now)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from features.pairwise import pairwise_features_batch
from features.pool import build_vacancy_arrays
from matching.pool_loading import vacancy_frame
from matching.shortlist.context import MatchingContext
from matching.shortlist.explain import Entry, explain
from matching.shortlist.vacancies import VacancyInfo, load_vacancy


@dataclass(frozen=True)
class ScoredPair:
    """The model's chance of a durable placement and the shortlist's explanation of a pair."""

    vacancy: VacancyInfo
    p_durable: float
    explanation: dict[str, Any]

    @property
    def missing(self) -> list[tuple[str, str]]:
        """The missing required competences (URI, Dutch label) as the shortlist shows them: not
        recorded and not likely present through work history."""
        found = self.explanation["competences"]["missing"]
        return [(m["uri"], m["label"]) for m in found if not m["evidence"]]

    @property
    def likely(self) -> list[tuple[str, str]]:
        """The unrecorded required competences likely present through work history (label,
        Dutch reason), as the shortlist shows them."""
        found = self.explanation["competences"]["likely"]
        return [(m["label"], m["evidence"]["text"]) for m in found]


def score_pair(
    session: Session, context: MatchingContext, vacancy_id: str, candidate_id: str
) -> ScoredPair | None:
    """The pair scored and explained; None when the candidate is not in the pool (erased)."""
    row = context.row_of.get(candidate_id)
    if row is None:
        return None
    found = context.open_vacancy(session, vacancy_id)
    arrays, info = (
        found
        if found is not None
        else load_vacancy(session, vacancy_id, context.pool, context.spaces)
    )
    one = context.pool.take(np.array([row]))
    features = np.asarray(pairwise_features_batch(arrays, one)[:, 0, :])
    p_durable = float(context.scorer.score(features).p_durable[0])
    entry = Entry(
        0,
        features[0].tolist(),
        context.scorer.contributions(features)[0].tolist(),
        "own",
        False,
        None,
    )
    home = one.municipality_codes[int(one.municipality[0])]
    text = explain(
        one, arrays, entry, context.labels, municipality=context.labels.municipality(home)
    )
    return ScoredPair(info, round(p_durable, 4), text)


def pair_chances(
    session: Session, context: MatchingContext, pairs: list[tuple[str, str]]
) -> list[float | None]:
    """The model's chance of a durable placement per (vacancy id, candidate id), the vacancies
    read in one go; None for a pair whose candidate or vacancy is gone."""
    wanted = sorted({vacancy_id for vacancy_id, _c in pairs})
    arrays = build_vacancy_arrays(
        vacancy_frame(session, context.spaces, vacancy_ids=wanted), pool=context.pool
    )
    index = {str(vacancy_id): i for i, vacancy_id in enumerate(arrays.ids.tolist())}
    rows: list[np.ndarray] = []
    found: list[int] = []
    for k, (vacancy_id, candidate_id) in enumerate(pairs):
        row, i = context.row_of.get(candidate_id), index.get(vacancy_id)
        if row is None or i is None:
            continue
        one = context.pool.take(np.array([row]))
        rows.append(np.asarray(pairwise_features_batch(arrays.row(i), one)[0, 0, :]))
        found.append(k)
    chances: list[float | None] = [None] * len(pairs)
    if rows:
        scored = context.scorer.score(np.vstack(rows)).p_durable
        for k, p in zip(found, np.asarray(scored).tolist(), strict=True):
            chances[k] = round(float(p), 4)
    return chances

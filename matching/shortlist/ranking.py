"""Rank the candidate pool for one vacancy: hard filters, scorer, cross-municipality fallback.

Fallback (policy in ``matching.shortlist.policy``): the candidates of each level who pass the
filters are ranked by score. The list takes, in order, the own-municipality candidates who
reach the threshold (p_durable), then — only while the list is not full — those of ``region``
who reach it, then those of ``nearby``; remaining places go to the best below the threshold,
again own first. So a fallback candidate never displaces an own candidate who reaches the
threshold. Within ``region``/``nearby`` the order is the policy's: ``best`` (score) or
``nearest`` (distance, then score). Features are computed once for the whole pool into a
reused buffer; p_durable, contributions and explanations only for the candidates shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from features.pairwise import COLUMN, pairwise_features
from features.pool import VacancyArrays
from matching.shortlist.context import MatchingContext
from matching.shortlist.explain import Entry, explain
from matching.shortlist.filters import FILTER_LABELS, apply_filters, filter_masks
from matching.shortlist.policy import FallbackPolicy, Level
from matching.shortlist.vacancies import VacancyInfo

LEVEL_LABELS = {
    "own": "eigen gemeente",
    "region": "arbeidsmarktregio (met toestemming)",
    "nearby": "buiten de regio, binnen de straal (met toestemming)",
}


@dataclass(frozen=True)
class ShortlistEntry:
    """One ranked candidate."""

    rank: int
    candidate_id: str
    score: float
    p_durable: float
    fallback_level: str
    municipality_code: str
    distance_km: float | None
    explanation: dict[str, Any]


@dataclass(frozen=True)
class Shortlist:
    """A shortlist as the CLI prints it and the API returns it (``to_dict``)."""

    vacancy_id: str
    model_version: str
    generated_at: dt.datetime
    fallback_used: bool
    candidates: list[ShortlistEntry]
    filters: dict[str, Any] | None = field(default=None)
    reason: str = ""
    """Why the list was (or was not) widened (``fallback_reason``), for the page."""

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape; ``filters`` only when asked for (explain_filters)."""
        out: dict[str, Any] = {
            "vacancy_id": self.vacancy_id,
            "model_version": self.model_version,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "fallback_used": self.fallback_used,
            "candidates": [e.__dict__.copy() for e in self.candidates],
        }
        if self.filters is not None:
            out["filters"] = self.filters
        return out


def level_masks(
    context: MatchingContext, info: VacancyInfo, distance: np.ndarray, policy: FallbackPolicy
) -> dict[Level, np.ndarray]:
    """Disjoint masks of the pool rows at each level the policy uses (module doc)."""
    pool = context.pool
    own_idx = context.municipality_index(info.municipality_code)
    own = pool.municipality == own_idx if own_idx >= 0 else np.zeros(len(pool), bool)
    region_idx = context.region_index(info.municipality_code)
    in_region = context.region_of[pool.municipality] == region_idx
    if region_idx < 0:
        in_region = own
    consent = pool.consent_regional & ~own
    masks: dict[Level, np.ndarray] = {
        "own": own,
        "region": consent & in_region,
        "nearby": consent & ~in_region & (distance <= np.float32(policy.radius_km)),
    }
    return {level: masks[level] for level in policy.levels}


def fast_scores(context: MatchingContext, buffer: np.ndarray) -> np.ndarray:
    """Ranking scores of every pool row from the F × N feature buffer."""
    if context.linear is not None:
        w, b = context.linear
        # einsum, not BLAS: a threaded BLAS mat-vec stalls when other processes hold the cores
        return np.asarray(np.einsum("f,fn->n", w, buffer) + np.float32(b))
    return np.asarray(context.scorer.score(np.ascontiguousarray(buffer.T)).score)


def _by_score(rows: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` best rows by score, best first (ties by row, i.e. candidate id)."""
    if len(rows) > k:
        rows = rows[np.argpartition(-scores[rows], k - 1)[:k]]
    return rows[np.lexsort((rows, -scores[rows]))]


def _p(context: MatchingContext, features: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return np.asarray(context.scorer.score(features[rows]).p_durable) if len(rows) else np.zeros(0)


def split_level(
    context: MatchingContext,
    features: np.ndarray,
    rows: np.ndarray,
    scores: np.ndarray,
    *,
    limit: int,
    threshold: float,
    nearest: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """The level's rows reaching the threshold and those below, each in list order (≤ limit)."""
    if not nearest:
        top = _by_score(rows, scores, limit)
        p = _p(context, features, top)
        return top[p >= threshold], top[p < threshold]
    p = _p(context, features, rows)
    good, below = rows[p >= threshold], rows[p < threshold]
    distance = features[good, COLUMN["distance_km"]]
    good = good[np.lexsort((good, -scores[good], distance))][:limit]
    return good, _by_score(below, scores, limit)


def fallback_reason(
    info: VacancyInfo,
    context: MatchingContext,
    reached: list[Level],
    own_good: int,
    policy: FallbackPolicy,
    limit: int,
    used: Collection[Level] = (),
) -> str:
    """One Dutch sentence: why the list was (or was not) widened beyond the municipality.

    ``reached``: the levels searched; ``used``: the levels the list actually holds candidates
    of. The sentence says "aangevuld" exactly when the list holds someone from outside the
    municipality, so it always agrees with ``Shortlist.fallback_used``.
    """
    town = context.labels.municipality(info.municipality_code)
    bar = f"kans op duurzame plaatsing ≥ {policy.threshold:.0%}"
    if len(reached) == 1:
        return f"Genoeg kandidaten uit {town} halen de kwaliteitsdrempel ({bar})."
    short = f"Maar {own_good} van de gevraagde {limit} kandidaten uit {town} halen de " + (
        f"kwaliteitsdrempel ({bar})"
    )
    region = context.labels.regions.get(info.municipality_code, "de regio")
    places = {
        "region": f"uit de andere gemeenten van de arbeidsmarktregio {region} die "
        "toestemming gaven voor regionale bemiddeling",
        "nearby": f"van buiten de regio binnen {policy.radius_km:g} km, met toestemming",
    }
    widened = [places[level] for level in reached if level in used and level in places]
    if not widened:
        return (
            f"{short}; elders in de regio was niemand met toestemming die past, dus de lijst "
            f"bevat alleen kandidaten uit {town}."
        )
    return f"{short}; aangevuld met kandidaten " + " en ".join(widened) + "."


def choose(
    context: MatchingContext,
    features: np.ndarray,
    levels: dict[Level, np.ndarray],
    scores: np.ndarray,
    *,
    limit: int,
    policy: FallbackPolicy,
) -> tuple[list[tuple[int, Level]], list[Level], int]:
    """The chosen (row, level) pairs in list order, the levels reached, own rows qualifying."""
    chosen: list[tuple[int, Level]] = []
    below: list[tuple[int, Level]] = []
    reached: list[Level] = []
    own_good = 0
    for level, rows in levels.items():
        if len(chosen) >= limit:
            break
        reached.append(level)
        good, weak = split_level(
            context,
            features,
            rows,
            scores,
            limit=limit - len(chosen),
            threshold=policy.threshold,
            nearest=policy.order == "nearest" and level != "own",
        )
        own_good = len(good) if level == "own" else own_good
        chosen += [(int(r), level) for r in good]
        below += [(int(r), level) for r in weak]
    return (chosen + below)[:limit], reached, own_good


def _entries(
    context: MatchingContext,
    vacancy: VacancyArrays,
    info: VacancyInfo,
    features: np.ndarray,
    chosen: list[tuple[int, Level]],
    viewer: Collection[str] | None,
    reason: str,
    *,
    with_explanation: bool = True,
) -> list[ShortlistEntry]:
    """Scores, contributions and explanations of the chosen rows."""
    rows = np.array([r for r, _ in chosen], dtype=np.int64)
    x = features[rows] if len(rows) else np.zeros((0, features.shape[1]), np.float32)
    scored = context.scorer.score(x)
    contrib = context.scorer.contributions(x) if len(rows) else x
    # plain floats: each is read one by one below, where numpy scalars cost several times more
    xs, cs, scores = x.tolist(), contrib.tolist(), np.asarray(scored.score).tolist()
    p_durable, pool, out = np.asarray(scored.p_durable).tolist(), context.pool, []
    for i, (row, level) in enumerate(chosen):
        code = pool.municipality_codes[int(pool.municipality[row])]
        hidden = viewer is not None and code not in viewer
        entry = Entry(row, xs[i], cs[i], level, hidden, None if level == "own" else reason)
        d = xs[i][COLUMN["distance_km"]]
        text: dict[str, Any] = {"travel": {"distance_km": round(d, 1)}}
        if with_explanation:
            town = context.labels.municipality(code)
            text = explain(pool, vacancy, entry, context.labels, municipality=town)
            if not hidden:
                text["candidate"]["postcode4"] = context.postcode4[row]
        out.append(
            ShortlistEntry(
                rank=i + 1,
                candidate_id=str(pool.ids[row]),
                score=round(scores[i], 4),
                p_durable=round(p_durable[i], 4),
                fallback_level=level,
                municipality_code=code,
                distance_km=text["travel"]["distance_km"] if d == d else None,
                explanation=text,
            )
        )
    return out


def proposed_mask(context: MatchingContext, proposed: Collection[str]) -> np.ndarray:
    """Pool rows of the given candidates (those already proposed, or a programme's)."""
    mask = np.zeros(len(context.pool), dtype=bool)
    rows = [context.row_of[c] for c in proposed if c in context.row_of]
    mask[rows] = True
    return mask


def filter_report(
    context: MatchingContext,
    features: np.ndarray,
    levels: dict[Level, np.ndarray],
    keep: np.ndarray,
    removed: dict[str, int],
    policy: FallbackPolicy,
) -> dict[str, Any]:
    """How many candidates each filter removed, and per level how many remain and qualify."""
    reach = np.logical_or.reduce(list(levels.values()))
    per_level = {}
    for level, mask in levels.items():
        rows = np.flatnonzero(mask & keep)
        qualifying = int(np.count_nonzero(_p(context, features, rows) >= policy.threshold))
        per_level[level] = {
            "label": LEVEL_LABELS[level],
            "eligible": len(rows),
            "qualifying": qualifying,
        }
    return {
        "pool": len(context.pool),
        "outside_levels": int(len(reach) - np.count_nonzero(reach)),
        "removed": [
            {"filter": k, "label": FILTER_LABELS[k], "removed": v} for k, v in removed.items()
        ],
        "remaining": int(np.count_nonzero(keep)),
        "levels": per_level,
        "policy": policy.as_dict(),
    }


def rank_vacancy(
    context: MatchingContext,
    vacancy: VacancyArrays,
    info: VacancyInfo,
    *,
    limit: int = 10,
    policy: FallbackPolicy | None = None,
    proposed: Collection[str] = (),
    viewer: Collection[str] | None = None,
    explain_filters: bool = False,
    with_explanation: bool = True,
    only: Collection[str] | None = None,
) -> Shortlist:
    """The shortlist of one vacancy (module doc).

    ``proposed``: ids already proposed to it; ``viewer``: municipalities whose candidates the
    reader may see in full (None: all) — others are pseudonymised; ``only``: rank only these
    candidates (a programme's participants), None: the whole pool.
    """
    policy = policy or FallbackPolicy()
    with context.buffer() as buffer:
        features = pairwise_features(vacancy, context.pool, out=buffer)
        masks = filter_masks(
            buffer,
            inactive=context.inactive,
            placed=context.placed,
            proposed=proposed_mask(context, proposed),
        )
        levels = level_masks(context, info, buffer[COLUMN["distance_km"]], policy)
        reach = np.logical_or.reduce(list(levels.values()))
        if only is not None:
            reach = reach & proposed_mask(context, only)
            levels = {level: mask & reach for level, mask in levels.items()}
        keep, removed = apply_filters(masks, within=reach)
        rows = {level: np.flatnonzero(mask & keep) for level, mask in levels.items()}
        scores = fast_scores(context, buffer)
        chosen, reached, own_good = choose(
            context, features, rows, scores, limit=limit, policy=policy
        )
        used = {level for _, level in chosen}
        reason = fallback_reason(info, context, reached, own_good, policy, limit, used)
        entries = _entries(
            context,
            vacancy,
            info,
            features,
            chosen,
            viewer,
            reason,
            with_explanation=with_explanation,
        )
        report = None
        if explain_filters:
            report = filter_report(context, features, levels, keep, removed, policy)
            report["fallback_reason"] = reason
            report["levels_reached"] = list(reached)
    return Shortlist(
        vacancy_id=info.vacancy_id,
        model_version=context.model_version,
        generated_at=dt.datetime.now(dt.UTC),
        candidates=entries,
        fallback_used=any(e.fallback_level != "own" for e in entries),
        filters=report,
        reason=reason,
    )

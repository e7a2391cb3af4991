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

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from features.pairwise import COLUMN, pairwise_features
from features.pool import VacancyArrays, language_masks
from matching.dutch import percent
from matching.shortlist.choosing import Part, Pick, choose_parts, p_durable
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
    bar = f"kans op duurzame plaatsing ≥ {percent(policy.threshold)}"
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


def _feature_rows(parts: Sequence[Part], picks: list[Pick]) -> np.ndarray:
    """The feature rows of ``picks`` (K × F), one gather per part."""
    x = np.zeros((len(picks), parts[0].features.shape[1]), np.float32)
    for k in {k for k, _ in picks}:
        at = [i for i, (kk, _) in enumerate(picks) if kk == k]
        x[at] = parts[k].features[np.array([picks[i][1] for i in at], dtype=np.int64)]
    return x


def _entries(
    parts: Sequence[Part],
    info: VacancyInfo,
    chosen: list[tuple[Pick, Level]],
    viewer: Collection[str] | None,
    reason: str,
    *,
    with_explanation: bool = True,
) -> list[ShortlistEntry]:
    """Scores, contributions and explanations of the chosen rows (of any part)."""
    scorer = parts[0].context.scorer
    x = _feature_rows(parts, [pick for pick, _ in chosen])
    scored = scorer.score(x)
    contrib = scorer.contributions(x) if len(x) else x
    # plain floats: each is read one by one below, where numpy scalars cost several times more
    xs, cs, scores = x.tolist(), contrib.tolist(), np.asarray(scored.score).tolist()
    p_durable, out = np.asarray(scored.p_durable).tolist(), []
    for i, ((k, row), level) in enumerate(chosen):
        context, vacancy = parts[k].context, parts[k].vacancy
        pool = context.pool
        code = pool.municipality_codes[int(pool.municipality[row])]
        hidden = viewer is not None and code not in viewer
        entry = Entry(row, xs[i], cs[i], level, hidden, None if level == "own" else reason)
        d = xs[i][COLUMN["distance_km"]]
        text: dict[str, Any] = {"travel": {"distance_km": round(d, 1)}}
        if with_explanation:
            assert vacancy is not None
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


def filter_report(parts: Sequence[Part], policy: FallbackPolicy) -> dict[str, Any]:
    """How many candidates each filter removed, and per level how many remain and qualify,
    over the pools of ``parts`` (the whole pool, or the regions the list read)."""
    per_level: dict[str, dict[str, Any]] = {}
    for level in policy.levels:
        eligible = qualifying = 0
        for part in parts:
            rows = part.rows[level]
            p = p_durable(part.context, part.features, rows)
            eligible, qualifying = (
                eligible + len(rows),
                qualifying + int(np.sum(p >= policy.threshold)),
            )
        per_level[level] = {
            "label": LEVEL_LABELS[level],
            "eligible": eligible,
            "qualifying": qualifying,
        }
    removed = {k: sum(part.removed[k] for part in parts) for k in parts[0].removed}
    pool = sum(len(part.context.pool) for part in parts)
    reach = sum(int(np.count_nonzero(np.logical_or.reduce(list(p.masks.values())))) for p in parts)
    return {
        "pool": pool,
        "outside_levels": pool - reach,
        "removed": [
            {"filter": k, "label": FILTER_LABELS[k], "removed": v} for k, v in removed.items()
        ],
        "remaining": sum(0 if p.keep is None else int(np.count_nonzero(p.keep)) for p in parts),
        "levels": per_level,
        "policy": policy.as_dict(),
    }


def make_part(
    context: MatchingContext,
    vacancy: VacancyArrays,
    info: VacancyInfo,
    buffer: np.ndarray,
    *,
    policy: FallbackPolicy,
    proposed: Collection[str],
    only: Collection[str] | None,
) -> Part:
    """Features, filters, levels and scores of one pool for the vacancy (into ``buffer``)."""
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
    return Part(context, features, scores, rows, vacancy, levels, keep, removed)


def in_codes(vacancy: VacancyArrays, info: VacancyInfo, context: MatchingContext) -> VacancyArrays:
    """The vacancy with its required languages in ``context``'s pool's language codes."""
    required = language_masks([info.languages], context.pool.language_codes)
    return dataclasses.replace(vacancy, languages_required=required)


Others = Callable[[VacancyArrays, float, bool], Sequence[MatchingContext] | None]
"""The contexts beyond the vacancy's own holding candidates within the radius (``nearby``);
with False, None when some would have to be loaded first (``RegionalView.around``)."""


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
    others: Others | None = None,
) -> Shortlist:
    """The shortlist of one vacancy (module doc).

    ``proposed``: ids already proposed to it; ``viewer``: municipalities whose candidates the
    reader may see in full (None: all) — others are pseudonymised; ``only``: rank only these
    candidates (a programme's participants), None: the whole pool; ``others``: when
    ``context`` is one region's, the contexts the level ``nearby`` reads, asked for only when
    the list reaches that level (or the filters are explained). A region that must be loaded
    first is loaded outside the ranking lock, and the list ranked again.
    """
    policy = policy or FallbackPolicy()
    rank = partial(
        _rank, context, vacancy, info, limit=limit, policy=policy, proposed=proposed,
        viewer=viewer, explain_filters=explain_filters, with_explanation=with_explanation,
        only=only, others=others,
    )  # fmt: skip
    shortlist = rank(load=False)
    if shortlist is None and others is not None:
        others(vacancy, policy.radius_km, True)  # load them now, holding no ranking lock
        shortlist = rank(load=True)
    assert shortlist is not None
    return shortlist


def _rank(
    context: MatchingContext,
    vacancy: VacancyArrays,
    info: VacancyInfo,
    *,
    limit: int,
    policy: FallbackPolicy,
    proposed: Collection[str],
    viewer: Collection[str] | None,
    explain_filters: bool,
    with_explanation: bool,
    only: Collection[str] | None,
    others: Others | None,
    load: bool,
) -> Shortlist | None:
    """``rank_vacancy``; None when ``others`` would have to load a region and ``load`` is
    False."""
    part = partial(make_part, policy=policy, proposed=proposed, only=only)
    with ExitStack() as stack:
        parts = [part(context, vacancy, info, stack.enter_context(context.buffer()))]
        chosen, reached, own_good = choose_parts(parts, limit=limit, policy=policy)
        wanted = "nearby" in reached or explain_filters
        if others is not None and "nearby" in policy.levels and wanted:
            found = others(vacancy, policy.radius_km, load)
            if found is None:
                return None
            for other in found:
                buffer = stack.enter_context(other.buffer())
                parts.append(part(other, in_codes(vacancy, info, other), info, buffer))
            if len(parts) > 1:
                chosen, reached, own_good = choose_parts(parts, limit=limit, policy=policy)
        used = {level for _, level in chosen}
        reason = fallback_reason(info, context, reached, own_good, policy, limit, used)
        entries = _entries(parts, info, chosen, viewer, reason, with_explanation=with_explanation)
        report = None
        if explain_filters:
            report = filter_report(parts, policy)
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

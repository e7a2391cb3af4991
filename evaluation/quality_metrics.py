"""Per-world figures of the quality bench (``werkmatch bench quality``): lists against the truth.

Each world (``evaluation.quality_worlds``) is run through the real import, training and
shortlist paths; its lists are scored against the world's true P(durable | placed). Rankers
(all over the same eligible candidates of each open vacancy, lists of 10):

- ``werkmatch``: the shortlist as listed (own-municipality-first policy included);
- ``oracle``: the 10 eligible candidates with the highest truth (NDCG 1 by definition);
- ``oracle_policy``: the truth under the same own-municipality-first policy (truth as p);
- ``attainable``: the truth without its unobservable candidate term (the ceiling of anyone
  who sees only what files could hold);
- ``random``, ``nearest`` (distance between the PC4 centroids) and ``skill_overlap`` (share of
  the vacancy's required competences written exactly — same text or URI, case-insensitive — in
  the candidate's competences; ties random). How well ``nearest`` does differs from world to
  world: that is the point of a family.

NDCG@10 uses the truth as graded gain (an empty place on a short list gains 0); the
expected durable placements of a list are the sum of its truths. Calibration compares the
shown ``p_durable`` with the truth of the same pairs: P(durable | placed), and — because the
number shown may be meant per proposal — also with about P(a proposal ends in a durable
placement) (``demo.world.true_pairs``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from demo.world import TruePairs, World, true_pairs
from evaluation.quality_worlds import LIST_LENGTH, VacancyLists, WorldLists
from matching.metrics import calibration_error_to_truth, ndcg_at_k
from matching.shortlist.policy import FallbackPolicy

RANKERS = (
    "werkmatch", "oracle", "oracle_policy", "attainable", "skill_overlap", "nearest", "random",
)  # fmt: skip


@dataclass(frozen=True)
class Picks:
    """Per vacancy, the positions (into its eligible candidates) each ranker lists, in order."""

    by_ranker: dict[str, list[np.ndarray]] = field(default_factory=dict)


def _top(scores: np.ndarray, k: int = LIST_LENGTH) -> np.ndarray:
    """Positions of the ``k`` highest scores, best first (ties by position)."""
    return np.lexsort((np.arange(len(scores)), -scores))[:k]


def policy_list(truth: np.ndarray, level: np.ndarray, policy: FallbackPolicy) -> np.ndarray:
    """The list the policy makes when the truth is the probability (order ``best``).

    Level by level, the best candidates reaching the threshold; a next level only while the
    list is not full; then the best below the threshold of the levels reached.
    """
    good: list[int] = []
    below: list[int] = []
    for name in policy.levels:
        if len(good) >= LIST_LENGTH:
            break
        rows = np.flatnonzero(level == name)
        top = rows[_top(truth[rows], LIST_LENGTH - len(good))]
        good += [int(r) for r in top if truth[r] >= policy.threshold]
        below += [int(r) for r in top if truth[r] < policy.threshold]
    return np.array((good + below)[:LIST_LENGTH], dtype=np.int64)


def _written(frame: pd.DataFrame, column: str) -> dict[str, frozenset[str]]:
    """The ``;``-separated items of a column per id, case-folded."""
    return {
        str(key): frozenset(x.strip().casefold() for x in str(cell).split(";") if x.strip())
        for key, cell in zip(frame.iloc[:, 0], frame[column], strict=True)
    }


@dataclass(frozen=True)
class WrittenSkills:
    """Competences exactly as written in the exchange files."""

    candidates: dict[str, frozenset[str]]
    vacancies: dict[str, frozenset[str]]

    @classmethod
    def read(cls, lists: WorldLists) -> WrittenSkills:
        """From the world's ``candidates.csv`` and ``vacancies.csv``."""
        read = {"dtype": str, "keep_default_na": False}
        candidates = pd.read_csv(lists.out_dir / "candidates.csv", **read)
        vacancies = pd.read_csv(lists.out_dir / "vacancies.csv", **read)
        return cls(
            _written(candidates[["candidate_id", "competences"]], "competences"),
            _written(vacancies[["vacancy_id", "required_competences"]], "required_competences"),
        )

    def overlap(self, vacancy_id: str, candidate_ids: np.ndarray) -> np.ndarray:
        """Share of the vacancy's required competences each candidate has written."""
        required = self.vacancies.get(vacancy_id, frozenset())
        if not required:
            return np.zeros(len(candidate_ids))
        empty: frozenset[str] = frozenset()
        return np.array(
            [len(required & self.candidates.get(c, empty)) for c in candidate_ids.tolist()]
        ) / len(required)


def _picks(
    v: VacancyLists, truth: TruePairs, overlap: np.ndarray, policy: FallbackPolicy,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:  # fmt: skip
    """Each ranker's list as positions into ``v.eligible`` (-1: listed but not eligible)."""
    position = {c: i for i, c in enumerate(v.eligible.tolist())}
    jitter = rng.random(len(v.eligible))
    return {
        "werkmatch": np.array([position.get(c, -1) for c in v.listed], dtype=np.int64),
        "oracle": _top(truth.p_durable),
        "oracle_policy": policy_list(truth.p_durable, v.level, policy),
        "attainable": _top(truth.p_attainable),
        "skill_overlap": _top(overlap + 1e-6 * jitter),
        "nearest": _top(-truth.distance_km),
        "random": _top(jitter),
    }


def _ndcg(picks: list[np.ndarray], gains: list[np.ndarray]) -> float:
    """NDCG@10 of explicit lists over each vacancy's eligible gains (metrics.ndcg_at_k).

    Columns: the eligible candidates, then ``LIST_LENGTH`` places of gain 0 that stand for an
    empty place or an ineligible candidate on a short list.
    """
    width = max(len(g) for g in gains) + LIST_LENGTH
    scores = np.full((len(gains), width), -1.0)
    relevance = np.full((len(gains), width), np.nan)
    for i, (pick, gain) in enumerate(zip(picks, gains, strict=True)):
        relevance[i, : len(gain)] = gain
        relevance[i, len(gain) : len(gain) + LIST_LENGTH] = 0.0
        slot = np.where(pick >= 0, pick, len(gain) + np.arange(len(pick)))
        scores[i, slot] = LIST_LENGTH + 1.0 - np.arange(1, len(pick) + 1)
    return ndcg_at_k(scores, relevance, k=LIST_LENGTH)


def ineligible(world: World, vacancy_id: str, candidate_ids: list[str]) -> int:
    """Listed candidates the world says may not be listed: not active (inactive or in a running
    placement), already proposed to the vacancy, or from another municipality without consent."""
    if not candidate_ids:
        return 0
    row = pd.Series(np.arange(world.people.size), index=world.candidate_ids)
    v = int(np.flatnonzero(world.vacancy_ids == vacancy_id)[0])
    c = row.reindex(candidate_ids).to_numpy(dtype=np.int64)
    proposed = np.isin(c, world.history.c[world.history.v == v])
    elsewhere = (
        world.geo.municipality[world.people.pc4[c]] != world.geo.municipality[world.jobs.pc4[v]]
    )
    wrong = (
        (world.candidate_status[c] != "active") | proposed | (elsewhere & ~world.people.consent[c])
    )
    return int(wrong.sum())


@dataclass(frozen=True)
class Scored:
    """A vacancy's eligible truth and each ranker's picks."""

    truth: TruePairs
    picks: dict[str, np.ndarray]


def _score_vacancies(lists: WorldLists) -> list[Scored]:
    """Truth of every eligible pair and the rankers' lists, per vacancy with eligible people."""
    written, rng = WrittenSkills.read(lists), np.random.default_rng(lists.spec.seed)
    out = []
    for v in lists.vacancies:
        if not len(v.eligible):
            continue
        truth = true_pairs(lists.world, np.repeat(v.vacancy_id, len(v.eligible)), v.eligible)
        overlap = written.overlap(v.vacancy_id, v.eligible)
        out.append(Scored(truth, _picks(v, truth, overlap, lists.policy, rng)))
    return out


def _mean_of_picks(scored: list[Scored], ranker: str, values: str) -> float:
    """Mean of a TruePairs field over every eligible candidate the ranker listed."""
    chosen = [getattr(s.truth, values)[s.picks[ranker][s.picks[ranker] >= 0]] for s in scored]
    flat = np.concatenate(chosen) if chosen else np.zeros(0)
    return round(float(np.mean(flat)), 4) if len(flat) else float("nan")


def _calibration(lists: WorldLists) -> dict[str, float]:
    """ECE of the shown p_durable against the truth of the shown pairs, and both means; the
    same against the (approximate) chance that a proposal ends in a durable placement."""
    ids = [(v.vacancy_id, c) for v in lists.vacancies for c in v.listed]
    if not ids:
        return {"ece": float("nan"), "mean_shown": float("nan"), "mean_true": float("nan")}
    shown = np.concatenate([v.shown_p for v in lists.vacancies])
    truth = true_pairs(lists.world, [v for v, _ in ids], [c for _, c in ids])
    return {
        "ece": round(calibration_error_to_truth(shown, truth.p_durable), 4),
        "mean_shown": round(float(shown.mean()), 4),
        "mean_true": round(float(truth.p_durable.mean()), 4),
        "ece_proposal": round(calibration_error_to_truth(shown, truth.p_proposal), 4),
        "mean_true_proposal": round(float(truth.p_proposal.mean()), 4),
    }


def normalisation(lists: WorldLists) -> dict[str, float]:
    """How well import recovered occupations: the vacancy's (right, missing; all vacancies and
    the open ones) and the candidates' work history (recall, precision of the ESCO URIs)."""
    world = lists.world
    true_uri = dict(zip(world.vacancy_ids.tolist(), world.tax.occ_uri[world.jobs.occ], strict=True))
    open_ids = {v.vacancy_id for v in lists.vacancies}
    out: dict[str, float] = {}
    for name, ids in (("", list(true_uri)), ("_open", sorted(open_ids))):
        stored = [lists.vacancy_occupations.get(i) for i in ids]
        n = max(len(ids), 1)
        out[f"vacancy_occupation_right{name}"] = round(
            sum(s == true_uri[i] for s, i in zip(stored, ids, strict=True)) / n, 4
        )
        out[f"vacancy_occupation_missing{name}"] = round(sum(s is None for s in stored) / n, 4)
    rows, cols = np.nonzero(world.people.occ >= 0)
    truth = set(
        zip(
            world.candidate_ids[rows].tolist(),
            world.tax.occ_uri[world.people.occ[rows, cols]].tolist(),
            strict=True,
        )
    )
    found = set(lists.candidate_occupations)
    out["history_occupation_recall"] = round(len(truth & found) / max(len(truth), 1), 4)
    out["history_occupation_precision"] = round(len(truth & found) / max(len(found), 1), 4)
    return out


def world_metrics(lists: WorldLists) -> dict[str, Any]:
    """Every figure of one world (module doc); NaN where a world has no open vacancy."""
    scored = _score_vacancies(lists)
    out: dict[str, Any] = {
        "world": lists.spec.name, "region": lists.spec.region, "seed": lists.spec.seed,
        "model": lists.model, "trained": lists.trained, "open_vacancies": len(lists.vacancies),
        "scored_vacancies": len(scored),
    }  # fmt: skip
    gains = [s.truth.p_durable for s in scored]
    for ranker in RANKERS:
        picks = [s.picks[ranker] for s in scored]
        expected = [float(g[p[p >= 0]].sum()) for p, g in zip(picks, gains, strict=True)]
        out[f"ndcg_{ranker}"] = round(_ndcg(picks, gains), 4) if scored else float("nan")
        out[f"expected_{ranker}"] = round(float(np.mean(expected)), 3) if scored else float("nan")
    out["ratio_to_oracle"] = round(out["expected_werkmatch"] / out["expected_oracle"], 4)
    out.update(_calibration(lists))
    n = max(len(lists.vacancies), 1)
    out["full_lists"] = round(sum(len(v.listed) == LIST_LENGTH for v in lists.vacancies) / n, 4)
    out["full_possible"] = round(
        sum(min(len(v.eligible), LIST_LENGTH) == LIST_LENGTH for v in lists.vacancies) / n, 4
    )
    out["ineligible_listed"] = sum(
        ineligible(lists.world, v.vacancy_id, v.listed) for v in lists.vacancies
    )
    # listed but not among the eligible the bench took (same filters and levels): should be 0
    out["outside_eligible"] = sum(int((s.picks["werkmatch"] < 0).sum()) for s in scored)
    for ranker in ("werkmatch", "oracle"):
        for name in ("coverage", "has_occupation", "distance_km"):
            out[f"{name}_{ranker}"] = _mean_of_picks(scored, ranker, name)
    out.update(normalisation(lists))
    out["mechanisms"] = lists.world.mechanisms.as_dict()
    return out

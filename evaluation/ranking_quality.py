"""Ranking quality, calibration and exposure of the rebuilt shortlists (``evaluation.backtest``).

Per ranker a score matrix is built over the *filled* vacancies (a placement through the vacancy
recorded by ``as_of``): one row per vacancy, one column per eligible candidate plus one per hire
the list left out. ``werkmatch`` and ``prior`` score minus the list position (the list as the
account manager would have seen it); ``skill_overlap`` scores the share of required skills
held (ties pessimistic, ``matching.metrics``). A hire the list left out scores ``-inf``: a
miss, never dropped. Relevance: hired. NDCG gain: the placement became durable; NDCG is taken
only over vacancies whose hires all started at least 6 months + 1 day before ``as_of`` (so
durability is decided, and quick failures do not outweigh successes not yet visible).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from evaluation.backtest import RANKERS, BacktestRuns, VacancyRun
from matching.errors import InvalidInput
from matching.metrics import (
    brier,
    calibration_noise,
    expected_calibration_error,
    gini,
    hit_at_k,
    mrr,
    ndcg_at_k,
    reliability_curve,
)
from matching.scoring.training_rows import PLACED_STATUSES, label_proposals

CALIBRATED = ("werkmatch", "prior", "placed")
"""Whose p_durable the calibration checks (``calibration_summary``)."""


def _ranker_scores(run: VacancyRun, ranker: str) -> np.ndarray:
    if ranker == "skill_overlap":
        return run.overlap
    return -run.position[ranker].astype(np.float64)


def score_matrices(
    runs: list[VacancyRun], ranker: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(scores, relevance, gains) over the filled vacancies (module doc); NaN pads outside."""
    filled = [r for r in runs if r.hires]
    width = max((len(r.eligible) + len(r.hires) for r in filled), default=0)
    shape = (len(filled), max(width, 1))
    scores, relevance, gains = np.zeros(shape), np.full(shape, np.nan), np.full(shape, np.nan)
    for i, run in enumerate(filled):
        n = len(run.eligible)
        scores[i, :n] = _ranker_scores(run, ranker)
        relevance[i, :n], gains[i, :n] = 0.0, 0.0
        decided = all(h.mature for h in run.hires)
        for j, hire in enumerate(run.hires):
            at = np.searchsorted(run.eligible, hire.row) if hire.reason is None else n + j
            if hire.reason is not None:
                scores[i, at] = -np.inf
            relevance[i, at] = 1.0
            gains[i, at] = hire.gain if decided else 0.0
        if not decided:
            gains[i, : n + len(run.hires)] = 0.0
    return scores, relevance, gains


def _safe(metric: Any, *args: Any, **kwargs: Any) -> float | None:
    try:
        return round(float(metric(*args, **kwargs)), 4)
    except InvalidInput:
        return None


def ranking_metrics(backtest: BacktestRuns) -> pd.DataFrame:
    """Per ranker: vacancies, hit@k for each k, MRR, NDCG@k (gain: durable), NDCG vacancies."""
    k, rows = backtest.options.k, []
    for ranker in RANKERS:
        scores, relevance, gains = score_matrices(backtest.runs, ranker)
        row: dict[str, Any] = {"ranker": ranker, "vacancies": len(scores)}
        if not any(r.hires for r in backtest.runs):
            rows.append(row)
            continue
        for kk in backtest.options.ks:
            row[f"hit_at_{kk}"] = _safe(hit_at_k, scores, relevance, k=kk)
        row["mrr"] = _safe(mrr, scores, relevance)
        row[f"ndcg_at_{k}"] = _safe(ndcg_at_k, scores, gains, k=k)
        row["ndcg_vacancies"] = int((np.nan_to_num(gains) > 0).any(axis=1).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def hire_reasons(backtest: BacktestRuns) -> pd.DataFrame:
    """Why hires were not on the rebuilt list at all (count per reason; 'op de lijst' = on it)."""
    counts = Counter(h.reason or "op de lijst" for r in backtest.runs for h in r.hires)
    return pd.DataFrame(sorted(counts.items(), key=lambda kv: -kv[1]), columns=["reason", "hires"])


def calibration_rows(backtest: BacktestRuns) -> pd.DataFrame:
    """Placements through the rebuilt vacancies with a known outcome as of ``as_of``, both p's.

    p_durable is the chance that a placement lasts 6 months + 1 day, so it is checked against
    the placements: proposals that led to one, labelled as in training (``label_proposals``):
    1 durable, 0 ended earlier; censored ones (immature, still running) are left out.
    """
    p_rows = [(r.vacancy_id, c, *ps) for r in backtest.runs for c, ps in r.proposed.items()]
    names = ["vacancy_id", "candidate_id", "p_werkmatch", "p_prior", "p_placed"]
    frame = pd.DataFrame(p_rows, columns=names)
    placed = backtest.placements.loc[backtest.placements["vacancy_id"].notna()]
    labelled = label_proposals(backtest.proposals, placed, as_of=backtest.as_of)
    decided = labelled["label"].notna() & labelled["status"].isin(PLACED_STATUSES)
    known = labelled.loc[decided, ["vacancy_id", "candidate_id", "label"]]
    out = frame.merge(known.drop_duplicates(["vacancy_id", "candidate_id"]), how="inner")
    return out.assign(label=out["label"].astype("int64"))


def calibration_summary(rows: pd.DataFrame, *, bins: int = 10) -> dict[str, Any]:
    """Brier, ECE (with the ECE a calibrated p would show on this many placements: ``noise``)
    and the reliability curve, for werkmatch as shown, the prior, and werkmatch at the level
    of the placements (``placed``: the like-for-like check; the shown level is lower on
    purpose, ``matching.scoring.level``)."""
    out: dict[str, Any] = {
        "placements": len(rows),
        "durable": int(rows["label"].sum()) if len(rows) else 0,
    }
    for name in CALIBRATED:
        if rows.empty:
            out[name] = None
            continue
        p, y = rows[f"p_{name}"].clip(0, 1), rows["label"]
        curve = reliability_curve(p, y, bins=bins)
        out[name] = {
            "brier": round(brier(p, y), 4),
            "ece": round(expected_calibration_error(p, y, bins=bins), 4),
            "noise": round(calibration_noise(p, bins=bins), 4),
            "mean_p": round(float(p.mean()), 4),
            "observed": round(float(y.mean()), 4),
            "curve": pd.DataFrame(
                {
                    "lower": curve.lower,
                    "upper": curve.upper,
                    "count": curve.count,
                    "mean_predicted": curve.mean_predicted,
                    "observed_rate": curve.observed_rate,
                }
            ),
        }
    return out


def exposure(backtest: BacktestRuns) -> pd.DataFrame:
    """Per list kind: how often candidates appear (Gini over everyone eligible at least once),
    distinct candidates, and the share of fallback entries (candidate from another municipality).
    """
    k, runs = backtest.options.k, backtest.runs
    eligible = np.unique(np.concatenate([r.eligible for r in runs])) if runs else np.zeros(0, int)
    rows = []
    for ranker in ("werkmatch", "prior"):
        counts = Counter[int]()
        fallback = entries = 0
        for r in runs:
            top = r.position[ranker] < k
            counts.update(r.eligible[top].tolist())
            fallback += int((r.level[top] > 0).sum())
            entries += int(top.sum())
        rows.append(_exposure_row(f"shortlist_{ranker}", counts, eligible, fallback, entries))
    rows.append(_proposal_exposure(backtest, eligible))
    return pd.DataFrame(rows)


def _exposure_row(
    name: str, counts: Counter[int], population: np.ndarray, fallback: int, entries: int
) -> dict[str, Any]:
    values = np.array([counts.get(int(c), 0) for c in population], dtype=np.float64)
    return {
        "lists": name,
        "entries": entries,
        "distinct_candidates": len(counts),
        "gini": round(gini(values), 4) if len(values) else None,
        "fallback_share": round(fallback / entries, 4) if entries else None,
    }


def _proposal_exposure(backtest: BacktestRuns, population: np.ndarray) -> dict[str, Any]:
    """The same for the proposals actually made to the rebuilt vacancies (history)."""
    row_of = {c: i for i, c in enumerate(backtest.pool_ids.tolist())}
    home = {r.vacancy_id: r.municipality_code for r in backtest.runs}
    props = backtest.proposals.loc[backtest.proposals["vacancy_id"].isin(home)]
    rows = [row_of.get(c, -1) for c in props["candidate_id"]]
    counts = Counter(r for r in rows if r >= 0)
    fallback = sum(
        1
        for r, v in zip(rows, props["vacancy_id"], strict=True)
        if r >= 0 and backtest.pool_municipality[r] != home[v]
    )
    everyone = np.union1d(population, np.array(list(counts), dtype=np.int64))
    return _exposure_row("proposals_history", counts, everyone, fallback, len(props))

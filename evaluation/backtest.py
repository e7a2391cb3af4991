"""An honest temporal backtest of the shortlists: rebuilt per vacancy as of its opening date.

For every vacancy opened in the period (and by ``as_of``), the shortlist is rebuilt with the
scorer werkmatch would have had at the vacancy's cut-off (the last day before its opening
month or quarter; ``evaluation.backtest_training``), and with two baselines: the transparent
prior and a plain skill-overlap ranking (share of the vacancy's required skills held, among the
same eligible candidates). Nothing after the cut-off reaches the model, and nothing after the
opening date reaches the filters (``evaluation.backtest_ranking``). Outcomes (who was hired,
whether it lasted) are read as of ``as_of`` only to score the lists.

Limitation: the store keeps only the *current* candidate attributes (skills, hours, address,
availability) and no registration date, so the pool of a past date is today's pool and its
attributes are today's. The report says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy.orm import Session

from evaluation.backtest_ranking import Eligible, eligible_rows, miss_reason, ordered
from evaluation.backtest_training import CutoffModel, FeatureCache, cutoff_of, fit_at
from evaluation.placement_report import Period
from evaluation.placements import MONTHS, ONE_DAY, classify_placements
from features.pairwise import COLUMN, N_FEATURES, pairwise_features
from features.pool import build_vacancy_arrays
from matching.history import placement_history, proposal_history, vacancy_history
from matching.pool_loading import vacancy_frame
from matching.scoring.fitting import MIN_POSITIVES, MIN_ROWS
from matching.scoring.prior import PriorScorer
from matching.shortlist.context import MatchingContext, linear_form, load_context
from matching.shortlist.policy import FallbackPolicy
from matching.shortlist.vacancies import VacancyInfo

RANKERS = ("werkmatch", "prior", "skill_overlap")
NO_MODEL_DIR = Path("/nonexistent/werkmatch-backtest-models")
PROGRESS_REPORTS = 100
"""About how often ``run_backtest`` reports progress (each report may cost a database read)."""
"""A model directory without models: the base context scores with the prior."""


@dataclass(frozen=True)
class BacktestOptions:
    """Shortlist length ``k``, the hit@k cut-offs, model cut-off frequency, training minimums,
    ``force`` (keep a learned model worse than the prior) and the fallback policy."""

    k: int = 10
    ks: tuple[int, ...] = (1, 5, 10)
    freq: str = "Q"
    min_rows: int = MIN_ROWS
    min_positives: int = MIN_POSITIVES
    force: bool = False
    policy: FallbackPolicy = field(default_factory=FallbackPolicy)


@dataclass(frozen=True)
class Hire:
    """A placement through the vacancy: its pool row (-1: not in the pool), gain, and maturity.

    ``gain`` is 1 for a durable placement and 0 otherwise as of ``as_of``; ``mature`` when it
    started at least 6 months + 1 day before ``as_of`` (so durability is decided).
    """

    candidate_id: str
    row: int
    gain: float
    mature: bool
    reason: str | None


@dataclass
class VacancyRun:
    """One rebuilt vacancy: its eligible rows (sorted), their level, per-ranker positions, …"""

    vacancy_id: str
    municipality_code: str
    opened_on: dt.date
    cutoff: dt.date
    eligible: np.ndarray
    level: np.ndarray
    position: dict[str, np.ndarray]
    overlap: np.ndarray
    p_durable: np.ndarray
    hires: list[Hire]
    proposed: dict[str, tuple[float, float, float]]
    """Candidates proposed to it (history) → werkmatch p_durable as shown, the prior's, and
    werkmatch's at the level of the history's placements (``CutoffModel.placed``)."""


@dataclass(frozen=True)
class BacktestRuns:
    """Everything the ranking-quality, exposure and fairness metrics are computed from."""

    runs: list[VacancyRun]
    models: list[CutoffModel]
    pool_ids: np.ndarray
    pool_municipality: np.ndarray
    options: BacktestOptions
    as_of: dt.date
    proposals: pd.DataFrame
    placements: pd.DataFrame


def _infos(vacancies: pd.DataFrame) -> dict[str, VacancyInfo]:
    """VacancyInfo per vacancy (competence lists are not needed without explanations)."""
    return {
        r.vacancy_id: VacancyInfo(
            r.vacancy_id,
            r.title,
            r.employer_id,
            r.municipality_code,
            int(r.positions or 1),
            r.status,
            int(r.hours_per_week),
            r.occupation_uri,
            (),
            (),
        )
        for r in vacancies.itertuples(index=False)
    }


def running_on(
    placements: pd.DataFrame, day: dt.date, row_of: dict[str, int], n: int
) -> np.ndarray:
    """Pool mask of the candidates with a placement running on ``day`` (started before it)."""
    start, end = pd.to_datetime(placements["start_date"]), pd.to_datetime(placements["end_date"])
    cut = pd.Timestamp(day)
    running = (start < cut) & (end.isna() | (end >= cut))
    mask = np.zeros(n, dtype=bool)
    mask[[row_of[c] for c in placements.loc[running, "candidate_id"] if c in row_of]] = True
    return mask


def _hires(
    classified: pd.DataFrame,
    vacancy_id: str,
    eligible: Eligible,
    row_of: dict[str, int],
    as_of: dt.date,
) -> list[Hire]:
    rows = classified.loc[classified["vacancy_id"] == vacancy_id]
    decided = pd.Timestamp(as_of) - MONTHS - ONE_DAY
    out = []
    for r in rows.itertuples(index=False):
        row = row_of.get(r.candidate_id, -1)
        mature = bool(r.start_date <= decided)
        out.append(Hire(r.candidate_id, row, float(r.durable), mature, miss_reason(row, eligible)))
    return out


@dataclass
class _State:
    """What the loop over vacancies carries: base context, frames, cache and fitted models."""

    context: MatchingContext
    options: BacktestOptions
    as_of: dt.date
    proposals: pd.DataFrame
    placements: pd.DataFrame
    classified: pd.DataFrame
    cache: FeatureCache
    infos: dict[str, VacancyInfo]
    models: dict[dt.date, tuple[CutoffModel, MatchingContext]] = field(default_factory=dict)

    def model_at(self, cutoff: dt.date) -> tuple[CutoffModel, MatchingContext]:
        """The cut-off's model and a context scoring with it (fitted on first use)."""
        if cutoff not in self.models:
            labelled = self.placements.loc[self.placements["vacancy_id"].notna()]
            model = fit_at(
                self.cache, self.proposals, labelled, cutoff=cutoff,
                min_rows=self.options.min_rows, min_positives=self.options.min_positives,
                force=self.options.force,
            )  # fmt: skip
            context = dataclasses.replace(
                self.context, scorer=model.scorer, linear=linear_form(model.scorer)
            )
            self.models[cutoff] = (model, context)
        return self.models[cutoff]


def _positions(order: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """0-based list position of each (sorted) eligible row."""
    position = np.empty(len(eligible), dtype=np.int64)
    position[np.searchsorted(eligible, order)] = np.arange(len(order))
    return position


def rank_one(
    state: _State, vacancy: pd.Series, features: np.ndarray, buffer: np.ndarray
) -> VacancyRun:
    """Rebuild one vacancy's list with each ranker (module doc)."""
    ctx, opened = state.context, vacancy["opened_on"]
    n = len(ctx.pool)
    props = state.proposals.loc[state.proposals["vacancy_id"] == vacancy["vacancy_id"]]
    before = props.loc[props["proposed_on"] < opened, "candidate_id"]
    proposed = np.zeros(n, dtype=bool)
    proposed[[ctx.row_of[c] for c in before if c in ctx.row_of]] = True
    placed = running_on(state.placements, opened, ctx.row_of, n)
    info = state.infos[vacancy["vacancy_id"]]
    policy = state.options.policy
    eligible = eligible_rows(ctx, info, buffer, policy=policy, placed=placed, proposed=proposed)
    cutoff = cutoff_of(opened, freq=state.options.freq)
    model, learned_ctx = state.model_at(cutoff)
    position = {
        "werkmatch": _positions(
            ordered(learned_ctx, features, buffer, eligible, policy=policy), eligible.rows
        ),
        "prior": _positions(ordered(ctx, features, buffer, eligible, policy=policy), eligible.rows),
    }
    scorer, prior = model.scorer, PriorScorer()
    rows = {c: ctx.row_of[c] for c in props["candidate_id"] if c in ctx.row_of}
    x = features[list(rows.values())] if rows else np.zeros((0, features.shape[1]), np.float32)
    p_model, p_prior = scorer.score(x).p_durable, prior.score(x).p_durable
    p_placed = (model.placed or scorer).score(x).p_durable
    return VacancyRun(
        vacancy_id=str(vacancy["vacancy_id"]),
        municipality_code=str(vacancy["municipality_code"]),
        opened_on=opened,
        cutoff=cutoff,
        eligible=eligible.rows,
        level=eligible.level,
        position=position,
        overlap=np.array(buffer[COLUMN["required_coverage"], eligible.rows], dtype=np.float64),
        p_durable=np.asarray(scorer.score(features[eligible.rows]).p_durable, dtype=np.float64),
        hires=_hires(
            state.classified, str(vacancy["vacancy_id"]), eligible, ctx.row_of, state.as_of
        ),
        proposed={
            c: (float(a), float(b), float(d))
            for c, a, b, d in zip(rows, p_model, p_prior, p_placed, strict=True)
        },
    )


def _targets(vacancies: pd.DataFrame, period: Period, as_of: dt.date) -> pd.DataFrame:
    opened = vacancies["opened_on"]
    last = min(period.end, as_of)
    return vacancies.loc[(opened >= period.start) & (opened <= last)]


def run_backtest(
    session: Session,
    *,
    period: Period,
    as_of: dt.date,
    options: BacktestOptions | None = None,
    context: MatchingContext | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BacktestRuns:
    """Rebuild the shortlist of every vacancy opened in the period (module doc);
    ``progress(done, total)`` hears of the vacancies gone through, about a hundred times."""
    options = options or BacktestOptions()
    context = context or load_context(session, model_dir=NO_MODEL_DIR)
    vacancies = vacancy_history(session, until=as_of)
    proposals = proposal_history(session, until=as_of)
    placements = placement_history(session, until=as_of)
    targets = _targets(vacancies, period, as_of)
    last_cutoff = max((cutoff_of(d, freq=options.freq) for d in targets["opened_on"]), default=None)
    trainable = set(proposals["vacancy_id"]) & set(
        vacancies.loc[vacancies["opened_on"] <= (last_cutoff or dt.date.min), "vacancy_id"]
    )
    todo = vacancies.loc[
        vacancies["vacancy_id"].isin(trainable | set(targets["vacancy_id"]))
    ].sort_values(["opened_on", "vacancy_id"], kind="stable")
    classified = classify_placements(placements, as_of=as_of) if len(placements) else placements
    cache = FeatureCache(pool_size=len(context.pool))
    state = _State(
        context, options, as_of, proposals, placements, classified, cache, _infos(targets)
    )
    arrays = build_vacancy_arrays(
        vacancy_frame(session, context.spaces, vacancy_ids=todo["vacancy_id"].tolist()),
        pool=context.pool,
    )
    target_ids, runs = set(targets["vacancy_id"]), []
    buffer = np.zeros((N_FEATURES, len(context.pool)), dtype=np.float32)  # reused per vacancy
    every = max(1, len(todo) // PROGRESS_REPORTS)
    for i, (_, vacancy) in enumerate(todo.iterrows()):
        if progress is not None and i % every == 0:
            progress(i, len(todo))
        features = pairwise_features(arrays.row(i), context.pool, out=buffer)
        vid = vacancy["vacancy_id"]
        if vid in trainable:
            props = proposals.loc[proposals["vacancy_id"] == vid, "candidate_id"]
            rows = {c: context.row_of[c] for c in props if c in context.row_of}
            state.cache.add(vid, vacancy["opened_on"], features, rows, context.pool.ids)
        if vid in target_ids:
            runs.append(rank_one(state, vacancy, features, buffer))
    if progress is not None:
        progress(len(todo), len(todo))
    pool = context.pool
    return BacktestRuns(
        runs=runs,
        models=[m for m, _ in state.models.values()],
        pool_ids=np.asarray(pool.ids, dtype=object),
        pool_municipality=np.array(pool.municipality_codes, dtype=object)[pool.municipality],
        options=options,
        as_of=as_of,
        proposals=proposals,
        placements=placements,
    )

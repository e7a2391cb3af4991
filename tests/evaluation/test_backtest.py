"""The temporal backtest: faithful to the shortlist code, and blind to everything after cut-off."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from evaluation.backtest import NO_MODEL_DIR, BacktestOptions, BacktestRuns, run_backtest
from evaluation.backtest_ranking import eligible_rows, ordered
from evaluation.backtest_training import cutoff_of
from evaluation.placement_report import Period
from evaluation.ranking_quality import (
    calibration_rows,
    calibration_summary,
    exposure,
    ranking_metrics,
    score_matrices,
)
from features.pairwise import N_FEATURES, pairwise_features
from matching.shortlist import load_context, rank_vacancy
from matching.shortlist.policy import FallbackPolicy
from matching.shortlist.vacancies import load_vacancy
from matching.store import models
from tests.evaluation.conftest import REGION_AS_OF, open_sessions

PERIOD = Period(dt.date(2025, 10, 1), dt.date(2026, 6, 30))
OPTIONS = BacktestOptions(min_rows=20, min_positives=3, force=True)


def _backtest(sessions: sessionmaker[Session]) -> BacktestRuns:
    with sessions() as session:
        return run_backtest(session, period=PERIOD, as_of=REGION_AS_OF, options=OPTIONS)


def _fingerprint(runs: BacktestRuns) -> list[tuple[object, ...]]:
    """What the rebuilt lists and their scores are (not the outcomes read as of as_of)."""
    return [
        (
            r.vacancy_id,
            r.cutoff,
            r.eligible.tolist(),
            r.position["werkmatch"].tolist(),
            r.position["prior"].tolist(),
            np.round(r.p_durable, 6).tolist(),
        )
        for r in runs.runs
    ] + [(m.cutoff, m.note, m.rows, m.positives) for m in runs.models]


def test_cutoff_is_before_the_month_or_quarter() -> None:
    assert cutoff_of(dt.date(2026, 1, 1)) == dt.date(2025, 12, 31)
    assert cutoff_of(dt.date(2026, 6, 30)) == dt.date(2026, 3, 31)
    assert cutoff_of(dt.date(2026, 6, 30), freq="M") == dt.date(2026, 5, 31)


def test_rebuilt_order_is_the_shortlist(region_sessions: sessionmaker[Session]) -> None:
    """With the same state, the top k of the rebuilt order equals ``rank_vacancy``'s list."""
    with region_sessions() as session:
        context = load_context(session, model_dir=NO_MODEL_DIR)
        v = models.Vacancy
        ids = list(session.scalars(select(v.vacancy_id).order_by(v.vacancy_id)))[:8]
        n = len(context.pool)
        state = dataclasses.replace(context, inactive=np.zeros(n, bool), placed=context.placed)
        policy = FallbackPolicy(threshold=0.3)
        for vid in ids:
            vacancy, info = load_vacancy(session, vid, context.pool, context.spaces)
            listed = rank_vacancy(
                state, vacancy, info, limit=10, policy=policy, with_explanation=False
            )
            buffer = np.zeros((N_FEATURES, n), dtype=np.float32)
            features = pairwise_features(vacancy, state.pool, out=buffer)
            eligible = eligible_rows(
                state, info, buffer, policy=policy, placed=state.placed, proposed=np.zeros(n, bool)
            )
            order = ordered(state, features, buffer, eligible, policy=policy)[:10]
            assert [str(state.pool.ids[r]) for r in order] == [
                e.candidate_id for e in listed.candidates
            ]


@pytest.fixture(scope="module")
def baseline(region_sessions: sessionmaker[Session]) -> BacktestRuns:
    """The backtest of the generated region as it is (it only reads: run once, used twice)."""
    return _backtest(region_sessions)


def test_backtest_scores_and_learns(baseline: BacktestRuns) -> None:
    runs = baseline
    assert runs.runs and any(r.hires for r in runs.runs)
    assert any(m.note == "learned" for m in runs.models)
    assert all(r.cutoff < r.opened_on for r in runs.runs)
    metrics = ranking_metrics(runs).set_index("ranker")
    for column in ("hit_at_1", "hit_at_10", "mrr"):
        values = metrics[column].dropna()
        assert ((values >= 0) & (values <= 1)).all()
    assert (metrics["hit_at_1"] <= metrics["hit_at_10"]).all()
    scores, relevance, _ = score_matrices(runs.runs, "werkmatch")
    missed = sum(h.reason is not None for r in runs.runs for h in r.hires)
    assert int((np.isneginf(scores) & (relevance == 1)).sum()) == missed
    table = exposure(runs).set_index("lists")
    assert table.loc["shortlist_werkmatch", "entries"] <= OPTIONS.k * len(runs.runs)


def test_a_forced_model_is_checked_as_it_is_shown(baseline: BacktestRuns) -> None:
    rows = calibration_rows(baseline)
    assert len(rows) and {"p_werkmatch", "p_prior", "p_placed"} <= set(rows.columns)
    np.testing.assert_allclose(rows["p_placed"], rows["p_werkmatch"])  # learned: no line


def test_the_levelled_prior_is_also_checked_at_the_placements_level(
    region_sessions: sessionmaker[Session],
) -> None:
    """The shown level is lowered on purpose (placements were chosen for what the file does not
    say); the like-for-like check is the same ranking at the placements' own level."""
    options = BacktestOptions(min_rows=20, min_positives=3)
    with region_sessions() as session:
        runs = run_backtest(session, period=PERIOD, as_of=REGION_AS_OF, options=options)
    assert any(m.placed is not None for m in runs.models)
    rows = calibration_rows(runs)
    assert rows["p_placed"].mean() > rows["p_werkmatch"].mean()
    summary = calibration_summary(rows)
    for name in ("werkmatch", "prior", "placed"):
        assert 0 <= summary[name]["ece"] <= 1 and 0 < summary[name]["noise"] < 0.5
    assert summary["placed"]["observed"] == pytest.approx(rows["label"].mean(), abs=1e-4)


def _plant_future(path: Path, runs: BacktestRuns) -> None:
    """After the cut-offs and opening dates: a new vacancy with hires of each list's top
    candidates, rejected proposals to old vacancies (dated after every cut-off), and rejected
    proposals to the rebuilt vacancies the day after they opened."""
    last = max(r.opened_on for r in runs.runs)
    tops = {
        str(runs.pool_ids[r.eligible[np.argmin(r.position["werkmatch"])]])
        for r in runs.runs
        if len(r.eligible)
    }
    engine, sessions = open_sessions(path)
    with sessions.begin() as session:
        old = session.get(models.Vacancy, runs.runs[0].vacancy_id)
        assert old is not None
        future = max(last, PERIOD.end) + dt.timedelta(days=1)  # not itself rebuilt
        session.add(
            models.Vacancy(
                vacancy_id="FUTURE",
                employer_id=old.employer_id,
                title="toekomst",
                municipality_code=old.municipality_code,
                hours_per_week=32,
                positions=99,
                opened_on=future,
                status="filled",
            )
        )
        session.flush()
        for i, cid in enumerate(sorted(tops)):
            session.add(
                models.Proposal(
                    vacancy_id="FUTURE", candidate_id=cid, proposed_on=future, outcome="hired"
                )
            )
            session.add(
                models.Placement(
                    placement_id=f"PF{i}",
                    candidate_id=cid,
                    employer_id=old.employer_id,
                    vacancy_id="FUTURE",
                    start_date=future,
                    hours_per_week=32,
                    contract="regular",
                )
            )
        seen = {(p.vacancy_id, p.candidate_id) for p in session.scalars(select(models.Proposal))}
        targets = {r.vacancy_id for r in runs.runs}
        old_ids = [
            v
            for v in session.scalars(
                select(models.Vacancy.vacancy_id).where(models.Vacancy.opened_on < PERIOD.start)
            )
            if v not in targets
        ][:5]
        for vid in old_ids:  # after every cut-off, mature by as_of: a leak would train on them
            for cid in runs.pool_ids[:40]:
                if (vid, str(cid)) not in seen:
                    session.add(
                        models.Proposal(
                            vacancy_id=vid,
                            candidate_id=str(cid),
                            proposed_on=PERIOD.start,
                            outcome="rejected",
                        )
                    )
                    seen.add((vid, str(cid)))
        for r in runs.runs:  # proposals to the rebuilt vacancies after they opened
            for row in r.eligible[:3]:
                cid = str(runs.pool_ids[row])
                if (r.vacancy_id, cid) not in seen:
                    session.add(
                        models.Proposal(
                            vacancy_id=r.vacancy_id,
                            candidate_id=cid,
                            proposed_on=r.opened_on + dt.timedelta(days=1),
                            outcome="rejected",
                        )
                    )
                    seen.add((r.vacancy_id, cid))
    engine.dispose()


def test_future_history_cannot_leak(
    region_db: Path, baseline: BacktestRuns, tmp_path: Path
) -> None:
    before = baseline
    planted = tmp_path / "planted.db"
    shutil.copyfile(region_db, planted)
    _plant_future(planted, before)
    engine, sessions = open_sessions(planted)
    after = _backtest(sessions)
    engine.dispose()
    assert len(after.proposals) > len(before.proposals)  # the plants are there …
    for old, new in zip(_fingerprint(before), _fingerprint(after), strict=True):
        assert old == new, [
            (i, a, b) for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b
        ][:1]


@pytest.mark.parametrize("freq", ["X"])
def test_bad_cutoff_frequency(freq: str) -> None:
    from matching.errors import InvalidInput

    with pytest.raises(InvalidInput):
        cutoff_of(dt.date(2026, 1, 1), freq=freq)

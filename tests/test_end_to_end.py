"""The one end-to-end test: import → train → shortlist → evaluate on a small generated region."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from demo import generate_region
from evaluation.backtest import BacktestOptions
from evaluation.placement_report import Period
from evaluation.render import write_report
from evaluation.report import build_report
from matching.exchange.importing import import_paths
from matching.scoring.fitting import train
from matching.shortlist import load_context, rank_vacancy
from matching.shortlist.vacancies import load_vacancy
from matching.store import models

AS_OF = dt.date(2026, 10, 1)


def test_import_train_shortlist_evaluate(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    generate_region("Holland Rijnland", seed=0, scale=0.1, as_of=AS_OF, out_dir=tmp_path / "in")
    assert import_paths(sessions, [tmp_path / "in"]).rejected == 0

    model_dir = tmp_path / "models"
    with sessions() as session:
        trained = train(session, model_dir=model_dir, as_of=AS_OF, force=True)
    assert trained.activated

    with sessions() as session:
        context = load_context(session, model_dir=model_dir)
        assert context.scorer.kind == "learned"
        vacancy_id = session.scalar(
            select(models.Vacancy.vacancy_id).where(models.Vacancy.status == "open").limit(1)
        )
        assert vacancy_id is not None
        vacancy, info = load_vacancy(session, vacancy_id, context.pool, context.spaces)
        shortlist = rank_vacancy(context, vacancy, info, limit=5)
        assert 0 < len(shortlist.candidates) <= 5
        assert [e.rank for e in shortlist.candidates] == list(
            range(1, len(shortlist.candidates) + 1)
        )

        period = Period(dt.date(2025, 10, 1), dt.date(2026, 6, 30))
        thin = BacktestOptions(min_rows=50, min_positives=5, force=True)  # a small region
        report = build_report(session, period=period, as_of=AS_OF, options=thin)
    written = write_report(report, tmp_path / "report")
    metrics = json.loads(written.metrics.read_text())
    assert metrics["placements"]["totals"]["placements"] > 0
    assert metrics["ranking"]["filled"] > 0
    assert any(m["note"] == "learned" for m in metrics["ranking"]["models"])
    assert "Rankingkwaliteit" in written.html.read_text()

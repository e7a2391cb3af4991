"""The evaluation report job reports its progress through the backtest, vacancy by vacancy,
not four fixed steps (it sat at 25 % for most of a run with the backtest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from evaluation.placement_report import Period
from evaluation.report_job import report_job, report_params
from matching.access.users import Principal
from matching.jobs.kinds import Work
from tests.evaluation.history_fixture import AS_OF, PERIOD, seed
from tests.matching.jobs.job_fixture import settings_of, store_of

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


class Heard:
    """A job's progress as reported: (message, done, total) in order."""

    def __init__(self) -> None:
        self.reports: list[tuple[str, int, int]] = []

    def report(self, message: str, done: int = 0, total: int = 0) -> None:
        self.reports.append((message, done, total))


def _run(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, *, backtest: bool
) -> Heard:
    seed(sessions)
    heard, params = Heard(), report_params(Period(*PERIOD), AS_OF, backtest=backtest)
    work = Work(store_of(engine), settings_of(engine, tmp_path), Principal.command_line(),
                params, heard)  # fmt: skip
    assert report_job(work).sections
    return heard


def test_the_backtest_reports_each_vacancy(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    heard = _run(engine, sessions, tmp_path, backtest=True)
    fractions = [done / total for _message, done, total in heard.reports]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] < 1
    backtest = [(m, d, t) for m, d, t in heard.reports if m.startswith("Backtest: vacature")]
    total = int(backtest[-1][0].split(" van ")[1].rstrip("…"))
    assert total >= 2 and len(backtest) == total + 1  # 0 of N … N of N
    assert backtest[0][0] == f"Backtest: vacature 0 van {total}…"
    # the backtest covers the long middle part, rising with every vacancy, not one fixed step
    shares = [done / whole for _m, done, whole in backtest]
    assert shares == sorted(set(shares)) and shares[0] < 0.25 and shares[-1] > 0.5
    assert heard.reports[-1][0] == "Rapport opmaken…"


def test_without_the_backtest_a_few_steps(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    heard = _run(engine, sessions, tmp_path, backtest=False)
    assert [(d, t) for _m, d, t in heard.reports] == [(0, 1000), (450, 1000), (900, 1000),
                                                      (970, 1000)]  # fmt: skip
    assert not any("Backtest" in m for m, _d, _t in heard.reports)

"""The report builder on a hand-made history with known answers (``history_fixture``)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from evaluation.document import document
from evaluation.layout import Table, cell
from evaluation.placement_report import Period
from evaluation.render import render_html, render_markdown, write_report
from evaluation.report import Report, build_report, report_dict
from tests.evaluation.history_fixture import AS_OF, LEIDEN, NOORDWIJK, PERIOD, seed


@pytest.fixture
def report(sessions: sessionmaker[Session]) -> Report:
    seed(sessions)
    with sessions() as session:
        return build_report(
            session, period=Period(*PERIOD), as_of=AS_OF, start=PERIOD[0], backtest=False
        )


def _row(table: pd.DataFrame, column: str, value: object) -> dict[str, object]:
    rows = table.loc[table[column] == value]
    assert len(rows) == 1, f"{column}={value!r} in {table}"
    return rows.iloc[0].to_dict()


def test_totals_censoring_and_exactly_six_months(report: Report) -> None:
    t = report.placements.totals
    assert (t["placements"], t["durable"], t["pending"], t["failed"]) == (4, 1, 1, 2)
    assert t["decided"] == 3 and t["durable_rate"] == pytest.approx(1 / 3)
    assert (t["own"], t["fallback"]) == (3, 1)
    # P1 (exactly 6 months) and P2 are positive outflow; P3 still running; P5 a trial
    assert (t["positive_outflow"], t["outflow_pending"]) == (2, 1)
    assert t["outflow_rate"] == pytest.approx(2 / 3)


def test_indicators_per_group(report: Report) -> None:
    tables = report.placements.tables
    assert _row(tables["origin"], "origin", "fallback")["durable"] == 1
    assert _row(tables["target_group"], "target_group", "doelgroepregister")["pending"] == 1
    assert _row(tables["ladder_step"], "ladder_step", 6)["failed"] == 1
    assert _row(tables["contract"], "contract", "trial")["positive_outflow"] == 0
    assert _row(tables["municipality"], "municipality_code", LEIDEN)["placements"] == 2
    month = _row(tables["month"], "period", "2025-01")
    assert (month["placements"], month["durable"], month["failed"]) == (2, 1, 1)


def test_municipality_flows(report: Report) -> None:
    flows = report.placements.municipalities
    noordwijk = _row(flows, "municipality_code", NOORDWIJK)
    assert (noordwijk["own_seekers_placed"], noordwijk["placed_elsewhere"]) == (2, 1)
    assert noordwijk["own_seekers_durable"] == 1
    leiden = _row(flows, "municipality_code", LEIDEN)
    assert (leiden["placed_in_own"], leiden["received_from_elsewhere"]) == (2, 1)


def test_checkpoints_and_one_year(report: Report) -> None:
    cp = report.placements.checkpoints.set_index("months")
    # 1 month (2025-02-01): P1, P2, P5 started and all still running
    assert (cp.loc[1, "placements"], cp.loc[1, "pending"], cp.loc[1, "failed"]) == (3, 3, 0)
    # 3 months (2025-04-01): P5 ended early
    assert (cp.loc[3, "placements"], cp.loc[3, "failed"]) == (3, 1)
    assert not cp.loc[11, "reached"]  # 2025-12-01 lies after as_of
    retention = report.placements.retention.set_index("months")
    assert retention.loc[3, "running"] == 2  # P1, P2 (P5 ended 2025-03-01)
    assert pd.isna(retention.loc[12, "running"])  # a year on is not observable yet


def test_funnel_and_white_spots(report: Report) -> None:
    f = report.funnel
    assert (f.totals["written"], f.totals["contacted"], f.totals["vacancy"]) == (1, 2, 2)
    assert f.totals["placement"] == 2
    assert (f.white_spots_contacted, f.white_spots_placed) == (1, 1)
    by_spot = f.by_white_spot.set_index("white_spot")
    assert by_spot.loc[True, "placements"] == 1


def test_funnel_is_shown_in_funnel_order(report: Report) -> None:
    """The report's funnel table and its split by white spot run from the base to placements."""
    (section,) = [s for s in document(report) if s.title == "Acquisitiefunnel"]
    totals, by_spot = [b for b in section.blocks if isinstance(b, Table)][:2]
    order = ["Benaderd", "Waarvan aangeschreven", "Afspraak", "Vacature", "Plaatsing"]
    assert [row[0] for row in totals.rows][:5] == order
    assert by_spot.headers[1:6] == order


def test_future_is_invisible(sessions: sessionmaker[Session]) -> None:
    """As of 2025-03-15, P1 and P2 are pending (their end dates are not yet known)."""
    seed(sessions)
    with sessions() as session:
        early = build_report(
            session, period=Period(*PERIOD), as_of=dt.date(2025, 3, 15), backtest=False
        )
    t = early.placements.totals
    assert (t["placements"], t["durable"], t["pending"], t["failed"]) == (3, 0, 2, 1)


def test_files_and_self_contained_html(report: Report, tmp_path: Path) -> None:
    written = write_report(report, tmp_path / "out")
    for path in (written.html, written.markdown, written.metrics, *written.charts):
        assert path.is_file() and path.stat().st_size > 0
    assert {p.name for p in written.charts} >= {"plaatsingen_per_maand.png", "acquisitiefunnel.png"}
    assert "## Plaatsingen" in written.markdown.read_text()
    assert report_dict(report)["placements"]["totals"]["durable"] == 1
    links = _links(render_html(report))
    assert links["img"] and all(src.startswith("data:image/png;base64,") for src in links["img"])
    assert not links["external"], links["external"]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.img: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                if tag == "img":
                    self.img.append(value)
                if not value.startswith("data:"):
                    self.external.append(f"{tag} {name}={value}")
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.external.append(tag)


def _links(page: str) -> dict[str, list[str]]:
    parser = _Links()
    parser.feed(page)
    assert "@import" not in page and "url(" not in page
    return {"img": parser.img, "external": parser.external}


def test_reader_sees_dutch_words_percentages_and_dates(report: Report) -> None:
    """No shares as 0.333, ISO dates, origin/target-group/contract codes or GM codes."""
    text = render_markdown(report)
    assert "33,3\u00a0%" in text and "0.333" not in text
    assert "1 januari 2025" in text and "2025-01-01" not in text
    assert "| terugval (andere gemeente) |" in text and "| fallback |" not in text
    assert "| Proefplaatsing |" in text and "| trial |" not in text
    assert "| Doelgroepregister (banenafspraak) |" in text and "| doelgroepregister |" not in text
    assert "januari 2025" in text and "| 2025-01 |" not in text
    assert not re.search(r"GM\d{4}", text)


def test_cell_formats_shares_scores_and_codes() -> None:
    names = {"GM0546": "Leiden"}
    assert cell("durable_rate", 0.387, names) == "38,7\u00a0%"
    assert cell("mrr", 0.1234, names) == "0,123"
    assert cell("municipality_code", "GM0546", names) == "Leiden"
    assert cell("cutoff", dt.date(2025, 3, 31), names) == "31-03-2025"
    assert cell("origin", "own", names) == "eigen gemeente"
    assert cell("n", 76619, names) == "76.619"
    assert cell("ranker", "prior", names) == cell("scorer", "prior-3", names) == "beginweging"


def test_ranking_section_speaks_dutch(report: Report) -> None:
    """The backtest's words for a project leader: no 'baselines', 'reliability chart' or
    'fallback' (the rest of the report says 'terugval')."""
    import dataclasses

    from evaluation.report import RankingSection

    frame = pd.DataFrame({"ranker": ["werkmatch"], "mrr": [0.1]})
    exposure = pd.DataFrame({"ranker": ["werkmatch"], "fallback_share": [0.3]})
    section = RankingSection(
        metrics=frame, reasons=pd.DataFrame({"reason": ["taal"], "hires": [1]}),
        calibration={"placements": 3, "durable": 1, "werkmatch": {
            "brier": 0.2, "ece": 0.1, "noise": 0.2, "mean_p": 0.3, "observed": 1 / 3,
        }},
        exposure=exposure, models=pd.DataFrame({"cutoff": [dt.date(2025, 3, 31)]}),
        vacancies=5, filled=2,
    )  # fmt: skip
    from evaluation.document import ranking
    from evaluation.layout import Chart, Table

    shown = ranking(dataclasses.replace(report, ranking=section))
    assert shown is not None
    words = [
        " ".join(block.headers) if isinstance(block, Table)
        else block.caption if isinstance(block, Chart) else block
        for block in shown.blocks
    ]  # fmt: skip
    text = " ".join(words).lower()
    assert "temporele backtest" in text and "aandeel terugval" in text
    assert "gemiddeld 30\u00a0% voorspeld, 33\u00a0% duurzaam" in text and "ruis 0,200" in text
    assert not re.search(r"baseline|reliability|fallback|prior|hit@", text)
    from evaluation.report import LIMITATIONS

    assert not any("prior" in limitation for limitation in LIMITATIONS)

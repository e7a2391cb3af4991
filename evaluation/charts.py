"""The report's charts as PNG bytes (matplotlib, Agg backend: no display, no network)."""

from __future__ import annotations

import io
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")  # a headless backend; set before pyplot is imported

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from evaluation.funnel import STAGES
from evaluation.report import Report

COLOURS = {"durable": "#2e7d32", "pending": "#f9a825", "failed": "#c62828"}
OUTCOME_LABELS = {"durable": "Duurzaam", "pending": "Lopend", "failed": "Voortijdig beëindigd"}
RANKER_LABELS = {"werkmatch": "werkmatch", "prior": "prior", "skill_overlap": "skill-overlap"}


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return buffer.getvalue()


def _outcome_bars(table: pd.DataFrame, column: str, title: str, xlabel: str) -> bytes:
    """Stacked bars of durable / pending / failed placements per value of ``column``."""
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    labels = table[column].astype(str).tolist()
    bottom = np.zeros(len(table))
    for outcome in ("durable", "pending", "failed"):
        values = table[outcome].to_numpy(dtype=float)
        ax.bar(labels, values, bottom=bottom, color=COLOURS[outcome], label=OUTCOME_LABELS[outcome])
        bottom += values
    ax.set(title=title, xlabel=xlabel, ylabel="Plaatsingen")
    ax.legend(frameon=False, fontsize=8)
    ax.tick_params(axis="x", labelrotation=45 if len(labels) > 6 else 0, labelsize=8)
    return _png(fig)


def funnel_chart(report: Report) -> bytes:
    """Horizontal bars of the acquisition funnel's stages, in funnel order from the top."""
    totals = report.funnel.totals
    names = {"contacted": "Benaderd", "appointment": "Afspraak", "vacancy": "Vacature",
             "placement": "Plaatsing"}  # fmt: skip
    fig, ax = plt.subplots(figsize=(7.5, 2.8))
    values = [float(totals.get(s) or 0) for s in STAGES]
    ax.barh([names[s] for s in STAGES], values, color="#1565c0")
    ax.invert_yaxis()  # the first stage on top: a funnel
    for y, v in enumerate(values):
        ax.text(v, y, f" {int(v)}", va="center", fontsize=8)
    ax.set(title="Acquisitiefunnel (werkgevers)", xlabel="Werkgevers")
    return _png(fig)


def ranking_chart(report: Report) -> bytes:
    """Grouped bars of hit@k, MRR and NDCG per ranker."""
    assert report.ranking is not None
    metrics = report.ranking.metrics.set_index("ranker")
    columns = [c for c in metrics.columns if c.startswith(("hit_at", "mrr", "ndcg_at"))]
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    width = 0.8 / max(len(metrics), 1)
    x = np.arange(len(columns))
    for i, (ranker, row) in enumerate(metrics.iterrows()):
        values = pd.to_numeric(row[columns], errors="coerce").fillna(0).to_numpy(dtype=float)
        ax.bar(x + i * width, values, width, label=RANKER_LABELS.get(str(ranker), str(ranker)))
    ax.set_xticks(x + width * (len(metrics) - 1) / 2, columns, fontsize=8)
    ax.set(title="Rankingkwaliteit (backtest)", ylim=(0, 1))
    ax.legend(frameon=False, fontsize=8)
    return _png(fig)


def reliability_chart(report: Report) -> bytes:
    """Reliability diagram of p_durable: observed rate against mean prediction per bin."""
    assert report.ranking is not None
    fig, ax = plt.subplots(figsize=(4.6, 4.2))
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect")
    for name in ("werkmatch", "prior"):
        summary = report.ranking.calibration.get(name)
        if summary:
            curve = summary["curve"].dropna()
            ax.plot(curve["mean_predicted"], curve["observed_rate"], marker="o", label=name)
    ax.set(title="Kalibratie p_duurzaam", xlabel="voorspeld", ylabel="waargenomen",
           xlim=(0, 1), ylim=(0, 1))  # fmt: skip
    ax.legend(frameon=False, fontsize=8)
    return _png(fig)


def _selection_axis(ax: Axes, table: pd.DataFrame, attribute: str) -> None:
    rows = table.loc[table["attribute"] == attribute]
    colours = ["#c62828" if f else "#1565c0" for f in rows["flagged"].fillna(False)]
    ax.bar(rows["group"].astype(str), rows["rate"], color=colours)
    top = float(rows["rate"].max()) if len(rows) else 0.0
    ax.axhline(0.8 * top, color="grey", linestyle="--", linewidth=1)
    ax.set_title(attribute, fontsize=9)
    ax.tick_params(axis="x", labelsize=7, labelrotation=30)


def selection_chart(report: Report, kind: str) -> bytes:
    """Selection rate per group for each attribute; dashed: four fifths of the highest rate."""
    assert report.fairness is not None
    table = report.fairness.selection[kind]
    attributes = list(dict.fromkeys(table["attribute"]))
    fig, axes = plt.subplots(1, len(attributes), figsize=(7.5, 2.8), squeeze=False)
    for ax, attribute in zip(axes[0], attributes, strict=True):
        _selection_axis(ax, table, attribute)
    fig.suptitle(
        f"Selectiekans per groep ({'shortlists' if kind == 'shortlists' else 'voorstellen'})",
        fontsize=10,
    )
    return _png(fig)


def score_chart(report: Report) -> bytes:
    """Box plots (10–25–50–75–90 %) of p_durable on the shortlists' pools per group."""
    assert report.fairness is not None
    frames = report.fairness.scores
    fig, axes = plt.subplots(1, len(frames), figsize=(7.5, 2.9), squeeze=False)
    for ax, (attribute, table) in zip(axes[0], frames.items(), strict=True):
        stats = [
            {
                "label": str(r["group"]),
                "whislo": r["q10"],
                "q1": r["q25"],
                "med": r["q50"],
                "q3": r["q75"],
                "whishi": r["q90"],
                "fliers": [],
            }
            for _, r in table.iterrows()
        ]
        ax.bxp(stats, showfliers=False)
        ax.set_title(attribute, fontsize=9)
        ax.tick_params(axis="x", labelsize=7, labelrotation=30)
    fig.suptitle("Verdeling p_duurzaam per groep", fontsize=10)
    return _png(fig)


def report_charts(report: Report) -> dict[str, bytes]:
    """Every chart of the report: file stem → PNG bytes."""
    tables = report.placements.tables
    makers: dict[str, Callable[[], bytes]] = {
        "plaatsingen_per_maand": lambda: _outcome_bars(
            tables["month"], "period", "Plaatsingen per maand", "Maand"
        ),
        "plaatsingen_per_doelgroep": lambda: _outcome_bars(
            tables["target_group"], "target_group", "Plaatsingen per doelgroep", "Doelgroep"
        ),
        "acquisitiefunnel": lambda: funnel_chart(report),
    }
    if report.ranking is not None and report.ranking.filled:
        makers["rankingkwaliteit"] = lambda: ranking_chart(report)
        makers["kalibratie"] = lambda: reliability_chart(report)
    if report.fairness is not None:
        for kind in report.fairness.selection:
            makers[f"selectie_{kind}"] = lambda kind=kind: selection_chart(report, kind)  # type: ignore[misc]
        if report.fairness.scores:
            makers["scores_per_groep"] = lambda: score_chart(report)
    return {name: make() for name, make in makers.items()}

"""The report's document structure: Dutch headings, tables and charts, shared by HTML and Markdown.

English in code, Dutch for the reader (project leaders): column names are translated here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

LABELS = {
    "placements": "Plaatsingen", "durable": "Duurzaam", "pending": "Lopend",
    "failed": "Voortijdig beëindigd", "decided": "Beslist", "durable_rate": "Aandeel duurzaam",
    "positive_outflow": "Positieve uitstroom", "outflow_pending": "Uitstroom lopend",
    "outflow_rate": "Aandeel positieve uitstroom", "target_group": "Doelgroep",
    "ladder_step": "Trede", "municipality_code": "Gemeente", "origin": "Eigen/fallback",
    "contract": "Contract", "period": "Maand", "months": "Maanden", "as_of": "Peildatum",
    "reached": "Bereikt", "checkpoint": "Peildatum", "started": "Gestart",
    "running": "Nog bij werkgever", "rate": "Aandeel", "written": "Waarvan aangeschreven",
    "contacted": "Benaderd", "appointment": "Afspraak", "vacancy": "Vacature",
    "placement": "Plaatsing", "written_share": "Aandeel aangeschreven",
    "appointment_share": "Aandeel afspraak", "vacancy_share": "Aandeel vacature",
    "placement_share": "Aandeel plaatsing", "white_spot": "Witte vlek",
    "own_seekers_placed": "Eigen werkzoekenden geplaatst", "placed_in_own": "In eigen gemeente",
    "placed_elsewhere": "Via vacature andere gemeente", "own_seekers_durable": "Waarvan duurzaam",
    "received_from_elsewhere": "Uit andere gemeenten geplaatst", "ranker": "Ranking",
    "vacancies": "Vacatures", "mrr": "MRR", "ndcg_vacancies": "Vacatures (NDCG)",
    "reason": "Reden", "hires": "Aangenomen", "cutoff": "Snijdatum", "scorer": "Model",
    "note": "Toelichting", "rows": "Voorstellen", "positives": "Duurzaam",
    "lists": "Lijsten", "entries": "Plaatsen", "distinct_candidates": "Verschillende kandidaten",
    "gini": "Gini", "fallback_share": "Aandeel fallback", "attribute": "Kenmerk",
    "group": "Groep", "n": "Aantal", "selected": "Geselecteerd", "impact_ratio": "Verhouding",
    "flagged": "Onder 0,8", "ratio": "Laagste/hoogste", "lowest": "Laagste", "highest": "Hoogste",
    "mean_p": "Gem. voorspeld", "observed_rate": "Waargenomen", "brier": "Brier", "ece": "ECE",
    "mean": "Gemiddelde",
}  # fmt: skip
RATE_WORDS = ("rate", "share", "ratio", "hit_at", "mrr", "ndcg_at", "brier", "ece", "mean", "q")


@dataclass(frozen=True)
class Table:
    """A table with Dutch headers and formatted cells."""

    headers: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    """A chart by file stem, with its caption."""

    name: str
    caption: str


@dataclass
class Section:
    """A heading and its blocks (paragraphs, tables, charts) in order."""

    title: str
    blocks: list[str | Table | Chart] = field(default_factory=list)
    level: int = 2


def cell(column: str, value: Any, names: dict[str, str]) -> str:
    """A value as the reader sees it: rates with three decimals, dates as text, – for missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if hasattr(value, "date") and isinstance(value, pd.Timestamp):
        return str(value.date().isoformat())
    if column == "municipality_code" and str(value) in names:
        return f"{names[str(value)]} ({value})"
    if isinstance(value, float):
        rate = any(column.startswith(w) or w in column for w in RATE_WORDS)
        return f"{value:.3f}" if rate else f"{value:g}"
    return str(value)


def table(frame: pd.DataFrame, names: dict[str, str] | None = None) -> Table:
    """A DataFrame as a :class:`Table`."""
    names = names or {}
    columns = [str(c) for c in frame.columns]
    rows = [
        [cell(c, v, names) for c, v in zip(columns, row, strict=True)]
        for row in frame.itertuples(index=False)
    ]
    return Table([LABELS.get(c, c) for c in columns], rows)


def totals_table(values: dict[str, Any]) -> Table:
    """A two-column table of named totals."""
    return Table(["", "Waarde"], [[LABELS.get(k, k), cell(k, v, {})] for k, v in values.items()])

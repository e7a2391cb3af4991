"""The report's document structure: Dutch headings, tables and charts, shared by HTML and Markdown.

English in code, Dutch for the reader (project leaders): column names are translated here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from matching import dutch

LABELS = {
    "placements": "Plaatsingen", "durable": "Duurzaam", "pending": "Lopend",
    "failed": "Voortijdig beëindigd", "decided": "Beslist", "durable_rate": "Aandeel duurzaam",
    "positive_outflow": "Positieve uitstroom", "outflow_pending": "Uitstroom lopend",
    "outflow_rate": "Aandeel positieve uitstroom", "target_group": "Doelgroep",
    "ladder_step": "Trede", "municipality_code": "Gemeente", "origin": "Eigen gemeente/terugval",
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
    "gini": "Gini", "fallback_share": "Aandeel terugval", "attribute": "Kenmerk",
    "group": "Groep", "n": "Aantal", "selected": "Geselecteerd", "impact_ratio": "Verhouding",
    "flagged": "Onder 0,8", "ratio": "Laagste/hoogste", "lowest": "Laagste", "highest": "Hoogste",
    "mean_p": "Gem. voorspeld", "observed_rate": "Waargenomen", "brier": "Brier", "ece": "ECE",
    "noise": "Ruis (ECE bij een kloppende kans)", "mean_shown": "Gem. getoond",
    "mean": "Gemiddelde", "own": "Eigen gemeente", "fallback": "Terugval (andere gemeente)",
    "origin_unknown": "Herkomst onbekend", "white_spots_contacted": "Witte vlekken benaderd",
}  # fmt: skip
PREFIXES = {"hit_at_": "Raak in top {}", "ndcg_at_": "NDCG top {}", "q": "{}e percentiel"}
"""Headers of numbered columns (``hit_at_5``, ``q90``)."""


def header(column: str) -> str:
    """The Dutch header of a column."""
    if column in LABELS:
        return LABELS[column]
    for prefix, text in PREFIXES.items():
        if column.startswith(prefix) and column[len(prefix) :].isdigit():
            return text.format(column[len(prefix) :])
    return column


SHARE_WORDS = ("rate", "share", "hit_at", "mean", "q")
"""Columns holding a share or a chance (0–1): shown as a percentage."""
DECIMAL_WORDS = ("ratio", "mrr", "ndcg_at", "brier", "ece", "gini", "noise")
"""Columns holding a score that is not a share: a decimal number."""
GROUPS = {**dutch.TARGET_GROUPS, **dutch.GENDERS, **dutch.AGE_BANDS}
"""A fairness group: the target groups, genders and age bands do not share a code."""
RANKERS = {
    "werkmatch": "werkmatch",
    "prior": "beginweging",
    "placed": "werkmatch op het niveau van de plaatsingen",
    "skill_overlap": "alleen overlap van vaardigheden",
    "shortlist_werkmatch": "shortlists van werkmatch",
    "shortlist_prior": "shortlists van de beginweging",
    "proposals_history": "echte voorstellen",
}
ATTRIBUTES = {"gender": "geslacht", "age_band": "leeftijd", "target_group": "doelgroep"}
VALUE_LABELS: dict[str, Mapping[str, str]] = {
    "origin": dutch.ORIGINS, "target_group": dutch.TARGET_GROUPS, "contract": dutch.CONTRACTS,
    "group": GROUPS, "lowest": GROUPS, "highest": GROUPS, "attribute": ATTRIBUTES,
    "ranker": RANKERS, "lists": RANKERS, "note": {"learned": "geleerd model"},
}  # fmt: skip
"""Columns holding codes, and the Dutch words shown for them."""


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


def cell(column: str, value: Any, names: Mapping[str, str]) -> str:
    """A value as the reader sees it: shares as percentages, Dutch numbers and dates, Dutch
    words for codes (municipality names from ``names``), – for missing."""
    if value is None or value is pd.NA or value is pd.NaT:
        return "–"
    if isinstance(value, float) and math.isnan(value):
        return "–"
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    if isinstance(value, dt.date | pd.Timestamp):
        return dutch.date_nl(value.date() if isinstance(value, pd.Timestamp) else value)
    if column == "municipality_code":
        return names.get(str(value), "onbekende gemeente")
    if column == "period" and isinstance(value, str | pd.Period):
        return dutch.month_nl(str(value))
    if column == "scorer":
        return "beginweging" if str(value).startswith("prior") else "geleerd model"
    if column in VALUE_LABELS:
        return dutch.label(VALUE_LABELS[column], value)
    if isinstance(value, float | np.floating):
        if any(column.startswith(w) for w in SHARE_WORDS) or column.endswith(("rate", "share")):
            return dutch.percent(float(value), 1)
        if any(w in column for w in DECIMAL_WORDS):
            return dutch.number(float(value), 3)
        return dutch.number(float(value), 0 if float(value).is_integer() else 1)
    if isinstance(value, int | np.integer):
        return dutch.number(int(value))
    return str(value)


def table(frame: pd.DataFrame, names: dict[str, str] | None = None) -> Table:
    """A DataFrame as a :class:`Table`."""
    names = names or {}
    columns = [str(c) for c in frame.columns]
    rows = [
        [cell(c, v, names) for c, v in zip(columns, row, strict=True)]
        for row in frame.itertuples(index=False)
    ]
    return Table([header(c) for c in columns], rows)


def totals_table(values: dict[str, Any]) -> Table:
    """A two-column table of named totals."""
    return Table(["", "Waarde"], [[header(k), cell(k, v, {})] for k, v in values.items()])

"""``werkmatch bench quality``: ranking quality and honesty of probabilities over a family of
generated worlds whose *mechanisms* differ, so that no choice can be fitted to one world.

Development worlds (``DEV_WORLDS``) are reported per world, as a mean and as the worst case;
final worlds (``FINAL_WORLDS``) only with ``final=True`` (``--final``), once, at the end. Figures
per world: ``evaluation.quality_metrics``; the pipeline per world: ``evaluation.quality_worlds``.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from demo.sources import region_names
from evaluation.quality_metrics import world_metrics
from evaluation.quality_worlds import (
    DEV_WORLDS,
    FINAL_WORLDS,
    WorldSpec,
    run_world,
    store_template,
)
from matching.errors import InvalidInput

DEFAULT_SCALE = 0.5
MAX_SCALE = 5.0
MAX_WORKERS = 8
LOWER_IS_BETTER = frozenset(
    {
        "ece", "ece_proposal", "ineligible_listed", "outside_eligible", "seconds",
        "vacancy_occupation_missing", "vacancy_occupation_missing_open",
    }
)  # fmt: skip
SUMMARY_KEYS = (
    "ndcg_werkmatch", "expected_werkmatch", "ratio_to_oracle", "ece", "mean_shown",
    "mean_true", "full_lists", "ineligible_listed", "ndcg_random", "ndcg_nearest",
    "ndcg_skill_overlap", "ndcg_attainable", "ndcg_oracle_policy", "expected_oracle",
    "coverage_werkmatch", "coverage_oracle", "has_occupation_werkmatch",
    "has_occupation_oracle", "distance_km_werkmatch", "distance_km_oracle", "outside_eligible",
    "ece_proposal", "mean_true_proposal", "vacancy_occupation_right",
    "vacancy_occupation_missing", "vacancy_occupation_right_open",
    "vacancy_occupation_missing_open", "history_occupation_recall",
    "history_occupation_precision",
)  # fmt: skip
DESCRIPTIVE = frozenset(
    {
        "mean_shown", "mean_true", "mean_true_proposal", "expected_oracle", "coverage_oracle",
        "has_occupation_oracle", "distance_km_werkmatch", "distance_km_oracle",
    }
)  # fmt: skip
"""Figures without a better direction: a mean, no worst case."""
Say = Callable[[str], None]


def _quiet(_: str) -> None:
    """Say nothing."""


def check_options(scale: float, workers: int, worlds: Sequence[WorldSpec]) -> None:
    """InvalidInput, in Dutch, for a scale, number of workers or world list that cannot run."""
    if not isinstance(scale, int | float) or not math.isfinite(scale) or not 0 < scale <= MAX_SCALE:
        given = str(scale).replace(".", ",")
        raise InvalidInput(
            f"De schaal moet groter dan 0 en hoogstens {MAX_SCALE:g} zijn, niet {given}."
        )
    if not 1 <= workers <= MAX_WORKERS:
        raise InvalidInput(
            f"Het aantal processen moet tussen 1 en {MAX_WORKERS} liggen, niet {workers}."
        )
    if not worlds:
        raise InvalidInput("Geen werelden om te meten.")
    known = {name.casefold() for name in region_names()}
    for spec in worlds:
        if spec.region.casefold() not in known:
            raise InvalidInput(
                f"Onbekende arbeidsmarktregio {spec.region!r} in de lijst met werelden."
            )


def measure_world(
    spec: WorldSpec, scale: float, work_dir: Path | None = None, template: Path | None = None
) -> dict[str, Any]:
    """One world's figures, run in ``work_dir`` (a temporary directory when None)."""
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="werkmatch-quality-") as tmp:
        where = (work_dir or Path(tmp)) / f"{spec.region.replace('/', '-')}-{spec.seed}"
        row = world_metrics(run_world(spec, scale=scale, work_dir=where, template=template))
    row["seconds"] = round(time.perf_counter() - began, 1)
    return row


def _measure_all(
    worlds: Sequence[WorldSpec], scale: float, workers: int, work_dir: Path | None, say: Say,
    template: Path,
) -> list[dict[str, Any]]:  # fmt: skip
    """Figures of every world, in list order (in ``workers`` processes when more than one)."""
    rows: dict[int, dict[str, Any]] = {}

    def done(i: int, row: dict[str, Any]) -> None:
        rows[i] = row
        say(f"wereld {len(rows)}/{len(worlds)}: {worlds[i].name} in {row['seconds']:.0f} s")

    if workers == 1:
        for i, spec in enumerate(worlds):
            done(i, measure_world(spec, scale, work_dir, template))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(measure_world, s, scale, work_dir, template): i
                for i, s in enumerate(worlds)
            }
            for future in as_completed(futures):
                done(futures[future], future.result())
    return [rows[i] for i in range(len(worlds))]


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Mean and worst case (lowest, or highest where lower is better; none for the descriptive
    figures) of the summary figures."""
    out: dict[str, dict[str, float]] = {"mean": {}, "worst": {}}
    for key in SUMMARY_KEYS:
        values = [float(r[key]) for r in rows if key in r and not math.isnan(float(r[key]))]
        if not values:
            continue
        out["mean"][key] = round(sum(values) / len(values), 4)
        if key not in DESCRIPTIVE:
            out["worst"][key] = max(values) if key in LOWER_IS_BETTER else min(values)
    return out


@dataclass(frozen=True)
class QualityBench:
    """The figures of a run: per dev world, their summary, and the final worlds when asked."""

    scale: float
    dev: list[dict[str, Any]]
    final: list[dict[str, Any]] | None
    seconds: float

    @property
    def summary(self) -> dict[str, dict[str, float]]:
        """Mean and worst case over the development worlds."""
        return summarise(self.dev)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every world, the summary, the final worlds (None when not run)."""
        return {
            "scale": self.scale, "seconds": round(self.seconds, 1), "dev": self.dev,
            "summary": self.summary, "final": self.final,
        }  # fmt: skip


def run_quality_bench(
    *,
    scale: float = DEFAULT_SCALE,
    final: bool = False,
    workers: int = 1,
    work_dir: Path | None = None,
    worlds: Sequence[WorldSpec] = DEV_WORLDS,
    final_worlds: Sequence[WorldSpec] = FINAL_WORLDS,
    say: Say = _quiet,
) -> QualityBench:
    """Run the development worlds, and the final worlds only when ``final`` is set."""
    check_options(scale, workers, [*worlds, *(final_worlds if final else ())])
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="werkmatch-quality-template-") as tmp:
        template = store_template(Path(tmp) / "template.db")
        dev = _measure_all(worlds, scale, workers, work_dir, say, template)
        last = (
            _measure_all(final_worlds, scale, workers, work_dir, say, template) if final else None
        )
    return QualityBench(scale, dev, last, time.perf_counter() - began)


def _f(value: Any, digits: int = 3) -> str:
    """A figure for the table: rounded, or a dash when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


MAIN_COLUMNS = (
    ("model", "model", 0), ("open", "open_vacancies", 0), ("NDCG@10", "ndcg_werkmatch", 3),
    ("random", "ndcg_random", 3), ("nearest", "ndcg_nearest", 3),
    ("overlap", "ndcg_skill_overlap", 3),
    ("attainable", "ndcg_attainable", 3), ("oracle+policy", "ndcg_oracle_policy", 3),
    ("durable/10", "expected_werkmatch", 2), ("oracle/10", "expected_oracle", 2),
    ("ratio", "ratio_to_oracle", 3), ("ECE", "ece", 3), ("shown", "mean_shown", 3),
    ("true", "mean_true", 3), ("ECE per proposal", "ece_proposal", 3),
    ("true per proposal", "mean_true_proposal", 3), ("full", "full_lists", 2),
    ("ineligible", "ineligible_listed", 0),
)  # fmt: skip
DIAGNOSTIC_COLUMNS = (
    ("skills held: picks", "coverage_werkmatch", 3), ("best", "coverage_oracle", 3),
    ("occupation in history: picks", "has_occupation_werkmatch", 3),
    ("best", "has_occupation_oracle", 3), ("km: picks", "distance_km_werkmatch", 1),
    ("best", "distance_km_oracle", 1),
)  # fmt: skip


NORMALISATION_COLUMNS = (
    ("vacancy occupation right", "vacancy_occupation_right", 3),
    ("missing", "vacancy_occupation_missing", 3),
    ("right, open vacancies", "vacancy_occupation_right_open", 3),
    ("missing, open", "vacancy_occupation_missing_open", 3),
    ("history occupations recalled", "history_occupation_recall", 3),
    ("precision", "history_occupation_precision", 3),
)  # fmt: skip
MECHANISM_COLUMNS = (
    ("competence", "durable.competence_fit", 2), ("experience", "durable.experience", 2),
    ("same group", "durable.group_experience", 2), ("km", "durable.distance", 2),
    ("free km", "durable.distance_free_km", 1), ("× licence", "durable.licence_distance", 2),
    ("hours short", "durable.hours_short", 2), ("readiness", "durable.readiness", 2),
    ("sector", "durable.sector_preference", 2), ("Dutch", "durable.language_missing", 2),
    ("unobserved", "durable.candidate_unobserved", 2),
    ("employer", "durable.employer_unobserved", 2),
    ("recorded", "recording.skill_recorded", 2), ("titles", "recording.employer_titles", 2),
    ("sel. occupation", "selection.occupation", 2), ("sel. km", "selection.km", 3),
    ("sel. skills", "selection.known_skills", 2), ("sel. noise", "selection.noise", 2),
    ("hire: skills", "hire.competence_fit", 2), ("hire: occupation", "hire.has_occupation", 2),
)  # fmt: skip


def _mechanism_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per world its mechanisms flattened to ``part.field`` keys."""
    return [
        {"world": row["world"]}
        | {
            f"{part}.{k}": v
            for part, values in row["mechanisms"].items()
            for k, v in values.items()
        }
        for row in rows
    ]


def _table(
    rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str, int]],
    extra: Sequence[tuple[str, dict[str, Any]]] = (),
) -> list[str]:  # fmt: skip
    """A Markdown table: one line per world, then the extra (label, figures) lines in bold."""
    lines = [
        "| world | " + " | ".join(title for title, _, _ in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for row in rows:
        cells = [_f(row.get(key), digits) for _, key, digits in columns]
        lines.append(f"| {row['world']} | " + " | ".join(cells) + " |")
    for label, figures in extra:
        cells = [_f(figures.get(key), digits) for _, key, digits in columns]
        lines.append(f"| **{label}** | " + " | ".join(cells) + " |")
    return lines


def to_markdown(bench: QualityBench) -> str:
    """The run as Markdown (for ``docs/benchmarks.md``): dev worlds with mean and worst case,
    diagnostics, and the final worlds when they were run."""
    summary = bench.summary
    extra = [("mean", summary["mean"]), ("worst", summary["worst"])]
    lines = [
        f"Development worlds (scale {bench.scale:g}, {len(bench.dev)} worlds, "
        f"{bench.seconds / 60:.1f} min):",
        "",
        *_table(bench.dev, MAIN_COLUMNS, extra),
        "",
        "Where the lists differ from the best ones (means over the listed candidates):",
        "",
        *_table(bench.dev, DIAGNOSTIC_COLUMNS, extra[:1]),
        "",
        "Occupations as import normalised them (against the generator's truth):",
        "",
        *_table(bench.dev, NORMALISATION_COLUMNS, extra),
        "",
        "How the worlds differ (a few of their mechanisms; all in the JSON):",
        "",
        *_table(_mechanism_rows(bench.dev), MECHANISM_COLUMNS),
    ]
    if bench.final is not None:
        lines += ["", "Final worlds (looked at once):", "", *_table(bench.final, MAIN_COLUMNS)]
    return "\n".join(lines) + "\n"

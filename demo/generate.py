"""Write a generated region as exchange-format files, and read its parameters back."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from demo.mechanisms import Mechanisms
from demo.tables import TRUTH_DIR, TRUTH_FILE, all_tables, truth_table
from demo.world import World, build_world
from matching.errors import InvalidInput

PARAMETERS_FILE = "generation.json"  # in TRUTH_DIR
GENERATOR_VERSION = 1


@dataclass(frozen=True)
class GenerationSummary:
    """What ``generate_region`` wrote."""

    region: str
    seed: int
    scale: float
    as_of: dt.date
    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)  # per exchange file
    white_spots: int = 0
    placements_running: int = 0
    placements_durable: int = 0  # ended or running, lasted at least 6 months + 1 day
    seconds: float = 0.0


def _write_csv(frame: object, path: Path) -> None:
    """UTF-8, comma-separated, ``\\n`` line ends: the same bytes for the same table."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")  # type: ignore[attr-defined]


def _durable_count(world: World) -> int:
    """Placements that have lasted at least 6 months + 1 day by the export date."""
    h, today = world.history, np.datetime64(world.as_of, "D")
    last = np.where(np.isnat(h.end), today, h.end)
    starts = h.start.astype("datetime64[M]")
    six_months_on = (starts + np.timedelta64(6, "M")).astype("datetime64[D]") + (
        h.start - starts.astype("datetime64[D]")
    )
    return int((last >= six_months_on + np.timedelta64(1, "D")).sum())


def generate_region(
    region: str = "Holland Rijnland",
    *,
    seed: int = 0,
    scale: float = 1.0,
    as_of: dt.date | None = None,
    out_dir: Path,
    mechanisms: Mechanisms | None = None,
) -> GenerationSummary:
    """Generate ``region``: the six exchange files, and the truth and parameters in ``_truth/``.

    ``mechanisms`` other than today's are written to the parameters, so ``load_world`` rebuilds
    the same world (the plain demo's parameters stay as they were).
    """
    began = time.perf_counter()
    world = build_world(region, seed=seed, scale=scale, as_of=as_of, mechanisms=mechanisms)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = {}
    for name, frame in all_tables(world).items():
        _write_csv(frame, out_dir / f"{name}.csv")
        rows[name] = len(frame)
    (out_dir / TRUTH_DIR).mkdir(exist_ok=True)
    _write_csv(truth_table(world), out_dir / TRUTH_DIR / TRUTH_FILE)
    parameters = {
        "generator": "demo",
        "version": GENERATOR_VERSION,
        "region": world.region,
        "seed": seed,
        "scale": scale,
        "as_of": world.as_of.isoformat(),
    }
    if not world.mechanisms.is_default:
        parameters["mechanisms"] = world.mechanisms.as_dict()
    text = json.dumps(parameters, indent=2, sort_keys=True) + "\n"
    (out_dir / TRUTH_DIR / PARAMETERS_FILE).write_text(text, encoding="utf-8")
    return GenerationSummary(
        region=world.region, seed=seed, scale=scale, as_of=world.as_of, out_dir=out_dir,
        rows=rows, white_spots=int((~world.firms.known).sum()),
        placements_running=int(np.isnat(world.history.end).sum()),
        placements_durable=_durable_count(world),
        seconds=time.perf_counter() - began,
    )  # fmt: skip


def load_world(out_dir: Path) -> World:
    """Rebuild the in-memory world of a generated directory from ``_truth/generation.json``."""
    path = Path(out_dir) / TRUTH_DIR / PARAMETERS_FILE
    if not path.is_file():
        raise InvalidInput(f"{path} not found: not a directory written by generate_region.")
    parameters = json.loads(path.read_text())
    if parameters.get("version") != GENERATOR_VERSION:
        raise InvalidInput(f"{path} was written by generator version {parameters.get('version')}.")
    return build_world(
        parameters["region"],
        seed=int(parameters["seed"]),
        scale=float(parameters["scale"]),
        as_of=dt.date.fromisoformat(parameters["as_of"]),
        mechanisms=Mechanisms.from_dict(parameters.get("mechanisms", {})),
    )

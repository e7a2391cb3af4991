"""Benchmark: import generated candidate rows (default 100k) into a fresh SQLite store.

Usage: ``python scripts/bench_import.py [--rows 100000] [--no-normalise] [--keep DIR]``.
Generates employers.csv and candidates.csv (competences and occupations as a mix of ESCO URIs
and Dutch free text), imports them with the progress bar, prints rows/s, then imports them again
(every row unchanged). Not a test: the suite never makes files this large.
"""

from __future__ import annotations

import argparse
import csv
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from matching import migrate
from matching.columns import CANDIDATES
from matching.exchange import import_paths
from matching.exchange.normalising import TextNormaliser
from matching.reference import load_reference
from matching.store.db import make_engine, make_session_factory

SKILL = "http://data.europa.eu/esco/skill/"
OCCUPATION = "http://data.europa.eu/esco/occupation/"
SKILLS = (
    SKILL + "28cb374e-6261-4133-8371-f9a5470145da",
    SKILL + "6ff01827-907d-43d8-b6e4-7162c1cf0aca",
    SKILL + "15a33d76-4640-438d-ae64-fdc0c1d3eebc",
    SKILL + "7e9daad3-8604-4839-af9b-dc6f8db3ef68",
    "heftruck rijden",
    "schoonmaken",
    "klanten te woord staan",
    "koken",
    "orderpicken",
    "vakken vullen",
    "ramen wassen",
    "afwassen",
    "kassa bedienen",
    "toezicht houden",
)
OCCUPATIONS = (
    OCCUPATION + "90f75f67-495d-49fa-ab57-2f320e251d7e",
    OCCUPATION + "eeac6251-1974-42f5-91ed-513c6c883755",
    "magazijnmedewerker",
    "schoonmaker",
    "keukenhulp",
    "winkelmedewerker",
    "beveiliger",
)
PLACES = (("GM0575", "2201"), ("GM0546", "2311"), ("GM0537", "2221"), ("GM0546", "2324"))


@dataclass(frozen=True)
class BenchResult:
    """Timings of one benchmark run."""

    rows: int
    seconds: float
    rerun_seconds: float
    normalised: bool

    @property
    def rows_per_second(self) -> float:
        """Candidate rows imported per second on the first run."""
        return self.rows / self.seconds


def write_candidates(path: Path, rows: int, *, seed: int = 7) -> None:
    """Write ``rows`` plausible candidate rows to ``path``."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CANDIDATES.column_names)
        for i in range(rows):
            municipality, pc4 = rng.choice(PLACES)
            writer.writerow(
                [f"K{i:07d}", municipality, pc4, rng.randint(1960, 2005), rng.choice("mvx"),
                 rng.randint(1, 6), rng.choice(("regulier", "statushouder", "nug")),
                 "participatiewet", rng.randint(8, 40), rng.randint(5, 30),
                 rng.choice(("true", "false")), rng.choice(("vo", "mbo2", "mbo3", "")), "nl",
                 ";".join(rng.sample(SKILLS, rng.randint(1, 5))),
                 ";".join(rng.sample(OCCUPATIONS, rng.randint(0, 2))), rng.choice("GHINQ"),
                 "2024-03-01", "active", rng.choice(("true", "false"))]
            )  # fmt: skip


def run(rows: int, work_dir: Path, *, normalise: bool = True, show: bool = True) -> BenchResult:
    """Generate, import twice, and time the first and second run."""
    csv_path = work_dir / "candidates.csv"
    write_candidates(csv_path, rows)
    engine = make_engine(url=f"sqlite:///{work_dir / 'bench.db'}")
    migrate.upgrade(engine)
    load_reference(engine)
    sessions = make_session_factory(engine)
    normaliser: TextNormaliser | None = None
    if normalise:
        from matching import normalisation

        normaliser = normalisation
        normalisation.best(["warm-up"], kind="skill", threshold=0.5)  # build the indexes first
        normalisation.best(["warm-up"], kind="occupation", threshold=0.5)
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        report = _import(sessions, csv_path, normaliser, show=show)
        timings.append(time.perf_counter() - started)
        if report.rejected:
            raise SystemExit(f"benchmark rows were rejected: {report.files[0].errors[:3]}")
    engine.dispose()
    return BenchResult(rows, timings[0], timings[1], normalise)


def _import(sessions, path, normaliser, *, show):  # type: ignore[no-untyped-def]
    if not show:
        return import_paths(sessions, [path], normaliser=normaliser)
    from matching.exchange.display import import_progress

    with import_progress() as progress:
        return import_paths(sessions, [path], normaliser=normaliser, progress=progress)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-normalise", action="store_true")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        result = run(args.rows, work, normalise=not args.no_normalise)
    normaliser = "on" if result.normalised else "off"
    print(
        f"import {result.rows} candidate rows: {result.seconds:.1f} s "
        f"({result.rows_per_second:,.0f} rows/s, normaliser {normaliser}); "
        f"re-import (all unchanged): {result.rerun_seconds:.1f} s"
    )


if __name__ == "__main__":
    main()

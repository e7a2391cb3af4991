"""Every benchmark in one run; rewrites the generated tables of docs/benchmarks.md.

    .venv/bin/python scripts/bench.py [--quick] [--no-faults] [--no-write]     (make bench)
    .venv/bin/python scripts/bench.py --http-only       (the served region and HTTP alone)

Each figure is set against a baseline measured in the same run on the same data (a naive
loop, a sparse mat-vec floor, /healthz on the same server, the same import without the
normaliser, independent top-k lists), with the load average before/after, because the
2-core machine is shared. ``--quick`` uses smaller sizes and shorter load runs (~4 min);
the full run takes about 10–15 minutes. Results also go to var/bench/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import bench_inprocess as inproc
import bench_report as report
import bench_serving as serving
from bench_http import drop_schema, fresh_schema, postgres_answers, prepare_store

from demo.generate import generate_region
from matching.pool_loading import load_spaces
from matching.reference import read_table

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
REGION, SCHEMA = "Holland Rijnland", "werkmatch_bench"


def machine() -> dict[str, str]:
    """Date, machine and versions of this run."""
    pg = "not running"
    if postgres_answers():
        out = subprocess.run(["psql", "--version"], capture_output=True, text=True)
        pg = out.stdout.strip() or "answers on 127.0.0.1:5432"
    packages = ", ".join(
        f"{p} {version(p)}" for p in ("numpy", "scipy", "fastapi", "uvicorn", "sqlalchemy")
    )
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, nproc {os.cpu_count()}, "
        f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB",
        "versions": f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{pg}, {packages}, wrk {wrk[1] if len(wrk) > 1 else '?'}",
        "load average before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


class Run:
    """Results by section; a failing section is recorded, the others still run."""

    def __init__(self) -> None:
        self.results: dict[str, Any] = {}

    def section(self, name: str, work: Callable[[], Any]) -> Any:
        """Run one section, print and keep its result (or its error)."""
        print(f"== {name} (load {os.getloadavg()[0]:.1f})", flush=True)
        started = time.perf_counter()
        try:
            self.results[name] = work()
        except Exception as exc:  # a benchmark section failed: record it, go on
            traceback.print_exc()
            self.results[name] = {"error": f"{type(exc).__name__}: {exc}"}
        print(f"   {time.perf_counter() - started:.0f} s: {self.results[name]}", flush=True)
        return self.results[name]


def served(run: Run, root: Path, quick: bool) -> None:
    """Generate the region, import it into SQLite and PostgreSQL, train, load it over HTTP."""
    data, var, models = root / "region", root / "var", root / "var" / "models"
    generate_region(REGION, seed=0, scale=1.7, out_dir=data)  # ≈ 10k candidates
    codes = read_table("municipalities").query("region == @REGION")["code"].tolist()
    stores = {"sqlite": prepare_store(f"sqlite:///{root / 'bench.db'}", data, codes=codes)}
    if postgres_answers():
        stores["postgres"] = prepare_store(fresh_schema_url(), data, codes=codes)
    training = run.section("training", lambda: inproc.training(stores["sqlite"].url, models))
    run.results["region"] = {
        "candidates": stores["sqlite"].rows["candidates"],
        "open_vacancies": len(stores["sqlite"].vacancy_ids),
        "training": training,
        **{name: store.seconds for name, store in stores.items()},
    }
    rows = []
    for workers in (1, 2) if not quick else (2,):
        for name, store in stores.items():
            rows.append(
                run.section(
                    f"http {name} workers={workers}",
                    lambda s=store, n=name, w=workers: serving.http_figures(
                        n,
                        s.url,
                        s.token,
                        s.vacancy_ids,
                        var_dir=var,
                        model_dir=models,
                        workers=w,
                        seconds=5 if quick else 10,
                    ),
                )
            )
    run.results["http"] = [r for r in rows if "error" not in r]


def fresh_schema_url() -> str:
    """A fresh schema of the benchmarks in the test database."""
    return fresh_schema(SCHEMA)


def faults(quick: bool) -> dict[str, Any]:
    """scripts/fault_postgres.py in a subprocess; its JSON summary."""
    argv = [sys.executable, str(ROOT / "scripts" / "fault_postgres.py"), "--json"]
    if quick:
        argv.append("--quick")
    out = subprocess.run(argv, capture_output=True, text=True, timeout=600)
    sys.stderr.write(out.stderr[-3000:])
    line = next((x for x in out.stdout.splitlines() if x.startswith("{")), None)
    if line is None:
        return {"error": f"exit {out.returncode}: {out.stdout[-500:]}"}
    return dict(json.loads(line))


def workers() -> dict[str, Any]:
    """tests/api/test_workers.py (two uvicorn workers on PostgreSQL), outside the default suite."""
    env = {**os.environ, "WERKMATCH_WORKER_TEST": "1"}
    argv = [str(ROOT / ".venv" / "bin" / "pytest"), "-q", "-p", "no:cacheprovider",
            "tests/api/test_workers.py"]  # fmt: skip
    started = time.perf_counter()
    out = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-300:]
    return {"passed": out.returncode == 0, "summary": last,
            "seconds": time.perf_counter() - started}  # fmt: skip


def blocks(results: dict[str, Any], import_rows: int) -> dict[str, str]:
    """The generated blocks for every section that produced a result."""
    makers: dict[str, Callable[[Any], str]] = {
        "run": report.run_block,
        "latency": report.latency_block,
        "batch": report.batch_block,
        "allocation": report.allocation_block,
        "import": report.import_block,
        "region": report.region_block,
        "http": report.http_block,
        "memory": lambda r: report.memory_block(r, import_rows),
        "faults": report.faults_block,
        "workers": report.workers_block,
    }
    out = {}
    for name, make in makers.items():
        value = results.get(name)
        if value and not (isinstance(value, dict) and "error" in value and name != "faults"):
            out[name] = make(value)
    return out


def http_only(quick: bool, *, write: bool) -> None:
    """The served-region section alone; the other sections' results are kept as they were."""
    out = ROOT / "var" / "bench" / "results.json"
    saved = json.loads(out.read_text()) if out.exists() else {}
    run, began, info = Run(), time.perf_counter(), machine()
    root = Path(tempfile.mkdtemp(prefix="werkmatch-bench-"))
    try:
        served(run, root, quick)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if postgres_answers():
            drop_schema(SCHEMA)
    after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    rerun = (f"{info['date']}, load average {info['load average before']} → {after}, "
             f"{time.perf_counter() - began:.0f} s{' (--quick)' if quick else ''}")  # fmt: skip
    last = saved.get("run", {}) or {k: v for k, v in info.items() if k != "load average before"}
    results = {**saved, **run.results, "run": {**last, "served region and HTTP rerun": rerun}}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    if write:
        mine = {k: v for k, v in blocks(results, 100_000).items() if k in ("run", "region", "http")}
        DOC.write_text(report.replace_blocks(DOC.read_text(), mine))
        print(f"rewrote the run, region and http blocks of {DOC.relative_to(ROOT)}")


def main() -> None:
    """Run everything, then rewrite docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, shorter loads")
    parser.add_argument("--no-faults", action="store_true", help="skip the PostgreSQL restart")
    parser.add_argument("--no-write", action="store_true", help="leave docs/benchmarks.md")
    parser.add_argument("--rewrite", action="store_true", help="only rewrite the doc from "
                        "var/bench/results.json")  # fmt: skip
    parser.add_argument("--http-only", action="store_true", help="only the served region "
                        "(import, training, HTTP); other results kept")  # fmt: skip
    args = parser.parse_args()
    if args.http_only:
        http_only(args.quick, write=not args.no_write)
        return
    if args.rewrite:
        saved = json.loads((ROOT / "var" / "bench" / "results.json").read_text())
        rows = 20_000 if "--quick" in saved["run"]["mode"] else 100_000
        DOC.write_text(report.replace_blocks(DOC.read_text(), blocks(saved, rows)))
        return
    quick, run, began = args.quick, Run(), time.perf_counter()
    info = machine()
    root = Path(tempfile.mkdtemp(prefix="werkmatch-bench-"))
    sizes = [10_000, 100_000] if quick else [10_000, 100_000, 1_000_000]
    import_rows = 20_000 if quick else 100_000
    try:
        spaces = load_spaces()
        run.section("latency", lambda: inproc.shortlist_latency(spaces, sizes, 15 if quick else 30))
        run.section("batch", lambda: inproc.batch_scoring(spaces, 100_000, 10 if quick else 40))
        alloc = (200, 10_000) if quick else (500, 20_000)
        run.section("allocation", lambda: inproc.allocation(*alloc))
        run.section("import", lambda: inproc.import_throughput(import_rows, root / "import"))
        served(run, root, quick)
        run.section(
            "memory",
            lambda: serving.memory_figures(
                root / "import" / "on" / "bench.db", root / "var", root / "var" / "models"
            ),
        )
        run.section("workers", workers)
        if not args.no_faults:
            run.section("faults", lambda: faults(quick))
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if postgres_answers():
            drop_schema(SCHEMA)
    info["load average after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info["mode"] = ("--quick" if quick else "full") + f", {time.perf_counter() - began:.0f} s"
    run.results["run"] = info
    out = ROOT / "var" / "bench" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(run.results, indent=2, default=str))
    if not args.no_write:
        DOC.write_text(report.replace_blocks(DOC.read_text(), blocks(run.results, import_rows)))
        print(f"rewrote {DOC.relative_to(ROOT)}; results in {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

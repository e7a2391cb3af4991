"""Turn the results of ``scripts/bench.py`` into the generated blocks of docs/benchmarks.md.

A generated block sits between ``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``; the
prose around it is kept. ``replace_blocks`` rewrites only the blocks it has text for.
"""

from __future__ import annotations

import re
from typing import Any

from features.pairwise import N_FEATURES

Row = dict[str, Any]


def replace_blocks(document: str, blocks: dict[str, str]) -> str:
    """``document`` with each named block's content replaced; unknown names are an error."""
    for name, body in blocks.items():
        pattern = re.compile(rf"(<!-- bench:{name} -->\n).*?(<!-- /bench:{name} -->)", re.S)
        if not pattern.search(document):
            raise KeyError(f"docs/benchmarks.md has no block {name!r}")
        document = pattern.sub(
            lambda m, text=body: m.group(1) + text.rstrip() + "\n" + m.group(2), document
        )
    return document


def verdict(ok: bool) -> str:
    """met / not met."""
    return "**met**" if ok else "**not met**"


def _load(row: Row) -> str:
    before, after = row["load"]
    return f"{before:.1f} → {after:.1f}"


def run_block(info: Row) -> str:
    """Date, machine and versions of the run."""
    lines = [f"- {k}: {v}" for k, v in info.items()]
    return "\n".join(lines)


def latency_block(rows: list[Row]) -> str:
    """Shortlist latency in-process against the naive loop and the mat-vec floor."""
    out = [
        "| candidates | p50 | p95 | naive loop (scaled) | naive / p50 | floor (CSR mat-vec) "
        "| p50 / floor | load avg | target | |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    targets = {100_000: 10.0, 1_000_000: 100.0}
    for r in rows:
        target = targets.get(r["n"])
        mark = verdict(r["p50"] <= target) if target else ""
        want = f"p50 ≤ {target:g} ms" if target else "–"
        out.append(
            f"| {r['n']:,} | {r['p50']:.1f} ms | {r['p95']:.1f} ms | {r['naive_ms'] / 1000:.1f} s "
            f"| {r['naive_ms'] / r['p50']:,.0f} × | {r['floor_ms']:.2f} ms "
            f"| {r['p50'] / r['floor_ms']:.1f} × | {_load(r)} | {want} | {mark} |"
        )
    return "\n".join(out)


def batch_block(r: Row) -> str:
    """Batch scoring pairs/s against the floor."""
    rate, floor = r["pairs_s"] / 1e6, r["floor_pairs_s"] / 1e6
    return "\n".join([
        "| batch | pairs/s | floor: one sparse product, all vacancies | floor / ours | load avg "
        "| target ≥ 20 M pairs/s |",
        "|---|---:|---:|---:|---|---|",
        f"| {r['m']} vacancies × {r['n']:,} candidates, {N_FEATURES} features + score "
        f"| {rate:.1f} M | {floor:.0f} M | {floor / rate:.0f} × | {_load(r)} "
        f"| {verdict(rate >= 20)} |",
    ])  # fmt: skip


def allocation_block(r: Row) -> str:
    """Allocation time and totals against independent top-k."""
    total = r["shortlists_s"] + r["solver_s"]
    a, b = r["allocated"], r["independent"]
    gain = a["expected_durable"] / b["expected_durable"] - 1
    head = (
        "| | time | expected durable placements | proposals | distinct candidates | exposure Gini |"
    )
    return "\n".join([
        f"{r['m']} open vacancies × {r['n']:,} candidates, load avg {_load(r)}; target ≤ 30 s: "
        f"{verdict(total <= 30)}; expected durable placements {gain:+.1%} against independent "
        "top-k.",
        "",
        head,
        "|---|---:|---:|---:|---:|---:|",
        f"| allocated (LP, HiGHS) | {total:.1f} s ({r['shortlists_s']:.1f} s shortlists + "
        f"{r['solver_s']:.1f} s solver) | {a['expected_durable']:.1f} | {a['proposals']:,} "
        f"| {a['distinct_candidates']:,} | {a['exposure_gini']:.3f} |",
        f"| independent top-k | – | {b['expected_durable']:.1f} | {b['proposals']:,} "
        f"| {b['distinct_candidates']:,} | {b['exposure_gini']:.3f} |",
    ])  # fmt: skip


def import_block(r: Row) -> str:
    """Import rows/s with normalisation against the same import without it."""
    rate, plain = r["rows"] / r["seconds"], r["rows"] / r["plain_seconds"]
    return "\n".join([
        "| run | time | rate | load avg | target (100k ≤ 20 s) |",
        "|---|---:|---:|---|---|",
        f"| first import, normalised | {r['seconds']:.1f} s | {rate:,.0f} rows/s | {_load(r)} "
        f"| {verdict(r['seconds'] * 100_000 / r['rows'] <= 20)} |",
        f"| baseline: same file, no normaliser | {r['plain_seconds']:.1f} s | {plain:,.0f} "
        f"rows/s | | time normalised / plain: {r['seconds'] / r['plain_seconds']:.2f} × |",
        f"| re-import, all rows unchanged | {r['rerun_seconds']:.1f} s "
        f"| {r['rows'] / r['rerun_seconds']:,.0f} rows/s | | |",
    ])  # fmt: skip


def region_block(r: Row) -> str:
    """The served demo region: import per backend and training."""
    out = ["| step | SQLite | PostgreSQL |", "|---|---:|---:|"]
    sq, pg = r.get("sqlite", {}), r.get("postgres", {})
    out.append(
        f"| import of the region (6 files, normalised) | {sq.get('import', 0):.1f} s "
        f"| {pg.get('import', 0):.1f} s |"
    )
    t = r["training"]
    out += ["", f"Training on it (SQLite store): **{t['seconds']:.1f} s** (load avg "
            f"{_load(t)}); {t['message']}"]  # fmt: skip
    return "\n".join(out)


def http_block(rows: list[Row]) -> str:
    """HTTP shortlist against /healthz on the same server."""
    out = [
        "| backend | workers | /healthz req/s (ceiling) | shortlist req/s (median run) "
        "| all runs: req/s (p99) | shortlist / ceiling "
        "| p50 | p95 | p99 | server CPU per request (shortlist / healthz) | errors | load avg "
        "| CPU stolen (median run) | CPU per worker (median run) "
        "| target ≥ 300 req/s, p99 < 100 ms |",
        "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|",
    ]
    for r in rows:
        h, s = r["healthz"], r["shortlist"]
        ok = s["rps"] >= 300 and s["p99"] < 100
        cpu = r.get("cpu_ms")
        cpu_text = f"{cpu['shortlist']:.1f} / {cpu['healthz']:.1f} ms" if cpu else "–"
        out.append(
            f"| {r['backend']} | {r['workers']} | {h['rps']:,.0f} (p99 {h['p99']:.0f} ms) "
            f"| {s['rps']:,.0f} | {_rounds(r)} | {s['rps'] / h['rps']:.0%} | {s['p50']:.1f} ms "
            f"| {s['p95']:.1f} ms | {s['p99']:.1f} ms | {cpu_text} | {s['errors'] + s['non2xx']} "
            f"| {_load(r)} | {_steal(r)} | {_split(r)} | {verdict(ok)} |"
        )
    return "\n".join(out)


def _rounds(r: Row) -> str:
    """Every shortlist run of the row: req/s and p99."""
    runs = r.get("rounds") or []
    return ", ".join(f"{x['rps']:,.0f} ({x['p99']:.0f} ms)" for x in runs) or "–"


def _split(r: Row) -> str:
    """CPU seconds of each worker during the shortlist run: shows whether both served."""
    each = r.get("worker_cpu_s")
    return "–" if not each else " / ".join(f"{x:.1f} s" for x in each)


def _steal(r: Row) -> str:
    """The share of CPU time the hypervisor gave to other machines (/proc/stat steal)."""
    steal = r.get("steal")
    return "–" if steal is None else f"{steal:.0%}"


def memory_block(r: Row, base_rows: int) -> str:
    """Server RSS idle, with the imported pool, and tiled."""
    mib = 1 / 1024
    p, t = r["plain"], r["tiled"]
    n_tiled = base_rows * r["tiles"]
    return "\n".join([
        "| server (1 worker) | candidates | RSS idle | RSS loaded | peak RSS | first request "
        "(loads the pool) | next request | target (1M ≤ 4 GB) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        f"| imported store | {base_rows:,} | {p['idle_kib'] * mib:,.0f} MiB "
        f"| {p['rss_kib'] * mib:,.0f} MiB | {p['peak_kib'] * mib:,.0f} MiB | {p['load_s']:.1f} s "
        f"| {p['next_s'] * 1000:.0f} ms | |",
        f"| same, pool tiled ×{r['tiles']} at the array level | {n_tiled:,} "
        f"| {t['idle_kib'] * mib:,.0f} MiB | {t['rss_kib'] * mib:,.0f} MiB "
        f"| {t['peak_kib'] * mib:,.0f} MiB | {t['load_s']:.1f} s | {t['next_s'] * 1000:.0f} ms "
        f"| {verdict(t['peak_kib'] * 1_000_000 / n_tiled <= 4 * 1024 * 1024)} |",
        "",
        f"Load avg {_load(r)}. Per candidate (loaded − idle, tiled): "
        f"{(t['rss_kib'] - t['idle_kib']) * 1024 / n_tiled:,.0f} bytes.",
    ])  # fmt: skip


def faults_block(r: Row) -> str:
    """The outcome of scripts/fault_postgres.py."""
    if "error" in r:
        return f"Not run: {r['error']}"
    lines = [f"- {k.replace('_', ' ')}: {v}" for k, v in r.items() if k != "checks"]
    lines += [f"- check **{k}**: {'passed' if v else 'FAILED'}" for k, v in r["checks"].items()]
    return "\n".join(lines)


def workers_block(r: Row) -> str:
    """The outcome of the multi-worker test."""
    if "error" in r:
        return f"Not run: {r['error']}"
    outcome = "passed" if r["passed"] else "**FAILED**"
    return f"`tests/api/test_workers.py`: {outcome} ({r['summary']}; {r['seconds']:.0f} s)."

"""Benchmark of issue 23: eligibility of 100,000 candidates for 20 programmes (target ≤ 1 s).

    .venv/bin/python scripts/bench_programmes.py [--n 100000] [--programmes 20] [--repeat 5]

Synthetic candidates (the candidates.csv columns the rules read, drawn over 12 municipalities
and their postcode areas) and 20 programmes with every rule set (area, postcode areas, age band,
ladder steps, benefit, target group, hours, languages). Timed, best and median of ``repeat``:

* *table*: ``candidate_table`` — sorting and factorising the frame once (what a worklist or a
  benchmark over many programmes pays once);
* *eligibility*: ``rule_masks`` and ``eligible`` for every programme over the table (the
  per-programme work);
* *baseline*: a plain vectorised pass over the same table per programme, one comparison of the
  hours column with a threshold (the floor any rule check pays), in the same run;
* *pandas*: the same rules written plainly in pandas on the raw frame (``isin`` per rule, the
  languages split per row), for comparison.

The figure is the ratio eligibility / baseline and the absolute time against the target.
Reading the candidates from the store is not included (a query of 100k rows; measured by the
import benchmark's store).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from matching.programmes.eligibility import candidate_table, eligible, rule_masks
from matching.programmes.rules import Rules

AS_OF = dt.date(2026, 12, 3)
MUNICIPALITIES = [f"GM0{500 + i}" for i in range(12)]
LANGUAGES = ["nl", "en", "ar", "tr", "pl", "uk", "ti", "so", "de", "fr"]


def candidates(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """``n`` synthetic candidates."""
    municipality = rng.choice(MUNICIPALITIES, n)
    postcode = [f"{2000 + 10 * MUNICIPALITIES.index(m) + int(d)}" for m, d in
                zip(municipality, rng.integers(0, 10, n), strict=True)]  # fmt: skip
    spoken = [";".join(rng.choice(LANGUAGES, int(k), replace=False)) for k in rng.integers(0, 3, n)]
    return pd.DataFrame({
        "candidate_id": [f"K{i:07d}" for i in range(n)], "municipality_code": municipality,
        "postcode4": postcode, "birth_year": rng.integers(1955, 2008, n).astype(float),
        "ladder_step": rng.integers(1, 7, n), "benefit": rng.choice(["participatiewet", "ww",
        "none"], n), "target_group": rng.choice(["regulier", "statushouder", "nug",
        "doelgroepregister"], n), "hours_available": rng.integers(8, 41, n),
        "languages": spoken, "status": rng.choice(["active", "inactive", "placed"], n,
        p=[0.8, 0.1, 0.1]),
    })  # fmt: skip


def programmes(k: int, rng: np.random.Generator) -> list[Rules]:
    """``k`` programmes with every rule set."""
    out = []
    for _ in range(k):
        home = rng.choice(MUNICIPALITIES, 3, replace=False)
        areas = {f"{2000 + 10 * MUNICIPALITIES.index(m) + d}" for m in home for d in range(5)}
        out.append(Rules(
            municipalities=frozenset(home), postcode4=frozenset(areas), age_min=18, age_max=65,
            ladder_steps=frozenset({2, 3, 4}), benefits=frozenset({"participatiewet", "none"}),
            target_groups=frozenset({"regulier", "nug", "statushouder"}), min_hours=24,
            min_hours_exception=16, languages=frozenset({"nl", "en"}),
        ))  # fmt: skip
    return out


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best and median seconds of ``repeat`` runs."""
    seconds = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - began)
    return min(seconds), statistics.median(seconds)


def main() -> None:
    """Run and print the table rows for docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--programmes", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(23)
    frame, rules = candidates(args.n, rng), programmes(args.programmes, rng)
    load = os.getloadavg()
    table = candidate_table(frame)
    counts: list[int] = []

    def check() -> None:
        counts[:] = [int(eligible(rule_masks(table, r, as_of=AS_OF)).sum()) for r in rules]

    def plain() -> None:
        spoken = frame["languages"].str.split(";")
        age = AS_OF.year - frame["birth_year"]
        for r in rules:
            ok = (frame["status"] == "active") & frame["municipality_code"].isin(r.municipalities)
            ok &= frame["postcode4"].isin(r.postcode4) & age.between(r.age_min, r.age_max)
            ok &= frame["ladder_step"].isin(r.ladder_steps) & frame["benefit"].isin(r.benefits)
            ok &= frame["target_group"].isin(r.target_groups)
            ok &= frame["hours_available"] >= (r.min_hours or 0)
            ok &= spoken.map(lambda items, r=r: bool(r.languages & set(items)))
            int(ok.sum())

    def baseline() -> None:
        for r in rules:
            np.count_nonzero(table.hours >= (r.min_hours or 0))

    built = timed(lambda: candidate_table(frame), args.repeat)
    checked, floor = timed(check, args.repeat), timed(baseline, args.repeat)
    pandas_way = timed(plain, max(1, args.repeat // 2))
    after = os.getloadavg()
    size = f"{args.n:,} × {args.programmes}"
    print(f"| step | best | median | ({size}; load {load[0]:.1f} → {after[0]:.1f}) |")
    print("|---|---:|---:|---|")
    print(f"| candidate table (once) | {built[0] * 1e3:.0f} ms | {built[1] * 1e3:.0f} ms | |")
    met = "**met**" if checked[1] + built[1] <= 1.0 else "not met"
    print(f"| eligibility, all programmes | {checked[0] * 1e3:.0f} ms | {checked[1] * 1e3:.0f} ms "
          f"| table + eligibility ≤ 1 s: {met} |")  # fmt: skip
    ratio = checked[1] / floor[1]
    print(f"| baseline: one comparison per programme | {floor[0] * 1e3:.1f} ms | "
          f"{floor[1] * 1e3:.1f} ms | eligibility / baseline: {ratio:.0f} × |")  # fmt: skip
    print(f"| plain pandas, same rules | {pandas_way[0] * 1e3:.0f} ms | "
          f"{pandas_way[1] * 1e3:.0f} ms | pandas / eligibility: "
          f"{pandas_way[1] / checked[1]:.1f} × |")  # fmt: skip
    print(f"eligible per programme (mean): {statistics.mean(counts):,.0f}")


if __name__ == "__main__":
    main()

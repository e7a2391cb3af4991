"""VUM benchmarks and conformance figures (issue 21).

    .venv/bin/python scripts/bench_vum.py accreditation [--data ../shared/data/vum]

``accreditation``: the 100 vacancy accreditation cases of ``data/vum`` by the accreditation's
own rule (``matching.vum.conformance``), over the pool of vacancy details plus expected
summaries; prints the number passed and the time per search.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from matching.vum import model as vm
from matching.vum.conformance import case_passes, vacancy_cases
from matching.vum.search import Located, pc4_centroids, search
from matching.vum.shape import VACATURE_FIELDS, shape_of

DEFAULT_DATA = Path(__file__).parents[1].parent / "shared" / "data" / "vum"


def accreditation(data: Path) -> None:
    """Run the vacancy cases and print the figure."""
    cases, pool = vacancy_cases(
        data / "accreditatie" / "vacatures" / "AccreditatieVacature_data.json"
    )
    docs = [Located(d["idVacature"], d, d.get("adres", {}).get("postcode")) for d in pool]
    centroids, summary = pc4_centroids(), shape_of(vm.VacatureSummary)
    passed, started = 0, time.perf_counter()
    for case in cases:
        found = search(case.zoekvraag, docs, fields=VACATURE_FIELDS, summary=summary,
                       centroids=centroids)  # fmt: skip
        passed += case_passes(found.summaries, case.expected)
    took = time.perf_counter() - started
    print(f"vacancy accreditation cases: {passed}/{len(cases)} pass over a pool of {len(docs)} "
          f"vacancies; {1000 * took / len(cases):.1f} ms per search")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    acc = sub.add_parser("accreditation")
    acc.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    if args.command == "accreditation":
        accreditation(args.data)


if __name__ == "__main__":
    main()

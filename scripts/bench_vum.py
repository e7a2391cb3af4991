"""VUM benchmarks and conformance figures (issue 21).

    .venv/bin/python scripts/bench_vum.py accreditation [--data ../shared/data/vum]
    .venv/bin/python scripts/bench_vum.py import [--profiles 100000] [--normalise]

``accreditation``: the 100 vacancy accreditation cases of ``data/vum`` by the accreditation's
own rule (``matching.vum.conformance``), over the pool of vacancy details plus expected
summaries; prints the number passed and the time per search. ``import``: N profiles (the
1,000 accreditation profiles repeated under new ids) imported into a fresh SQLite store with
``import_paths``, as ``werkmatch import`` does; without ``--normalise`` the free texts are kept
as text (no ESCO normaliser), which isolates reading, validation, mapping and writing.
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


def import_profiles(data: Path, count: int, *, normalise: bool) -> None:
    """Import ``count`` VUM profiles and print the time."""
    import json
    import tempfile

    from matching import migrate, normalisation
    from matching.exchange import import_paths
    from matching.reference import load_reference
    from matching.store.db import make_engine, make_session_factory

    source = data / "accreditatie" / "werkzoekenden" / "AccreditatieWerkzoekenden_upload.json"
    profiles = json.loads(source.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "profielen.json"
        with path.open("w", encoding="utf-8") as out:
            out.write("[")
            for i in range(count):
                profile = dict(profiles[i % len(profiles)])
                profile["idWerkzoekende"] = f"{profile['idWerkzoekende'][:24]}{i:08d}"
                out.write(("," if i else "") + json.dumps(profile, ensure_ascii=False))
            out.write("]")
        engine = make_engine(url=f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        load_reference(engine)
        sessions = make_session_factory(engine)
        started = time.perf_counter()
        report = import_paths(sessions, [path], normaliser=normalisation if normalise else None)
        took = time.perf_counter() - started
        engine.dispose()
    print(
        f"VUM import: {report.total('inserted')}/{count} profiles in {took:.1f} s "
        f"({count / took:,.0f} per s; normaliser {'on' if normalise else 'off'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    acc = sub.add_parser("accreditation")
    acc.add_argument("--data", type=Path, default=DEFAULT_DATA)
    imp = sub.add_parser("import")
    imp.add_argument("--data", type=Path, default=DEFAULT_DATA)
    imp.add_argument("--profiles", type=int, default=100_000)
    imp.add_argument("--normalise", action="store_true")
    args = parser.parse_args()
    if args.command == "accreditation":
        accreditation(args.data)
    else:
        import_profiles(args.data, args.profiles, normalise=args.normalise)


if __name__ == "__main__":
    main()

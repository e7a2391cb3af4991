"""VUM benchmarks and conformance figures (issue 21).

    .venv/bin/python scripts/bench_vum.py accreditation [--data ../shared/data/vum]
    .venv/bin/python scripts/bench_vum.py import [--profiles 100000] [--normalise]
    .venv/bin/python scripts/bench_vum.py search [--profiles 100000]

``accreditation``: the 100 vacancy accreditation cases of ``data/vum`` by the accreditation's
own rule (``matching.vum.conformance``), over the pool of vacancy details plus expected
summaries; prints the number passed and the time per search. ``import``: N profiles (the
1,000 accreditation profiles repeated under new ids) imported into a fresh SQLite store with
``import_paths``, as ``werkmatch import`` does; without ``--normalise`` the free texts are kept
as text (no ESCO normaliser), which isolates reading, validation, mapping and writing.
``search``: the same N profiles imported without the normaliser, then job-seeker searches of
the VUM source (``matching.vum.source.match``, as ``POST /vum/v3/werkzoekenden/matches`` runs
them) at radii of 5 to 100 km around the postcodes of a few profiles; prints the median and
the slowest time per radius, and the number of profiles in the area as the baseline's size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.store import models as m
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


def _profiles(data: Path) -> list[dict[str, Any]]:
    source = data / "accreditatie" / "werkzoekenden" / "AccreditatieWerkzoekenden_upload.json"
    profiles: list[dict[str, Any]] = json.loads(source.read_text(encoding="utf-8"))
    return profiles


def _imported(
    tmp: str, profiles: list[dict[str, Any]], count: int, *, normalise: bool
) -> tuple[sessionmaker[Session], float, int]:
    """A fresh SQLite store in ``tmp`` with ``count`` profiles imported; the import's seconds."""
    from matching import migrate, normalisation
    from matching.exchange import import_paths
    from matching.reference import load_reference
    from matching.store.db import make_engine, make_session_factory

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
    return sessions, time.perf_counter() - started, report.total("inserted")


def import_profiles(data: Path, count: int, *, normalise: bool) -> None:
    """Import ``count`` VUM profiles and print the time."""
    with tempfile.TemporaryDirectory() as tmp:
        _, took, inserted = _imported(tmp, _profiles(data), count, normalise=normalise)
        started = time.perf_counter()
        json.loads((Path(tmp) / "profielen.json").read_text(encoding="utf-8"))
        floor = time.perf_counter() - started
    print(
        f"VUM import: {inserted}/{count} profiles in {took:.1f} s "
        f"({count / took:,.0f} per s; normaliser {'on' if normalise else 'off'}); "
        f"json.loads of the file alone (the floor) {floor:.1f} s: {took / floor:.1f}x"
    )


def search_profiles(data: Path, count: int, *, rounds: int = 5) -> None:
    """Time job-seeker searches over ``count`` imported profiles, per radius."""
    from matching.access.users import Principal
    from matching.vum.source import WERKZOEKENDEN, match

    profiles = _profiles(data)
    postcodes = [p["mobiliteit"]["bemiddelingspostcode"] for p in profiles[:rounds]]
    with tempfile.TemporaryDirectory() as tmp:
        sessions, _, _ = _imported(tmp, profiles, count, normalise=False)
        for km in (5, 25, 100):
            times, found, more = [], 0, 0
            for postcode in postcodes:
                zoekvraag = {
                    "selectiegebied": {"postcode": postcode, "afstand": km},
                    "arbeidsmarktkwalificatie.rijbewijs.codeSoortRijbewijs": {"$in": ["B"]},
                }
                with sessions() as session:
                    started = time.perf_counter()
                    result = match(session, Principal.command_line(), WERKZOEKENDEN, zoekvraag)
                    times.append(time.perf_counter() - started)
                    session.rollback()
                found += len(result.summaries)
                more += result.more
            with sessions() as session:
                started = time.perf_counter()
                session.execute(select(m.Candidate.candidate_id, m.Candidate.postcode4)).all()
                floor = time.perf_counter() - started
            print(
                f"VUM search over {count} profiles, {km} km: median "
                f"{1000 * statistics.median(times):.0f} ms, slowest {1000 * max(times):.0f} ms "
                f"({found / rounds:.0f} results per search, {more}/{rounds} capped at 100); "
                f"reading every id and PC4 alone (the floor) {1000 * floor:.0f} ms: "
                f"{statistics.median(times) / floor:.1f}x"
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
    find = sub.add_parser("search")
    find.add_argument("--data", type=Path, default=DEFAULT_DATA)
    find.add_argument("--profiles", type=int, default=100_000)
    args = parser.parse_args()
    if args.command == "accreditation":
        accreditation(args.data)
    elif args.command == "search":
        search_profiles(args.data, args.profiles)
    else:
        import_profiles(args.data, args.profiles, normalise=args.normalise)


if __name__ == "__main__":
    main()

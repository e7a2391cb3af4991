"""Cost of an organisation's alias index (``matching.normalisation.aliases``): build time, memory,
load from the disk cache, and normalise throughput with and without aliases.

    PYTHONPATH=. python scripts/bench_aliases.py [--synonyms 200 1000] [--rounds 3]

An organisation's synonyms are simulated as noisy Dutch ESCO labels (seeded; the texts people
correct), each an alias of its own concept. Throughput: the 15,463 JobBERT test titles (top
10), base and alias index alternated in this process, titles per wall and per CPU second.
Figures go to docs/benchmarks.md with the machine's load average.
"""

from __future__ import annotations

import argparse
import gc
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from features.taxonomy import DUTCH
from features.taxonomy_learning import add_noise
from matching.normalisation import Normaliser, build_concept_index, concept_index
from matching.normalisation.aliases import Aliases, AliasIndexes
from matching.normalisation.normaliser import ConceptIndex, Kind, _default_reader, _places

TITLES = Path(__file__).resolve().parents[2] / "shared/data/jobbert_eval/titles.test.csv"


def rss_mb() -> float:
    """Resident set size of this process in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def simulated_aliases(kind: Kind, n: int, *, seed: int = 7) -> Aliases:
    """``n`` noisy Dutch labels of random concepts, as an organisation's synonyms."""
    concepts = concept_index(kind)
    labels = concepts.index.labels
    dutch = labels.loc[labels["lang"] == DUTCH].sample(n, random_state=seed)
    texts = add_noise(dutch["text"].tolist(), places=_places(_default_reader()), seed=seed)
    aliases: dict[str, list[str]] = {}
    for concept, text in zip(dutch["concept"], texts, strict=True):
        aliases.setdefault(str(concepts.uris[concept]), []).append(text)
    return aliases


def timed(call: Callable[[], object]) -> tuple[object, float, float]:
    """The result, wall and CPU seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = call()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def throughput(index: ConceptIndex, titles: list[str], kind: Kind) -> tuple[float, float]:
    """Titles per wall second and per CPU second, top 10."""
    normaliser = Normaliser(lambda _kind: index)
    _, wall, cpu = timed(lambda: normaliser.rank(titles, kind=kind, top=10))
    return len(titles) / wall, len(titles) / cpu


def build(kind: Kind, aliases: Aliases) -> ConceptIndex:
    """An organisation's index of ``kind`` with ``aliases``."""
    return build_concept_index(kind, _default_reader(), aliases=aliases)


def measure(kind: Kind, n: int, titles: list[str], *, rounds: int) -> None:
    """Print one row: build, memory, load, throughput of base and alias index."""
    base = concept_index(kind)
    aliases = simulated_aliases(kind, n)
    gc.collect()
    before = rss_mb()
    index, wall, cpu = timed(lambda: build(kind, aliases))
    assert isinstance(index, ConceptIndex)
    gc.collect()
    held = rss_mb() - before
    size = len(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        AliasIndexes(lambda _k, _a: index, directory=lambda: directory).get(kind, "org", aliases)
        cold = AliasIndexes(lambda _k, _a: base, directory=lambda: directory)
        _, load, _ = timed(lambda: cold.get(kind, "org", aliases))
    print(
        f"{kind} {n} synonyms ({len(aliases)} concepts): build {wall:.1f} s wall / "
        f"{cpu:.1f} s CPU, held in memory +{held:.0f} MB RSS, pickled {size:.0f} MB, "
        f"load from disk {load:.2f} s"
    )
    results: dict[str, list[tuple[float, float]]] = {"base": [], "aliases": []}
    for _ in range(rounds):
        results["base"].append(throughput(base, titles, kind))
        results["aliases"].append(throughput(index, titles, kind))
    for name, rows in results.items():
        walls, cpus = np.array(rows).T
        print(
            f"  {name}: best {walls.max():,.0f} titles/s wall, {cpus.max():,.0f} per CPU-s"
            f" (median {np.median(walls):,.0f} / {np.median(cpus):,.0f})"
        )
    print(f"  load average now: {os.getloadavg()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synonyms", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kinds", nargs="+", default=["occupation", "skill"])
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()}")
    titles = pd.read_csv(TITLES)["vacancyTitle"].astype(str).tolist()
    for kind in args.kinds:
        concept_index(kind).index.rank(titles[:50], top=10)  # loaded and warm
        for n in args.synonyms:
            measure(kind, n, titles, rounds=args.rounds)


if __name__ == "__main__":
    main()

"""An organisation's synonyms as aliases: an index of its own, built once per synonym list.

A synonym (text → concept) is also an extra Dutch label of its concept in an index for that
organisation alone, so other writings of the same title find the concept too (``werkmatch
bench synonyms``: +0.096 MRR on texts never corrected). Building such an index takes seconds,
so it is built once per (kind, organisation, synonym list): kept in memory (the most recently
used ``MEMORY_INDEXES``) and on disk next to the base index, keyed by the base index's key and
a hash of the list, so a changed list builds anew and the organisation's older file goes.
Builds run one at a time, each on a daemon thread (an unfinished build does not hold up the
process's exit; the cache file is written atomically); a caller that may not wait (a web
request) gets None until the index is ready and uses the base index meanwhile.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from pathlib import Path

from matching.normalisation.cache import cache_key, load_or_build
from matching.normalisation.normaliser import (
    ConceptIndex,
    Kind,
    Normaliser,
    _default_reader,
    build_concept_index,
    concept_index,
)

Aliases = Mapping[str, Sequence[str]]
"""One kind's aliases: ESCO URI → the texts an organisation chose it for."""
KindAliases = Mapping[Kind, Aliases]
MEMORY_INDEXES = 8
"""Alias indexes kept in memory (least recently used dropped first); see docs/benchmarks.md."""
RETRY_SECONDS = 300.0
"""After a failed build, callers that do not wait get no new build for this long."""
Build = Callable[[Kind, Aliases], ConceptIndex]
Slot = tuple[Kind, str]
"""(kind, organisation id): one alias index each."""

log = logging.getLogger(__name__)


def alias_key(aliases: Aliases) -> str:
    """A hex digest of an alias list, independent of its order.

    >>> alias_key({"u1": ["a", "b"]}) == alias_key({"u1": ["b", "a"]})
    True
    >>> alias_key({"u1": ["a"]}) == alias_key({"u1": ["a", "b"]})
    False
    """
    digest = hashlib.sha256()
    for uri in sorted(aliases):
        for text in sorted(set(aliases[uri])):
            digest.update(f"{uri}\0{text}\0".encode())
    return digest.hexdigest()


@functools.cache
def _base_key(kind: Kind) -> str:
    """The base index's cache key (reference data, code, weights, libraries)."""
    from matching.reference import manifest

    return cache_key(kind, reference_sha256=manifest().sha256)


def _cache_directory() -> Path:
    from matching.settings import Settings

    return Settings().var_dir / "cache"


def _build(kind: Kind, aliases: Aliases) -> ConceptIndex:
    return build_concept_index(kind, _default_reader(), aliases=aliases)


class AliasIndexes:
    """The alias indexes of the organisations (module doc); thread-safe."""

    def __init__(
        self,
        build: Build = _build,
        *,
        directory: Callable[[], Path | None] = _cache_directory,
        base_key: Callable[[Kind], str] = _base_key,
        capacity: int = MEMORY_INDEXES,
    ) -> None:
        self._build = build
        self._directory = directory
        self._base_key = base_key
        self._capacity = capacity
        self._lock = threading.Lock()
        self._one_build = threading.Lock()
        self._memory: OrderedDict[Slot, tuple[str, ConceptIndex]] = OrderedDict()
        self._pending: dict[tuple[Slot, str], Future[ConceptIndex]] = {}
        self._failed: dict[tuple[Slot, str], float] = {}  # monotonic time of the failure

    def get(
        self, kind: Kind, organisation_id: str, aliases: Aliases, *, wait: bool = True
    ) -> ConceptIndex | None:
        """The organisation's index of ``kind`` with ``aliases``; without ``wait``, None while
        it is being built."""
        slot, key = (kind, organisation_id), alias_key(aliases)
        with self._lock:
            held = self._memory.get(slot)
            if held is not None and held[0] == key:
                self._memory.move_to_end(slot)
                return held[1]
            future = self._pending.get((slot, key))
            failed = self._failed.get((slot, key), -RETRY_SECONDS)
            if future is None and not wait and time.monotonic() - failed < RETRY_SECONDS:
                return None  # a request does not set off the same failing build again
            if future is None:
                future = self._pending[slot, key] = Future()
                copied = {uri: tuple(texts) for uri, texts in aliases.items()}
                threading.Thread(
                    target=self._run, args=(future, slot, key, copied),
                    name="alias-index", daemon=True,
                ).start()  # fmt: skip
        if not wait:  # a request uses the base index while building, or if the build failed
            done = future.done() and future.exception() is None
            return future.result() if done else None
        return future.result()

    def _run(self, future: Future[ConceptIndex], slot: Slot, key: str, aliases: Aliases) -> None:
        """Build on this thread, one build at a time; the outcome goes to ``future`` once the
        build is no longer pending (so a failed build is tried again by the next caller)."""
        try:
            with self._one_build:
                index = self._load(slot, key, aliases)
        except BaseException as error:
            self._done(slot, key, failed=True)
            future.set_exception(error)
        else:
            self._done(slot, key, failed=False)
            future.set_result(index)

    def _done(self, slot: Slot, key: str, *, failed: bool) -> None:
        with self._lock:
            self._pending.pop((slot, key), None)
            if failed:
                self._failed[slot, key] = time.monotonic()
            else:
                self._failed.pop((slot, key), None)

    def _load(self, slot: Slot, key: str, aliases: Aliases) -> ConceptIndex:
        """Load or build one index, then hold it in memory."""
        kind, organisation_id = slot
        try:
            directory = self._directory()
            if directory is None:
                index = self._build(kind, aliases)
            else:
                owner = hashlib.sha256(organisation_id.encode()).hexdigest()[:12]
                index = load_or_build(
                    f"{kind}.{owner}",
                    lambda: self._build(kind, aliases),
                    directory=directory,
                    key=hashlib.sha256(f"{self._base_key(kind)}\0{key}".encode()).hexdigest(),
                )
            with self._lock:
                self._memory[slot] = (key, index)
                self._memory.move_to_end(slot)
                while len(self._memory) > self._capacity:
                    self._memory.popitem(last=False)
            return index
        except Exception:
            log.exception("building the %s alias index of an organisation failed", kind)
            raise

    def clear(self) -> None:
        """Forget the indexes held in memory (the files stay)."""
        with self._lock:
            self._memory.clear()


INDEXES = AliasIndexes()
"""The process-wide alias indexes (nothing is built until asked)."""


def for_organisation(
    organisation_id: str,
    aliases: KindAliases,
    *,
    wait: bool = True,
    indexes: AliasIndexes | None = None,
    base: Callable[[Kind], ConceptIndex] = concept_index,
) -> Normaliser:
    """A normaliser over the organisation's alias index of each kind it has aliases of (the
    base index for the others, and without ``wait`` while its index is being built);
    ``indexes`` defaults to the process-wide ``INDEXES``."""

    def index(kind: Kind) -> ConceptIndex:
        own = aliases.get(kind)
        if not own:
            return base(kind)
        found = (INDEXES if indexes is None else indexes).get(kind, organisation_id, own, wait=wait)
        return found if found is not None else base(kind)

    return Normaliser(index)


def alias_ranker(
    organisation_id: str,
    aliases: KindAliases,
    kind: Kind,
    *,
    wait: bool = True,
    indexes: AliasIndexes | None = None,
) -> Normaliser | None:
    """A normaliser over the organisation's alias index of ``kind`` alone; None when it has
    no aliases of that kind or (without ``wait``) the index is not built yet."""
    own = aliases.get(kind)
    if not own:
        return None
    found = (INDEXES if indexes is None else indexes).get(kind, organisation_id, own, wait=wait)
    if found is None:
        return None
    return Normaliser(lambda asked: found if asked == kind else concept_index(asked))

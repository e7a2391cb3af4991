"""The in-memory matching state of a process: candidate pool, scorer and lookups, loaded once.

``MatchingCache.get(session)`` returns the current ``MatchingContext`` of the whole pool: it
compares the store's candidate data version (one primary-key query) and the active model
pointer (one small file) with those of the loaded context and reloads only when either changed.
``MatchingCache.region(session, region)`` does the same for one labour-market region's
candidates and vacancies, keyed by that region's version, so a change in one region reloads
that region only (shortlists use these, ``matching.shortlist.regional``). Every import,
erasure and candidate change bumps the versions it touches (``matching.data_versions``), so all
workers see a change on their next request.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from features.pairwise import FEATURE_NAMES, N_FEATURES
from features.pool import CandidateArrays, VacancyArrays
from matching.data_versions import CANDIDATES, data_version
from matching.errors import ModelMismatch
from matching.pool_loading import Spaces, load_spaces
from matching.regions import in_region, version_name
from matching.scoring.base import Scorer
from matching.scoring.model_versions import ActivePointer, active_version, load_scorer
from matching.shortlist.candidate_rows import CandidateRows, patched_rows, read_rows
from matching.shortlist.labels import Labels, load_labels
from matching.shortlist.vacancies import OpenVacancies, VacancyInfo, load_open_vacancies
from matching.store import models
from matching.store.db import snapshot

_RANKING = threading.RLock()
"""One ranking at a time per process, over however many contexts it reads (``buffer``)."""


def linear_form(scorer: Scorer) -> tuple[np.ndarray, float] | None:
    """Weights and intercept when ``score`` is linear in the features (checked), else None.

    Lets a shortlist score a feature-major F × N buffer with one ``w @ F`` instead of
    transposing it; both the prior and the learned model are linear in the features.
    """
    f = len(scorer.feature_names)
    probe = np.vstack([np.zeros(f), np.eye(f)]).astype(np.float32)
    s = np.asarray(scorer.score(probe).score, dtype=np.float64)
    w, b = s[1:] - s[0], float(s[0])
    x = np.random.default_rng(0).random((16, f)).astype(np.float32)
    if not np.allclose(scorer.score(x).score, x @ w + b, rtol=1e-4, atol=1e-4):
        return None
    return w.astype(np.float32), b


@dataclass
class MatchingContext:
    """Everything a shortlist needs in memory (module doc); immutable once loaded.

    ``inactive``/``placed`` are per pool row; ``region_of`` maps the pool's municipality
    index to a region index (``regions``), so region membership is one ``take``. ``region``:
    the labour-market region whose candidates and open vacancies it holds (None: all);
    ``source``: the rows as read from the store, to patch on a change (None: built elsewhere).
    """

    version: int
    model_key: str | None
    pool: CandidateArrays
    scorer: Scorer
    linear: tuple[np.ndarray, float] | None
    spaces: Spaces
    labels: Labels
    row_of: dict[str, int]
    inactive: np.ndarray
    placed: np.ndarray
    postcode4: np.ndarray
    region_of: np.ndarray
    regions: tuple[str, ...]
    region: str | None = None
    source: CandidateRows | None = field(default=None, repr=False)
    _buffer: np.ndarray | None = field(default=None, repr=False)
    _open: OpenVacancies | None = field(default=None, repr=False)
    _rows: dict[str, VacancyArrays] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def model_version(self) -> str:
        """The version of the scorer in use."""
        return self.scorer.version

    @contextmanager
    def buffer(self) -> Iterator[np.ndarray]:
        """The F × N float32 feature buffer, reused (no page faults per request); one user at
        a time.

        Ranking is numpy and Python work under the GIL, so threads of one process only take
        turns: two rankings at once each switch every 5 ms and evict the other's caches
        (under 8 concurrent requests, 10.0 ms instead of 12.2 ms of CPU per shortlist; see
        docs/benchmarks.md). So a process ranks one list at a time, the others wait here,
        and memory stays at one buffer (68 MB at 1M candidates, in all regions together). The
        lock is the process's: a list over several regions holds their buffers at once.
        """
        with _RANKING:
            if self._buffer is None:
                self._buffer = np.zeros((N_FEATURES, len(self.pool)), dtype=np.float32)
            yield self._buffer

    def municipality_index(self, code: str) -> int:
        """The pool's index of a municipality code, -1 when no candidate lives there."""
        codes = self.pool.municipality_codes
        return codes.index(code) if code in codes else -1

    def region_index(self, municipality_code: str) -> int:
        """The index of the labour-market region of a municipality, -1 when unknown."""
        region = self.labels.regions.get(municipality_code)
        return self.regions.index(region) if region in self.regions else -1

    @cached_property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """South, north, west and east of the located candidates (None: none located)."""
        located = ~np.isnan(self.pool.lat)
        if not located.any():
            return None
        lat, lon = self.pool.lat[located], self.pool.lon[located]
        return float(lat.min()), float(lat.max()), float(lon.min()), float(lon.max())

    def reaches(self, lat: float, lon: float, radius_km: float) -> bool:
        """True when a located candidate may live within ``radius_km`` of (lat, lon).

        The great-circle distance to the nearest point of ``bounds`` (1 km to spare for the
        box's curved sides), so a region that answers False has nobody within the radius.
        """
        box = self.bounds
        if box is None or math.isnan(lat) or math.isnan(lon):
            return False
        near_lat, near_lon = min(max(lat, box[0]), box[1]), min(max(lon, box[2]), box[3])
        return _km(lat, lon, near_lat, near_lon) <= radius_km + 1.0

    def open_vacancies(self, session: Session) -> OpenVacancies:
        """The open vacancies (of ``region``) as arrays, loaded on first use and kept."""
        with self._lock:
            if self._open is None:
                where = None
                if self.region is not None:
                    where = in_region(models.Vacancy.municipality_code, self.region)
                self._open = load_open_vacancies(session, self.pool, self.spaces, where)
            return self._open

    def open_vacancy(
        self, session: Session, vacancy_id: str
    ) -> tuple[VacancyArrays, VacancyInfo] | None:
        """An open vacancy's arrays and facts from ``open_vacancies`` (None when not among them).

        Vacancies change only through imports, which bump the data version this context is
        keyed on, so a shortlist needs no vacancy queries; each row is sliced once.
        """
        open_ = self.open_vacancies(session)
        i = open_.index.get(vacancy_id)
        if i is None:
            return None
        row = self._rows.get(vacancy_id)
        if row is None:
            row = self._rows.setdefault(vacancy_id, open_.arrays.row(i))
        return row, open_.info[i]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(min(1.0, max(-1.0, cos)))


def context_for(
    pool: CandidateArrays,
    scorer: Scorer,
    *,
    spaces: Spaces | None = None,
    inactive: np.ndarray | None = None,
    placed: np.ndarray | None = None,
    postcode4: np.ndarray | None = None,
    version: int = 0,
    model_key: str | None = None,
    region: str | None = None,
) -> MatchingContext:
    """A context over a pool built elsewhere (benchmarks, batch jobs): statuses default to
    active and not placed, postcodes to unknown; ``region``: the region it holds (None: all)."""
    labels = load_labels()
    regions = tuple(sorted(set(labels.regions.values())))
    region_of = np.array(
        [
            regions.index(labels.regions[c]) if c in labels.regions else -1
            for c in pool.municipality_codes
        ],
        dtype=np.int32,
    )
    n = len(pool)
    return MatchingContext(
        version=version,
        model_key=model_key,
        pool=pool,
        scorer=scorer,
        linear=linear_form(scorer),
        spaces=spaces or load_spaces(),
        labels=labels,
        row_of={str(cid): i for i, cid in enumerate(pool.ids.tolist())},
        inactive=np.zeros(n, bool) if inactive is None else inactive,
        placed=np.zeros(n, bool) if placed is None else placed,
        postcode4=np.full(n, None, dtype=object) if postcode4 is None else postcode4,
        region_of=region_of,
        regions=regions,
        region=region,
    )


def load_context(
    session: Session, *, model_dir: Path, version: int | None = None, region: str | None = None
) -> MatchingContext:
    """Build the context from the store (all candidates of ``region``, or of every region when
    None; any status) and the active scorer."""
    version = data_version(session, _version_name(region)) if version is None else version
    spaces = load_spaces()
    scorer = load_scorer(model_dir)
    if tuple(scorer.feature_names) != FEATURE_NAMES:
        raise ModelMismatch(f"scorer {scorer.version} expects other features: run werkmatch train")
    rows = read_rows(session, spaces, _where(region), dt.date.today())
    return _context(rows, scorer, spaces, version, active_version(model_dir), region)


def patched_context(session: Session, old: MatchingContext) -> MatchingContext | None:
    """``old`` at the store's current state, reading only the candidates that changed since it
    was read (``matching.shortlist.candidate_rows``); None when it must be loaded whole."""
    if old.source is None:
        return None
    version = data_version(session, _version_name(old.region))
    rows = patched_rows(session, old.source, old.spaces, _where(old.region), dt.date.today())
    if rows is None:
        return None
    return _context(rows, old.scorer, old.spaces, version, old.model_key, old.region)


def _version_name(region: str | None) -> str:
    return CANDIDATES if region is None else version_name(region)


def _where(region: str | None) -> ColumnElement[bool] | None:
    return None if region is None else in_region(models.Candidate.municipality_code, region)


def _context(
    rows: CandidateRows,
    scorer: Scorer,
    spaces: Spaces,
    version: int,
    model_key: str | None,
    region: str | None,
) -> MatchingContext:
    context = context_for(
        rows.pool, scorer, spaces=spaces, inactive=rows.inactive, placed=rows.placed,
        postcode4=rows.postcode4, version=version, model_key=model_key, region=region,
    )  # fmt: skip
    context.source = rows
    return context


def settle_heap(*, whole: bool = True) -> None:
    """Collect once, then move every surviving object into the permanent generation.

    A loaded context and the app are millions of long-lived objects; every full collection of
    the cyclic GC walked all of them and paused the worker for 100-170 ms, several times a
    minute under load (the shortlists' p99). Frozen objects are never walked again; the
    earlier freeze is undone first, so a replaced context's cycles are still collected.
    ``whole=False`` (after a patch): only the objects made since the last freeze are walked;
    a replaced context holds no cycles (``tests/matching/shortlist/test_context.py``), so
    reference counting frees it even while frozen.
    """
    if whole:
        gc.unfreeze()
    gc.collect()
    gc.freeze()


class MatchingCache:
    """The ``MatchingContext`` of the whole pool and one per labour-market region, each
    loaded on first use and reloaded when its data or the model changed.

    A context whose data changed is patched with the candidates that changed when it can be
    (``patched_context``), else loaded whole. ``loads`` counts every whole load,
    ``region_loads`` those of each region; ``patches`` and ``region_patches`` the patches.
    """

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self._pointer = ActivePointer(model_dir)
        self._context: MatchingContext | None = None
        self._regions: dict[str, MatchingContext] = {}
        self._lock = threading.Lock()
        self.loads = self.patches = 0
        self.region_loads: Counter[str] = Counter()
        self.region_patches: Counter[str] = Counter()

    def _fresh(self, context: MatchingContext | None, version: int, model: str | None) -> bool:
        return context is not None and context.version == version and context.model_key == model

    def get(self, session: Session) -> MatchingContext:
        """The current context (module doc)."""
        version, model = data_version(session), self._pointer.version()
        context = self._context
        if context is not None and self._fresh(context, version, model):
            return context
        with self._lock:
            if self._context is not None and self._fresh(self._context, version, model):
                return self._context
            self._context = self._reload(session, self._context, None, model)
            return self._context

    def region_holding(self, vacancy_id: str) -> str | None:
        """The region of a loaded context whose open vacancies include ``vacancy_id`` (it may
        be stale: ``region`` checks), None when no loaded context knows it."""
        for region, context in list(self._regions.items()):
            known = context._open
            if known is not None and vacancy_id in known.index:
                return region
        return None

    def loaded(self, region: str, version: int) -> MatchingContext | None:
        """The region's context when it is loaded and current at ``version``, else None."""
        context = self._regions.get(region)
        fresh = context is not None and self._fresh(context, version, self._pointer.version())
        return context if fresh else None

    def region(self, session: Session, region: str, version: int | None = None) -> MatchingContext:
        """The current context of one region (``version``: its data version, when the caller
        read it already); loading it leaves every other region's context as it is."""
        if version is None:
            version = data_version(session, version_name(region))
        model = self._pointer.version()
        context = self._regions.get(region)
        if context is not None and self._fresh(context, version, model):
            return context
        with self._lock:
            context = self._regions.get(region)
            if context is not None and self._fresh(context, version, model):
                return context
            context = self._regions[region] = self._reload(session, context, region, model)
            return context

    def _reload(
        self, session: Session, old: MatchingContext | None, region: str | None, model: str | None
    ) -> MatchingContext:
        """``old`` patched when the model is the same, else the context loaded whole."""
        with snapshot(session) as reader:  # one state of the store, never a mix (db.py)
            context = None
            if old is not None and old.model_key == model:
                context = patched_context(reader, old)
            patched = context is not None
            if context is None:
                context = load_context(reader, model_dir=self.model_dir, region=region)
        if patched:
            self.patches += 1
        else:
            self.loads += 1
        if region is not None:
            counter = self.region_patches if patched else self.region_loads
            counter[region] += 1
        settle_heap(whole=not patched)
        return context

"""The in-memory matching state of a process: candidate pool, scorer and lookups, loaded once.

``MatchingCache.get(session)`` returns the current ``MatchingContext``: it compares the store's
candidate data version (one primary-key query) and the active model pointer (one small file)
with those of the loaded context and reloads only when either changed. Every import, erasure
and candidate change bumps the data version (``matching.data_versions``), so all workers
see a change on their next request.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from features.pairwise import FEATURE_NAMES, N_FEATURES
from features.pool import CandidateArrays, VacancyArrays, build_candidate_arrays
from matching.data_versions import data_version
from matching.errors import ModelMismatch
from matching.pool_loading import Spaces, candidate_frame, load_spaces, locate
from matching.scoring.base import Scorer
from matching.scoring.model_versions import ActivePointer, active_version, load_scorer
from matching.shortlist.labels import Labels, load_labels
from matching.shortlist.vacancies import OpenVacancies, VacancyInfo, load_open_vacancies
from matching.store import models
from matching.store.db import snapshot


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
    index to a region index (``regions``), so region membership is one ``take``.
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
    _buffer: np.ndarray | None = field(default=None, repr=False)
    _open: OpenVacancies | None = field(default=None, repr=False)
    _rows: dict[str, VacancyArrays] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _ranking: threading.Lock = field(default_factory=threading.Lock, repr=False)

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
        and memory stays at one buffer (68 MB at 1M candidates).
        """
        with self._ranking:
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

    def open_vacancies(self, session: Session) -> OpenVacancies:
        """The open vacancies as arrays (loaded on first use, then kept with this context)."""
        with self._lock:
            if self._open is None:
                self._open = load_open_vacancies(session, self.pool, self.spaces)
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


def _statuses(session: Session, ids: list[str], today: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate id: inactive, and placed (status or a running placement)."""
    c, p = models.Candidate, models.Placement
    status = {cid: s for cid, s in session.execute(select(c.candidate_id, c.status))}
    running = set(
        session.scalars(
            select(p.candidate_id).where(
                p.start_date <= today, or_(p.end_date.is_(None), p.end_date >= today)
            )
        )
    )
    inactive = np.array([status.get(i) == "inactive" for i in ids], dtype=bool)
    placed = np.array([status.get(i) == "placed" or i in running for i in ids], dtype=bool)
    return inactive, placed


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
) -> MatchingContext:
    """A context over a pool built elsewhere (benchmarks, batch jobs): statuses default to
    active and not placed, postcodes to unknown."""
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
    )


def load_context(
    session: Session, *, model_dir: Path, version: int | None = None
) -> MatchingContext:
    """Build the context from the store (all candidates, any status) and the active scorer."""
    version = data_version(session) if version is None else version
    spaces = load_spaces()
    scorer = load_scorer(model_dir)
    if tuple(scorer.feature_names) != FEATURE_NAMES:
        raise ModelMismatch(f"scorer {scorer.version} expects other features: run werkmatch train")
    frame = candidate_frame(session, active_only=False)
    frame["lat"], frame["lon"] = locate(
        spaces, frame["postcode4"].tolist(), frame["municipality_code"].tolist()
    )
    pool = build_candidate_arrays(frame, skills=spaces.skills, occupations=spaces.occupations)
    ids = frame["candidate_id"].tolist()
    inactive, placed = _statuses(session, ids, dt.date.today())
    postcodes = [p if isinstance(p, str) else None for p in frame["postcode4"]]
    return context_for(
        pool,
        scorer,
        spaces=spaces,
        inactive=inactive,
        placed=placed,
        postcode4=np.array(postcodes, dtype=object),
        version=version,
        model_key=active_version(model_dir),
    )


def settle_heap() -> None:
    """Collect once, then move every surviving object into the permanent generation.

    A loaded context and the app are millions of long-lived objects; every full collection of
    the cyclic GC walked all of them and paused the worker for 100-170 ms, several times a
    minute under load (the shortlists' p99). Frozen objects are never walked again; the
    earlier freeze is undone first, so a replaced context's cycles are still collected.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class MatchingCache:
    """One ``MatchingContext`` per process, reloaded when the data or the model changed."""

    def __init__(self, model_dir: Path) -> None:
        self.model_dir = model_dir
        self._pointer = ActivePointer(model_dir)
        self._context: MatchingContext | None = None
        self._lock = threading.Lock()
        self.loads = 0

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
            with snapshot(session) as reader:  # one state of the store, never a mix (db.py)
                context = load_context(reader, model_dir=self.model_dir)
            self._context, self.loads = context, self.loads + 1
            settle_heap()
            return context

"""One world of the quality bench through werkmatch's real paths: generate, import, train, list.

A world is a member of the generator's family (``demo.mechanisms.draw_mechanisms``):
its region, seed and mechanisms are fixed in ``DEV_WORLDS`` / ``FINAL_WORLDS``. It is written as
the six exchange files, imported with ``import_paths`` and the default normaliser into a fresh
SQLite store, trained with ``train(as_of=…)`` (activated only when not worse than the prior, as
``werkmatch train --as-of``), and every open vacancy is listed with ``all_open_shortlists`` and
the default policy (``werkmatch shortlist --all-open --limit 10 --json``). Next to each list
the eligible candidates are taken with the same hard filters and fallback levels, so that the
oracle and the baselines rank exactly the people werkmatch could have listed.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from demo import World, generate_region, load_world
from demo.mechanisms import draw_mechanisms
from features.pairwise import COLUMN, pairwise_features
from matching import normalisation
from matching.access.users import Principal
from matching.bootstrap import open_store
from matching.errors import InvalidInput, ModelNotTrained
from matching.exchange.importing import import_paths
from matching.scoring.fitting import train
from matching.settings import Settings
from matching.shortlist import MatchingCache, all_open_shortlists, policy_for
from matching.shortlist.context import MatchingContext
from matching.shortlist.filters import apply_filters, filter_masks
from matching.shortlist.policy import FallbackPolicy, Level
from matching.shortlist.ranking import Shortlist, level_masks, proposed_mask
from matching.shortlist.service import open_vacancy, proposed_ids
from matching.store import models

LIST_LENGTH = 10


@dataclass(frozen=True)
class WorldSpec:
    """A family member: region and seed (the seed draws people *and* mechanisms)."""

    region: str
    seed: int

    @property
    def name(self) -> str:
        """``Region #seed``."""
        return f"{self.region} #{self.seed}"


DEV_WORLDS: tuple[WorldSpec, ...] = (
    WorldSpec("Holland Rijnland", 101),
    WorldSpec("Zuid-Holland Centraal", 102),
    WorldSpec("Groot Amsterdam", 103),
    WorldSpec("Midden-Utrecht", 104),
    WorldSpec("Twente", 105),
    WorldSpec("Rijnmond", 116),
    WorldSpec("Groningen", 107),
    WorldSpec("Midden-Brabant", 108),
    WorldSpec("Friesland", 109),
    WorldSpec("Noord-Holland Noord", 110),
    WorldSpec("West-Brabant", 111),
    WorldSpec("Zeeland", 112),
    WorldSpec("Rijk van Nijmegen", 113),
    WorldSpec("Drenthe", 114),
    WorldSpec("Haaglanden", 115),
    WorldSpec("Achterhoek", 117),
)
"""The development worlds: every modelling choice is judged on their mean and worst case.
The last eight joined on 2026-12-03, after the prior fitted on the first eight had been
measured on them once as unseen worlds (docs/benchmarks.md)."""
FINAL_WORLDS: tuple[WorldSpec, ...] = (
    WorldSpec("Zuid-Kennemerland en IJmond", 901),
    WorldSpec("Zuid-Limburg", 902),
)
"""Looked at once, at the end (``--final``); no choice may be tuned on them. Seeds 901 and 902
have been looked at after the second and the fourth round (docs/benchmarks.md): the next
modelling round draws new final worlds (other seeds) before it looks at them."""


@dataclass(frozen=True)
class VacancyLists:
    """One open vacancy: the eligible candidates (with their level) and werkmatch's list."""

    vacancy_id: str
    eligible: np.ndarray  # candidate ids, in pool order
    level: np.ndarray  # "own" / "region" / "nearby" per eligible candidate
    listed: list[str]  # werkmatch's list, in rank order
    shown_p: np.ndarray  # the p_durable shown per listed candidate


@dataclass(frozen=True)
class WorldLists:
    """Everything a world's metrics are computed from."""

    spec: WorldSpec
    world: World
    out_dir: Path
    model: str  # "learned" or "prior"
    trained: str  # the training message
    policy: FallbackPolicy
    vacancies: list[VacancyLists]
    vacancy_occupations: dict[str, str | None]  # as stored after import (normalised)
    candidate_occupations: list[tuple[str, str]]  # (candidate id, ESCO URI) as stored


def world_settings(work_dir: Path) -> Settings:
    """Settings of a fresh SQLite store and model directory under ``work_dir``."""
    return Settings(
        database_url=f"sqlite:///{work_dir / 'werkmatch.db'}",
        var_dir=work_dir / "var",
        model_dir=work_dir / "models",
    )


def store_template(path: Path) -> Path:
    """A SQLite file at ``path`` with the schema at head and the reference data: a fresh store
    that each world copies instead of loading the reference data again (about 6 s each)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    store = open_store(Settings(database_url=f"sqlite:///{path}"))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store.engine.dispose()
    return path


def _train(session: Session, settings: Settings, as_of: dt.date) -> str:
    """``werkmatch train --as-of``: a model that is worse than the prior is kept, not active."""
    try:
        return train(session, model_dir=settings.resolved_model_dir(), as_of=as_of).message
    except ModelNotTrained as error:
        return f"geen model getraind: {error}"


def _eligible(
    session: Session, context: MatchingContext, vacancy_id: str, policy: FallbackPolicy
) -> tuple[np.ndarray, np.ndarray]:
    """Pool rows passing the shortlist's hard filters within the policy's levels, and levels."""
    vacancy, info = open_vacancy(session, context, vacancy_id, principal=Principal.command_line())
    with context.buffer() as buffer:
        pairwise_features(vacancy, context.pool, out=buffer)
        masks = filter_masks(
            buffer,
            inactive=context.inactive,
            placed=context.placed,
            proposed=proposed_mask(context, proposed_ids(session, vacancy_id)),
        )
        levels: dict[Level, np.ndarray] = level_masks(
            context, info, buffer[COLUMN["distance_km"]], policy
        )
    reach = np.logical_or.reduce(list(levels.values()))
    keep, _ = apply_filters(masks, within=reach)
    rows = np.flatnonzero(keep)
    names = np.full(len(context.pool), "", dtype=object)
    for level, mask in levels.items():  # disjoint
        names[mask] = level
    return rows, names[rows]


def _lists(session: Session, settings: Settings) -> tuple[str, FallbackPolicy, list[VacancyLists]]:
    """The scorer kind, the policy and every open vacancy's list (the real shortlist path)."""
    context = MatchingCache(settings.resolved_model_dir()).get(session)
    policy = policy_for(session, None, settings)
    shortlists: list[Shortlist] = list(
        all_open_shortlists(
            session, context, principal=Principal.command_line(), limit=LIST_LENGTH,
            viewer=None, policy=policy, explain_filters=False,
        )
    )  # fmt: skip
    out = []
    for shortlist in shortlists:
        rows, levels = _eligible(session, context, shortlist.vacancy_id, policy)
        out.append(
            VacancyLists(
                vacancy_id=shortlist.vacancy_id,
                eligible=np.asarray(context.pool.ids, dtype=object)[rows].astype(str),
                level=levels,
                listed=[e.candidate_id for e in shortlist.candidates],
                shown_p=np.array([e.p_durable for e in shortlist.candidates], dtype=np.float64),
            )
        )
    return context.scorer.kind, policy, out


def _stored_occupations(
    session: Session,
) -> tuple[dict[str, str | None], list[tuple[str, str]]]:
    """The occupations import chose: per vacancy (None: none) and per candidate's history."""
    v, c = models.Vacancy, models.CandidateOccupation
    vacancies = {row.vacancy_id: row.occupation_uri for row in session.execute(
        select(v.vacancy_id, v.occupation_uri))}  # fmt: skip
    held = session.execute(select(c.candidate_id, c.uri).where(c.uri.is_not(None)))
    return vacancies, [(row.candidate_id, str(row.uri)) for row in held]


@dataclass(frozen=True)
class ImportedWorld:
    """A world's files imported into a fresh store (``prepare_world``), not yet trained."""

    world: World
    out_dir: Path
    settings: Settings
    vacancy_occupations: dict[str, str | None]
    candidate_occupations: list[tuple[str, str]]


def prepare_world(
    spec: WorldSpec, *, scale: float, work_dir: Path, template: Path | None = None
) -> ImportedWorld:
    """Generate one world in ``work_dir`` (created; must be empty) and import it into a fresh
    store (a copy of ``template`` when given, see ``store_template``)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    if any(work_dir.iterdir()):
        raise InvalidInput(f"De werkmap {work_dir} is niet leeg.")
    out_dir = work_dir / "bestanden"
    mechanisms = draw_mechanisms(spec.seed)
    generate_region(
        spec.region, seed=spec.seed, scale=scale, out_dir=out_dir, mechanisms=mechanisms
    )
    world = load_world(out_dir)
    settings = world_settings(work_dir)
    if template is not None:
        shutil.copyfile(template, work_dir / "werkmatch.db")
    store = open_store(settings)
    report = import_paths(
        store.sessions, [out_dir], normaliser=normalisation, threshold=settings.normalise_threshold
    )
    if report.rejected:
        raise InvalidInput(f"{spec.name}: {report.rejected} rijen geweigerd bij de import.")
    with store.sessions() as session:
        stored = _stored_occupations(session)
    store.engine.dispose()
    return ImportedWorld(world, out_dir, settings, *stored)


def run_world(
    spec: WorldSpec, *, scale: float, work_dir: Path, template: Path | None = None
) -> WorldLists:
    """Generate, import, train and list one world in ``work_dir`` (see ``prepare_world``)."""
    imported = prepare_world(spec, scale=scale, work_dir=work_dir, template=template)
    settings, world = imported.settings, imported.world
    store = open_store(settings)
    with store.sessions() as session:
        trained = _train(session, settings, world.as_of)
    with store.sessions.begin() as session:
        model, policy, vacancies = _lists(session, settings)
    store.engine.dispose()
    return WorldLists(
        spec, world, imported.out_dir, model, trained, policy, vacancies,
        imported.vacancy_occupations, imported.candidate_occupations,
    )  # fmt: skip

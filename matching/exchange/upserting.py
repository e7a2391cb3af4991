"""Writing validated records: upsert by id in bulk, with competence and occupation child rows.

Per chunk: the stored rows for the chunk's ids are read in one query, compared with the new
records, and written with Core executemany (inserts, updates, child rows). An item list whose
texts did not change keeps its stored concepts (and any review done on them); only new or
changed texts go to the normaliser. A vacancy's occupation is chosen from its title together
with its required competences, so it is chosen again when either changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, update

from matching.columns import ENTITIES, Entity
from matching.exchange.codes import vacancy_item
from matching.exchange.normalising import ConceptCache, Evidence, TextKind
from matching.store import models as m
from matching.store.base import Base
from matching.store.instruments import Instrument
from matching.store.programmes import Enrolment, Programme

Record = dict[str, Any]
Key = tuple[Any, ...]
OCCUPATION_FIELDS = ("uri", "score", "runner_up_uri", "runner_up_score", "needs_review")
EVIDENCE_COLUMN = "required_competences"
"""The list whose skills are evidence for a record's occupation (vacancies)."""


@dataclass(frozen=True)
class ChildSpec:
    """A list column stored as child rows: one row per item, original text kept."""

    column: str
    table: Table
    parent: str
    kind: TextKind
    fixed: Mapping[str, str] = field(default_factory=dict)


Stale = tuple[ChildSpec, str, tuple[str, ...], bool, str | None]
"""A child list to rewrite: spec, parent id, items, whether the parent existed, municipality."""


@dataclass(frozen=True)
class StoreMap:
    """How an entity's records land in the store."""

    entity: Entity
    table: Table
    scalars: tuple[str, ...]
    children: tuple[ChildSpec, ...] = ()


def _table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def _store_map(name: str, *children: ChildSpec, derived: tuple[str, ...] = ()) -> StoreMap:
    entity = ENTITIES[name]
    in_children = {child.column for child in children}
    scalars = tuple(c.name for c in entity.columns if c.name not in in_children) + derived
    model = {
        "candidates": m.Candidate,
        "employers": m.Employer,
        "vacancies": m.Vacancy,
        "contacts": m.Contact,
        "proposals": m.Proposal,
        "placements": m.Placement,
        "programmes": Programme,
        "enrolments": Enrolment,
        "instruments": Instrument,
    }[name]
    return StoreMap(entity, _table(model), scalars, children)


_VC = _table(m.VacancyCompetence)
STORE_MAPS: Mapping[str, StoreMap] = {
    "employers": _store_map("employers", derived=("sbi_section",)),
    "candidates": _store_map(
        "candidates",
        ChildSpec("competences", _table(m.CandidateCompetence), "candidate_id", "skill"),
        ChildSpec("occupations", _table(m.CandidateOccupation), "candidate_id", "occupation"),
    ),
    "vacancies": _store_map(
        "vacancies",
        ChildSpec("required_competences", _VC, "vacancy_id", "skill", {"kind": "required"}),
        ChildSpec("optional_competences", _VC, "vacancy_id", "skill", {"kind": "optional"}),
    ),
    "contacts": _store_map("contacts"),
    "proposals": _store_map("proposals"),
    "placements": _store_map("placements"),
    "programmes": _store_map("programmes"),
    "enrolments": _store_map("enrolments"),
    "instruments": _store_map("instruments"),
}


@dataclass
class Outcome:
    """Counts of one chunk."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def to_store(value: Any) -> Any:
    """A record value as stored: lists ``;``-joined (empty list → None)."""
    if isinstance(value, tuple):
        return ";".join(value) or None
    return value


def upsert(
    conn: Connection,
    smap: StoreMap,
    records: Sequence[Record],
    cache: ConceptCache,
    *,
    keep: frozenset[str] = frozenset(),
) -> Outcome:
    """Insert new records, update changed ones, leave equal ones alone; on an update the
    columns in ``keep`` (which the source does not carry) keep their stored values."""
    keys = [tuple(r[k] for k in smap.entity.id_columns) for r in records]
    old_rows = _stored_rows(conn, smap, keys)
    old_texts = {spec.column: _stored_texts(conn, spec, keys, old_rows) for spec in smap.children}
    outcome = Outcome()
    plan = _Plan()
    for key, record in zip(keys, records, strict=True):
        values = {name: to_store(record[name]) for name in smap.scalars}
        old = old_rows.get(key)
        if old is not None:
            values.update({name: old[name] for name in keep})
        stale = [
            s for s in smap.children if old_texts[s.column].get(key[0], ()) != record[s.column]
        ]
        if old is not None and not stale and all(old[n] == values[n] for n in smap.scalars):
            outcome.unchanged += 1
            continue
        if old is None:
            outcome.inserted += 1
            plan.inserts.append(values)
        else:
            outcome.updated += 1
            plan.updates.append(values)
        plan.add(key, record, stale, old)
    _resolve(smap, plan, cache)
    _write(conn, smap, plan, cache)
    return outcome


@dataclass(frozen=True)
class _Occupation:
    """A record whose occupation is derived from its title (and required competences)."""

    values: Record
    old: Mapping[str, Any] | None
    required: tuple[str, ...]
    required_changed: bool

    @property
    def item(self) -> str:
        """The text (URI, or code with the title) the occupation is chosen from."""
        return vacancy_item(self.values["occupation"], str(self.values["title"]))

    @property
    def municipality(self) -> str | None:
        """Where the record lives."""
        town: str | None = self.values.get("municipality_code")
        return town

    @property
    def changed(self) -> bool:
        """Whether the occupation must be chosen again."""
        old, new = self.old, self.values
        if old is None or self.required_changed:
            return True
        return bool((old["title"], old["occupation"]) != (new["title"], new["occupation"]))


@dataclass
class _Plan:
    inserts: list[Record] = field(default_factory=list)
    updates: list[Record] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    occupations: list[_Occupation] = field(default_factory=list)

    def add(self, key: Key, record: Record, stale: list[ChildSpec], old: Any) -> None:
        """Note the child lists and derived fields a changed record needs rewritten."""
        for spec in stale:
            municipality = record.get("municipality_code")
            self.stale.append((spec, key[0], record[spec.column], old is not None, municipality))
        if "title" in record:
            values = self.updates[-1] if old is not None else self.inserts[-1]
            required = tuple(record.get(EVIDENCE_COLUMN) or ())
            required_changed = any(spec.column == EVIDENCE_COLUMN for spec in stale)
            self.occupations.append(_Occupation(values, old, required, required_changed))


def _resolve(smap: StoreMap, plan: _Plan, cache: ConceptCache) -> None:
    """Normalise every text the plan needs: competences first, then occupations with the
    skills of their required competences as evidence (each with its record's municipality,
    whose organisation's aliases may apply)."""
    texts: dict[TextKind, list[str]] = {"skill": [], "occupation": []}
    towns: dict[TextKind, list[str | None]] = {"skill": [], "occupation": []}
    for spec, _parent, items, _existed, municipality in plan.stale:
        texts[spec.kind].extend(items)
        towns[spec.kind].extend([municipality] * len(items))
    changed = [occupation for occupation in plan.occupations if occupation.changed]
    for occupation in changed:
        texts["skill"].extend(occupation.required)
        towns["skill"].extend([occupation.municipality] * len(occupation.required))
    if texts["skill"]:
        cache.resolve(texts["skill"], kind="skill", municipalities=towns["skill"])
    evidence = [_evidence(cache, occupation) for occupation in changed]
    titles = [occupation.item for occupation in changed] + texts["occupation"]
    if titles:
        cache.resolve(
            titles,
            kind="occupation",
            evidence=evidence + [()] * len(texts["occupation"]),
            municipalities=[o.municipality for o in changed] + towns["occupation"],
        )


def _evidence(cache: ConceptCache, occupation: _Occupation) -> Evidence:
    """The skill URIs of an occupation's required competences."""
    return cache.evidence(occupation.required, municipality=occupation.municipality)


def _write(conn: Connection, smap: StoreMap, plan: _Plan, cache: ConceptCache) -> None:
    for occupation in plan.occupations:
        values, old = occupation.values, occupation.old
        for name in OCCUPATION_FIELDS:
            column = f"occupation_{name}"
            values[column] = old[column] if old is not None else None
        if occupation.changed:
            concept = cache.concept(
                occupation.item, kind="occupation", evidence=_evidence(cache, occupation),
                municipality=values["municipality_code"],
            )  # fmt: skip
            for name in OCCUPATION_FIELDS:
                values[f"occupation_{name}"] = getattr(concept, name)
    if plan.inserts:
        conn.execute(insert(smap.table), plan.inserts)
    if plan.updates:
        _update(conn, smap, plan.updates)
    for spec in smap.children:
        _replace_children(conn, spec, [s for s in plan.stale if s[0] is spec], cache)


def _update(conn: Connection, smap: StoreMap, rows: list[Record]) -> None:
    table, ids = smap.table, smap.entity.id_columns
    columns = [name for name in rows[0] if name not in ids]
    statement = (
        update(table)
        .where(and_(*(table.c[k] == bindparam(f"key_{k}") for k in ids)))
        .values({name: bindparam(f"new_{name}") for name in columns})
    )
    params = [
        {**{f"key_{k}": row[k] for k in ids}, **{f"new_{n}": row[n] for n in columns}}
        for row in rows
    ]
    conn.execute(statement, params)


def _replace_children(
    conn: Connection, spec: ChildSpec, stale: list[Stale], cache: ConceptCache
) -> None:
    existed = [parent for _spec, parent, _items, was, _municipality in stale if was]
    parent = spec.table.c[spec.parent]
    filters = [spec.table.c[name] == value for name, value in spec.fixed.items()]
    for start in range(0, len(existed), 1000):
        batch = existed[start : start + 1000]
        conn.execute(delete(spec.table).where(parent.in_(batch), *filters))
    rows = []
    for _spec, parent_id, items, _was, municipality in stale:
        for position, item in enumerate(items):
            concept = cache.concept(item, kind=spec.kind, municipality=municipality)
            rows.append(
                {spec.parent: parent_id, "position": position, "text": item, **spec.fixed}
                | {name: getattr(concept, name) for name in OCCUPATION_FIELDS}
            )
    if rows:
        conn.execute(insert(spec.table), rows)


def _stored_rows(conn: Connection, smap: StoreMap, keys: list[Key]) -> dict[Key, Any]:
    """The stored rows among ``keys``, by key; one query (filtered on the first id column)."""
    ids = smap.entity.id_columns
    firsts = sorted({key[0] for key in keys})
    wanted = set(keys)
    found: dict[Key, Any] = {}
    for start in range(0, len(firsts), 5000):
        statement = select(smap.table).where(smap.table.c[ids[0]].in_(firsts[start : start + 5000]))
        for row in conn.execute(statement).mappings():
            key = tuple(row[k] for k in ids)
            if key in wanted:
                found[key] = row
    return found


def _stored_texts(
    conn: Connection, spec: ChildSpec, keys: list[Key], old_rows: Mapping[Key, Any]
) -> dict[str, tuple[str, ...]]:
    """The stored item texts per parent id, in position order, for parents already stored."""
    parents = [key[0] for key in keys if key in old_rows]
    texts: dict[str, list[str]] = {}
    table = spec.table
    filters = [table.c[name] == value for name, value in spec.fixed.items()]
    for start in range(0, len(parents), 5000):
        statement = (
            select(table.c[spec.parent], table.c.text)
            .where(table.c[spec.parent].in_(parents[start : start + 5000]), *filters)
            .order_by(table.c[spec.parent], table.c.position)
        )
        for parent, text in conn.execute(statement):
            texts.setdefault(parent, []).append(text)
    return {parent: tuple(items) for parent, items in texts.items()}

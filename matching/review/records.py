"""The stored items a review is about: counted for the queue, changed by a decision.

Four places hold a written text and the concept chosen for it on import: a candidate's
competences and occupations, a vacancy's competences, and a vacancy's occupation (chosen from
its occupation cell or its title, ``matching.exchange.codes.vacancy_item``). Each row belongs
to the municipality of its candidate or vacancy: that is how an organisation's queue and its
decisions are scoped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Connection, Table, and_, func, or_, select, update

from matching.exchange.codes import text_key, vacancy_item
from matching.exchange.normalising import URI_SCORE, TextKind
from matching.store import models as m

BATCH = 500
Decisions = Mapping[tuple[str, str], str | None]
"""(kind, text key) → the ESCO URI chosen, or None: keep the text."""


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


@dataclass(frozen=True)
class ChildSource:
    """Items stored as child rows (``text``, ``uri``, ``score``, … columns) of a parent."""

    kind: TextKind
    table: Table
    parent: Table
    parent_key: str


CHILD_SOURCES = (
    ChildSource("skill", _table(m.CandidateCompetence), _table(m.Candidate), "candidate_id"),
    ChildSource("occupation", _table(m.CandidateOccupation), _table(m.Candidate), "candidate_id"),
    ChildSource("skill", _table(m.VacancyCompetence), _table(m.Vacancy), "vacancy_id"),
)
VACANCIES = _table(m.Vacancy)


@dataclass(frozen=True)
class Occurrences:
    """How often one written item occurs in one municipality, and whether it needs review."""

    kind: TextKind
    item: str
    municipality: str
    needs_review: bool
    count: int


def _worth_a_look(uri: Any, score: Any, needs_review: Any) -> ColumnElement[bool]:
    """Rows flagged for review, or normalised above the threshold (the sample's pool)."""
    return or_(needs_review.is_(True), and_(uri.is_not(None), score < URI_SCORE))


def scan(conn: Connection) -> Iterator[Occurrences]:
    """Every flagged or normalised item, grouped by municipality (one query per place)."""
    for source in CHILD_SOURCES:
        child, parent = source.table, source.parent
        town = parent.c.municipality_code
        statement = (
            select(town, child.c.text, child.c.needs_review, func.count())
            .join_from(child, parent, child.c[source.parent_key] == parent.c[source.parent_key])
            .where(_worth_a_look(child.c.uri, child.c.score, child.c.needs_review))
            .group_by(town, child.c.text, child.c.needs_review)
        )
        for municipality, item, flagged, count in conn.execute(statement):
            yield Occurrences(source.kind, item, municipality, bool(flagged), int(count))
    v = VACANCIES.c
    statement = (
        select(v.municipality_code, v.occupation, v.title, v.occupation_needs_review, func.count())
        .where(_worth_a_look(v.occupation_uri, v.occupation_score, v.occupation_needs_review))
        .group_by(v.municipality_code, v.occupation, v.title, v.occupation_needs_review)
    )
    for municipality, occupation, title, flagged, count in conn.execute(statement):
        item = vacancy_item(occupation, title)
        yield Occurrences("occupation", item, municipality, bool(flagged), int(count))


def _values(uri: str | None, *, prefix: str = "") -> dict[str, Any]:
    """The columns a decision writes: the concept as certain, or no concept (text kept)."""
    return {
        f"{prefix}uri": uri,
        f"{prefix}score": URI_SCORE if uri is not None else None,
        f"{prefix}runner_up_uri": None,
        f"{prefix}runner_up_score": None,
        f"{prefix}needs_review": False,
    }


def apply_decisions(
    conn: Connection,
    decisions: Decisions,
    *,
    municipalities: Collection[str] | None,
    only_flagged: bool = False,
) -> int:
    """Write the decisions into the stored items of ``municipalities`` (None: all) that carry
    the same text; ``only_flagged``: only items still flagged for review. Returns the rows
    changed."""
    if not decisions:
        return 0
    kinds = {kind for kind, _key in decisions}
    changed = 0
    for source in CHILD_SOURCES:
        if source.kind in kinds:
            changed += _apply_children(conn, source, decisions, municipalities, only_flagged)
    if "occupation" in kinds:
        changed += _apply_vacancies(conn, decisions, municipalities, only_flagged)
    return changed


def _apply_children(
    conn: Connection,
    source: ChildSource,
    decisions: Decisions,
    municipalities: Collection[str] | None,
    only_flagged: bool,
) -> int:
    child, parent = source.table, source.parent
    parents = select(parent.c[source.parent_key])
    if municipalities is not None:
        parents = parents.where(parent.c.municipality_code.in_(sorted(municipalities)))
    texts = conn.scalars(
        select(child.c.text).distinct().where(child.c[source.parent_key].in_(parents))
    )
    targets: dict[str | None, list[str]] = defaultdict(list)
    for text in texts:
        key = (source.kind, text_key(text))
        if key in decisions:
            targets[decisions[key]].append(text)
    changed = 0
    for uri, matched in targets.items():
        for start in range(0, len(matched), BATCH):
            where = [
                child.c.text.in_(matched[start : start + BATCH]),
                child.c[source.parent_key].in_(parents),
            ]
            if only_flagged:
                where.append(child.c.needs_review.is_(True))
            result = conn.execute(update(child).where(*where).values(_values(uri)))
            changed += max(result.rowcount, 0)
    return changed


def _apply_vacancies(
    conn: Connection,
    decisions: Decisions,
    municipalities: Collection[str] | None,
    only_flagged: bool,
) -> int:
    v = VACANCIES.c
    statement = select(v.vacancy_id, v.occupation, v.title)
    if municipalities is not None:
        statement = statement.where(v.municipality_code.in_(sorted(municipalities)))
    if only_flagged:
        statement = statement.where(v.occupation_needs_review.is_(True))
    targets: dict[str | None, list[str]] = defaultdict(list)
    for vacancy_id, occupation, title in conn.execute(statement):
        key = ("occupation", text_key(vacancy_item(occupation, title)))
        if key in decisions:
            targets[decisions[key]].append(vacancy_id)
    changed = 0
    for uri, ids in targets.items():
        for start in range(0, len(ids), BATCH):
            result = conn.execute(
                update(VACANCIES)
                .where(v.vacancy_id.in_(ids[start : start + BATCH]))
                .values(_values(uri, prefix="occupation_"))
            )
            changed += max(result.rowcount, 0)
    return changed

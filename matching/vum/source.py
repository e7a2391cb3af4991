"""werkmatch as a VUM source (bron): a zoekvraag over our pool, and a detail by id.

The two source contracts (``VUM-Bron-WerkzoekendeProfielen``, ``VUM-Bron-Vacatures``) over our
records as VUM documents (``matching.vum.building``). Who sees what: a party sees the active
candidates of its own organisation, and of other organisations only those who consented to
regional mediation; open vacancies are the region's shared register. The command-line
operator, who belongs to no organisation, sees every active candidate. Records outside the
``selectiegebied`` are never turned into documents, and inside it only the nearest, in growing
batches, until more than the limit match. Each call is audited with the principal
and the VUM party it came from, a refused call too (the caller commits the audit row).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_, select
from sqlalchemy.orm import Session

from matching.access.audit import record
from matching.access.users import Principal
from matching.errors import NotFound
from matching.exchange.exporting import entity_cells
from matching.store import models as m
from matching.vum import model as vm
from matching.vum.building import id_problem, municipality_pc4, place
from matching.vum.documents import candidate_documents, vacancy_documents
from matching.vum.query import Fields, QueryError, compile_query
from matching.vum.search import DEFAULT_LIMIT, Located, Result, distances_km, pc4_centroids, split
from matching.vum.search import search as run_search
from matching.vum.shape import VACATURE_FIELDS, WERKZOEKENDE_FIELDS, Shape, shape_of

Documents = list[tuple[str, dict[str, Any]]]


@dataclass(frozen=True)
class Party:
    """The VUM headers of a call: who asks (fromParty), who answers (toParty), via whom
    (viaParty), and whether the asking party takes part in SUWI."""

    from_party: str
    to_party: str
    via_party: str
    suwi: bool

    def detail(self) -> dict[str, Any]:
        """As the audit log keeps it."""
        return {"from": self.from_party, "to": self.to_party, "via": self.via_party,
                "suwi": self.suwi}  # fmt: skip


@dataclass(frozen=True)
class Domain:
    """One of the two sources: job seekers' profiles or vacancies."""

    name: str  # werkzoekenden | vacatures: the action names of the audit log
    entity: str
    id_field: str
    fields: Fields
    summary: Shape


WERKZOEKENDEN = Domain(
    "werkzoekenden", "candidates", "idWerkzoekende", WERKZOEKENDE_FIELDS,
    shape_of(vm.WerkzoekendeSummary),
)  # fmt: skip
VACATURES = Domain(
    "vacatures", "vacancies", "idVacature", VACATURE_FIELDS, shape_of(vm.VacatureSummary)
)
FIRST_BATCH = 2 * DEFAULT_LIMIT
LAST_BATCH = 4000
"""Documents are built for the nearest records first, each next batch twice as large up to
``LAST_BATCH`` (kept under the bound parameters a database takes in one statement)."""
NOT_VISIBLE = "niet gevonden, of niet zichtbaar voor uw organisatie"


def match(
    session: Session,
    principal: Principal,
    domain: Domain,
    zoekvraag: Any,
    *,
    party: Party | None = None,
    limit: int = DEFAULT_LIMIT,
) -> Result:
    """The summaries of the visible records that satisfy the zoekvraag, nearest first."""
    action = f"vum.{domain.name}.match"
    try:
        area, query = split(zoekvraag)
        predicate = compile_query(query, domain.fields)  # refused before reading anything
        origin = pc4_centroids().get(area.postcode[:4])
        if origin is None:
            raise QueryError(
                f"zoekvraag.selectiegebied.postcode: postcodegebied {area.postcode[:4]} is onbekend"
            )
    except QueryError as error:
        _audit(session, principal, action, party, {"geweigerd": str(error)})
        raise
    conn = session.connection()
    matched: list[Located] = []
    nearest = _nearest(conn, domain, principal, origin, area.km)
    start, size = 0, FIRST_BATCH
    while start < len(nearest) and len(matched) <= limit:
        ids, start = nearest[start : start + size], start + size
        size = min(2 * size, LAST_BATCH)
        rows = entity_cells(conn, domain.entity, where=_id_column(domain).in_(ids))
        matched += [
            Located(record_id, document, _postcode(document))
            for record_id, document in _documents(conn, domain, rows)
            if predicate(document)
        ]
    result = run_search(zoekvraag, matched, fields=domain.fields, summary=domain.summary,
                        centroids=pc4_centroids(), limit=limit)  # fmt: skip
    found = [summary[domain.id_field] for summary in result.summaries]
    searched = {"selectiegebied": {"postcode": area.postcode, "afstand": area.km},
                "velden": sorted(query)}  # fmt: skip
    _audit(session, principal, action, party,
           {**searched, "count": len(found), "more": result.more, "ids": found})  # fmt: skip
    return result


def _nearest(
    conn: Connection, domain: Domain, principal: Principal, origin: tuple[float, float], km: int
) -> list[str]:
    """The ids of the visible records in the area, nearest first (ties by id).

    Distances are taken once per PC4 area and the areas in reach narrow the query, so only the
    ids in the area are read; documents are built from them in growing batches of the nearest,
    until more than the limit match, so a wide area costs what its first matches cost.
    """
    centroids = pc4_centroids()
    areas = list(centroids)
    reach = dict(zip(areas, distances_km(origin, [centroids[a] for a in areas]), strict=True))
    near = sorted(area for area in areas if reach[area] <= km)
    central = sorted(c for c, area in municipality_pc4().items() if reach.get(area, km + 1) <= km)
    table = m.Candidate if domain is WERKZOEKENDEN else m.Vacancy
    unplaced = or_(table.postcode4.is_(None), table.postcode4 == "")
    in_reach = or_(table.postcode4.in_(near), and_(unplaced, table.municipality_code.in_(central)))
    statement = select(_id_column(domain), table.postcode4, table.municipality_code).where(
        _visible(domain, principal), in_reach
    )
    inside = []
    for record_id, postcode4, municipality in conn.execute(statement):
        area = place({"postcode4": postcode4 or "", "municipality_code": municipality})
        inside.append((float(reach[area or ""]), str(record_id)))
    return [record_id for _, record_id in sorted(inside)]


def detail(
    session: Session,
    principal: Principal,
    domain: Domain,
    record_id: str,
    *,
    party: Party | None = None,
) -> dict[str, Any]:
    """The VUM document of a visible record; NotFound (in Dutch) otherwise."""
    action = f"vum.{domain.name}.read"
    shown = None if id_problem(record_id) else record_id  # a BSN-like id is never kept
    rows = []
    if shown is not None:
        key = _id_column(domain)
        where = and_(_visible(domain, principal), key == record_id)
        rows = entity_cells(session.connection(), domain.entity, where=where)
    documents = _documents(session.connection(), domain, rows)
    _audit(session, principal, action, party, None if documents else {"geweigerd": NOT_VISIBLE},
           object_id=shown)  # fmt: skip
    if not documents:
        raise NotFound(f"{domain.id_field}: {NOT_VISIBLE}")
    return documents[0][1]


def _visible(domain: Domain, principal: Principal) -> ColumnElement[bool]:
    if domain is VACATURES:
        return m.Vacancy.status == "open"
    active = m.Candidate.status == "active"
    if principal.organisation_id is None:
        return active
    own = m.Candidate.municipality_code.in_(sorted(principal.municipality_codes))
    return and_(active, or_(own, m.Candidate.consent_regional.is_(True)))


def _id_column(domain: Domain) -> Any:
    return m.Candidate.candidate_id if domain is WERKZOEKENDEN else m.Vacancy.vacancy_id


def _documents(conn: Connection, domain: Domain, rows: Sequence[Mapping[str, str]]) -> Documents:
    if not rows:
        return []
    if domain is WERKZOEKENDEN:
        return candidate_documents(conn, rows)
    ids = sorted({row["employer_id"] for row in rows})
    employers = entity_cells(conn, "employers", where=m.Employer.employer_id.in_(ids))
    return vacancy_documents(conn, rows, {e["employer_id"]: e for e in employers})


def _postcode(document: Mapping[str, Any]) -> str | None:
    where = document.get("mobiliteit") or document.get("adres") or {}
    postcode = where.get("bemiddelingspostcode") or where.get("postcode")
    return str(postcode) if postcode else None


def _audit(
    session: Session,
    principal: Principal,
    action: str,
    party: Party | None,
    detail: dict[str, Any] | None,
    *,
    object_id: str | None = None,
) -> None:
    full = {**(detail or {}), **({"partij": party.detail()} if party is not None else {})}
    object_type = "candidate" if ".werkzoekenden." in action else "vacancy"
    record(session, principal, action, object_type=object_type, object_id=object_id,
           detail=full or None)  # fmt: skip

"""Organisation synonyms: a person's decision that a text means an ESCO concept (or none).

A decision is stored per organisation (text → concept, who, when) and written at once into the
stored records that carry the same text (by ``text_key``) in the municipalities the
organisation alone covers; the data version is bumped so shortlists reflect it. Every later
import consults the synonyms before the normaliser (``known_terms``), and so does ``normalise``
for the organisation (``with_synonyms``); the same synonyms, as aliases, give the organisation
an index of its own for the other texts (``organisation_aliases``,
``matching.normalisation.for_organisation``).

A record carries no organisation, only its municipality, so a record in a municipality that
two organisations cover is as much the one's as the other's: no organisation's decision
changes it (neither on decision nor on import), and it stays in both queues.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from matching.access.users import now
from matching.data_versions import bump_candidates
from matching.errors import NotFound
from matching.exchange.codes import key_digest, text_key
from matching.exchange.normalising import Aliases, KnownTerms, TextKind
from matching.regions import regions_of
from matching.review.records import apply_decisions
from matching.store.access import OrganisationMunicipality
from matching.store.reference import IscoGroup, Occupation, Skill
from matching.store.review import Crosswalk, OrganisationSynonym, ReviewCount, ReviewText

if TYPE_CHECKING:
    from matching.normalisation import Match

KIND_LABELS: Mapping[str, str] = {"occupation": "beroep", "skill": "competentie"}
"""How a kind is called on the pages and in Dutch messages."""


@dataclass(frozen=True)
class Scope:
    """The organisation a review acts for and the municipalities its records live in."""

    organisation_id: str
    municipalities: frozenset[str]


@dataclass(frozen=True)
class Choice:
    """One decision: the text (as written) of a kind means ``uri``, or nothing (None)."""

    kind: TextKind
    text: str
    uri: str | None

    @property
    def key(self) -> str:
        """The text as synonyms know it."""
        return text_key(self.text)


@dataclass(frozen=True)
class Synonym:
    """A stored synonym as listed and exported."""

    kind: TextKind
    text: str
    uri: str | None
    label: str | None
    decided_by: str
    decided_at: dt.datetime


def scope_of(session: Session, organisation_id: str) -> Scope:
    """The scope of an organisation, or NotFound."""
    codes = frozenset(
        session.scalars(
            select(OrganisationMunicipality.municipality_code).where(
                OrganisationMunicipality.organisation_id == organisation_id
            )
        )
    )
    if not codes:
        raise NotFound(f"Organisatie {organisation_id!r} bestaat niet.")
    return Scope(organisation_id, codes)


def concept_label(kind: str, uri: str) -> str:
    """The Dutch label of an ESCO concept (its URI when unknown)."""
    from matching.shortlist.labels import load_labels  # pandas tables: loaded on first use

    labels = load_labels()
    return labels.occupations.get(uri, uri) if kind == "occupation" else labels.skill(uri)


def known_concepts(session: Session, kind: str, uris: Iterable[str]) -> set[str]:
    """Those of ``uris`` that are ESCO concepts of ``kind`` in the reference tables (for
    occupations, the ISCO groups too: a broad title's concept)."""
    columns = [Occupation.uri, IscoGroup.uri] if kind == "occupation" else [Skill.uri]
    wanted = sorted(set(uris))
    found: set[str] = set()
    for column in columns:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            found.update(session.scalars(select(column).where(column.in_(chunk))))
    return found


def set_synonyms(session: Session, scope: Scope, choices: Sequence[Choice], *, by: str) -> int:
    """Store the decisions, write them into the organisation's stored records, take the texts
    out of its queue and bump the data version; returns how many stored items changed."""
    if not choices:
        return 0
    at = now()
    for choice in choices:
        session.merge(
            OrganisationSynonym(
                organisation_id=scope.organisation_id, kind=choice.kind,
                digest=key_digest(choice.key), key=choice.key, text=choice.text,
                uri=choice.uri, decided_by=by, decided_at=at,
            )
        )  # fmt: skip
    session.flush()
    decisions: dict[tuple[str, str], str | None] = {(c.kind, c.key): c.uri for c in choices}
    conn = session.connection()
    own = own_municipalities(session, scope)
    changed = apply_decisions(conn, decisions, municipalities=own)
    for kind in {c.kind for c in choices}:
        digests = sorted({key_digest(c.key) for c in choices if c.kind == kind})
        for start in range(0, len(digests), 500):
            reviewed = select(ReviewText.review_id).where(
                ReviewText.kind == kind, ReviewText.digest.in_(digests[start : start + 500])
            )
            conn.execute(
                delete(ReviewCount).where(
                    ReviewCount.review_id.in_(reviewed),
                    ReviewCount.municipality_code.in_(sorted(own)),
                )
            )
    bump_candidates(session, regions_of(own))
    return changed


def list_synonyms(session: Session, organisation_id: str) -> list[Synonym]:
    """An organisation's synonyms, by kind and text."""
    rows = session.scalars(
        select(OrganisationSynonym)
        .where(OrganisationSynonym.organisation_id == organisation_id)
        .order_by(OrganisationSynonym.kind, OrganisationSynonym.key)
    )
    return [
        Synonym(
            cast(TextKind, row.kind),
            row.text,
            row.uri,
            concept_label(row.kind, row.uri) if row.uri else None,
            row.decided_by,
            row.decided_at,
        )
        for row in rows
    ]


def sole_owners(session: Session) -> dict[str, str]:
    """Municipality code → the organisation that covers it, for those only one covers."""
    town = OrganisationMunicipality.municipality_code
    owner = OrganisationMunicipality.organisation_id
    rows = session.execute(select(town, func.min(owner)).group_by(town).having(func.count() == 1))
    return {code: organisation for code, organisation in rows}


def own_municipalities(session: Session, scope: Scope) -> frozenset[str]:
    """The scope's municipalities that no other organisation covers (module doc)."""
    owners = sole_owners(session)
    return frozenset(c for c in scope.municipalities if owners.get(c) == scope.organisation_id)


def known_terms(session: Session) -> KnownTerms:
    """The organisations' synonyms in the municipalities each alone covers (exact, and as
    aliases) and the crosswalk, for an import run."""
    owners = sole_owners(session)
    decisions: dict[str, dict[tuple[str, str], str | None]] = {}
    aliases: dict[str, dict[TextKind, dict[str, list[str]]]] = {}
    for row in session.execute(
        select(
            OrganisationSynonym.organisation_id, OrganisationSynonym.kind,
            OrganisationSynonym.key, OrganisationSynonym.text, OrganisationSynonym.uri,
        )
    ):  # fmt: skip
        decisions.setdefault(row.organisation_id, {})[row.kind, row.key] = row.uri
        if row.uri is not None:
            kinds = aliases.setdefault(row.organisation_id, {})
            kinds.setdefault(cast(TextKind, row.kind), {}).setdefault(row.uri, []).append(row.text)
    synonyms = {
        (town, kind, key): uri
        for town, organisation in owners.items()
        for (kind, key), uri in decisions.get(organisation, {}).items()
    }
    crosswalk = {
        code: (kind, uri) for code, kind, uri in session.execute(
            select(Crosswalk.code, Crosswalk.kind, Crosswalk.uri)
        )
    }  # fmt: skip
    owning = set(owners.values())
    return KnownTerms(
        synonyms=synonyms,
        crosswalk=crosswalk,
        owners=owners,
        aliases={org: kinds for org, kinds in aliases.items() if org in owning},
    )


def organisation_aliases(session: Session, organisation_id: str) -> Aliases:
    """An organisation's synonyms with a concept, as aliases: kind → URI → texts."""
    aliases: dict[TextKind, dict[str, list[str]]] = {}
    rows = session.execute(
        select(OrganisationSynonym.kind, OrganisationSynonym.text, OrganisationSynonym.uri).where(
            OrganisationSynonym.organisation_id == organisation_id,
            OrganisationSynonym.uri.is_not(None),
        )
    )
    for kind, text, uri in rows:
        if uri is not None:
            aliases.setdefault(cast(TextKind, kind), {}).setdefault(uri, []).append(text)
    return aliases


Decided = str | None | Literal[False]
"""A synonym's URI, None (keep the text), or False: the organisation has not decided."""


def decided(session: Session, organisation_id: str, kind: str, text: str) -> Decided:
    """The organisation's decision on a text (see ``Decided``)."""
    row = session.get(OrganisationSynonym, (organisation_id, kind, key_digest(text_key(text))))
    return False if row is None else row.uri


def with_synonyms(
    session: Session,
    organisation_id: str,
    texts: Sequence[str],
    ranked: Sequence[Sequence[Match]],
    *,
    kind: TextKind,
    top: int,
) -> list[list[Match]]:
    """The ranked candidates per text, the organisation's synonym first (certain); a text the
    organisation decided to keep gets no candidates."""
    from matching.normalisation import Match

    results = []
    for text, matches in zip(texts, ranked, strict=True):
        uri = decided(session, organisation_id, kind, text)
        if uri is False:
            results.append(list(matches))
        elif uri is None:
            results.append([])
        else:
            first = Match(uri, concept_label(kind, uri), 1.0, 1.0)
            rest = [match for match in matches if match.uri != uri]
            results.append([first, *rest][:top])
    return results

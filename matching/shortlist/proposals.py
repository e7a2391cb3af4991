"""Proposals: the candidates a person chose for a vacancy, and the employer's decision.

The model proposes nobody: a person does. Skipping higher-ranked candidates of the latest
shortlist is allowed with a reason (recorded in the proposal and the audit log as an
override). A ``hired`` decision needs a start date and records the placement as in the exchange
format: the person's status becomes placed and a vacancy whose places are all taken is filled;
that changes who is placed, so it bumps the candidate data version.

Proposals belong to the vacancy's organisation: only a principal acting for the vacancy's
municipality lists, makes or decides them (others get NotFound, as for an unknown vacancy), and
a candidate of another organisation is only ever shown pseudonymised. Where two organisations
cover the vacancy's municipality, the employer's decision on a proposal is recorded by the
organisation whose user made it (``may_decide``): the other one sees it but cannot, for
instance, place a job seeker the first one proposed. A proposal without a known proposer
(imported, made on the command line, or by a removed user) is decided by any organisation
acting for the vacancy, as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matching import domain
from matching.access.audit import record
from matching.access.users import Principal
from matching.bsn import refuse_bsn
from matching.data_versions import HISTORY, bump_candidates, bump_data_version
from matching.errors import Conflict, InvalidInput, NotFound
from matching.plausibility import DateWindow, Period, placement_conflict
from matching.regions import candidate_regions, region_of
from matching.shortlist.service import latest_shortlist, proposed_ids, require_vacancy_access
from matching.store import models
from matching.store.access import User
from matching.store.repositories import to_candidate

Outcome = Literal["hired", "rejected", "withdrawn", "pending"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
Contract = Literal["regular", "trial", "work_experience", "subsidised"]
OTHER_PROPOSER = (
    "Dit voorstel is gedaan door een andere organisatie; "
    "die legt het besluit van de werkgever vast."
)


@dataclass(frozen=True)
class ProposalInfo:
    """A proposal; the candidate in full only for a reader whose organisation they belong to.

    ``candidate`` is None when the reader may not see them (``pseudonymised``: a consenting
    candidate of another organisation, proposed as fallback) or when they were erased;
    ``municipality_code`` is then all that is told about them, as on a shortlist.
    """

    vacancy_id: str
    candidate_id: str
    proposed_on: dt.date
    outcome: str
    proposed_by: str | None
    reason: str | None
    candidate: domain.Candidate | None
    municipality_code: str | None = None
    pseudonymised: bool = False
    start_date: dt.date | None = None
    contract: str | None = None
    may_decide: bool = True
    proposer_name: str | None = None


@dataclass(frozen=True)
class PlacementInput:
    """The placement a ``hired`` decision starts."""

    start_date: dt.date
    contract: Contract = "regular"
    hours_per_week: int | None = None


def _vacancy(session: Session, vacancy_id: str, principal: Principal) -> models.Vacancy:
    """The vacancy, when it exists and belongs to the principal's organisation (else NotFound)."""
    vacancy = session.get(models.Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound(f"Vacature {vacancy_id!r} niet gevonden.")
    require_vacancy_access(principal, vacancy.municipality_code, vacancy_id)
    return vacancy


def _check_candidate(
    session: Session, vacancy: models.Vacancy, candidate_id: str, principal: Principal
) -> None:
    """The candidate exists, is active and may be proposed outside their municipality.

    A candidate of another organisation can be proposed only as the fallback the shortlist
    offered: active, with regional consent and on the vacancy's latest shortlist. Anyone else
    of another organisation answers exactly as an unknown id, so ids reveal nothing.
    """
    candidate = session.get(models.Candidate, candidate_id)
    unknown = NotFound(f"Kandidaat {candidate_id!r} niet gevonden.")
    if candidate is None:
        raise unknown
    if not principal.acts_for(candidate.municipality_code):
        offered = latest_shortlist(session, vacancy.vacancy_id) or []
        if candidate.status != "active" or not candidate.consent_regional:
            raise unknown
        if candidate_id not in offered:
            raise unknown
        return
    if candidate.status != "active":
        raise InvalidInput(f"Kandidaat {candidate_id!r} is niet actief.")
    if candidate.municipality_code != vacancy.municipality_code and not candidate.consent_regional:
        raise InvalidInput(
            f"Kandidaat {candidate_id!r} woont in een andere gemeente en gaf geen toestemming "
            "om daarbuiten voorgesteld te worden."
        )


def skipped_candidates(
    ranked: Sequence[str] | None, chosen: Sequence[str], done: set[str]
) -> list[str]:
    """Candidates ranked above the lowest-ranked chosen one who are neither chosen nor proposed."""
    if not ranked:
        return []
    positions = [ranked.index(c) for c in chosen if c in ranked]
    if not positions:
        return []
    return [c for c in ranked[: max(positions)] if c not in chosen and c not in done]


def propose(
    session: Session,
    vacancy_id: str,
    candidate_ids: Sequence[str],
    *,
    principal: Principal,
    reason: str | None = None,
    today: dt.date | None = None,
) -> list[ProposalInfo]:
    """Record the chosen candidates as pending proposals (module doc); audited."""
    vacancy = _vacancy(session, vacancy_id, principal)
    if vacancy.status != "open":
        raise InvalidInput(f"vacancy {vacancy_id!r} is {vacancy.status}, not open")
    chosen = list(dict.fromkeys(candidate_ids))
    if not chosen:
        raise InvalidInput("Kies minstens één kandidaat.")
    done = proposed_ids(session, vacancy_id)
    if again := [c for c in chosen if c in done]:
        raise Conflict(f"al voorgesteld voor vacature {vacancy_id}: {', '.join(again)}")
    for candidate_id in chosen:
        _check_candidate(session, vacancy, candidate_id, principal)
    reason = (reason or "").strip() or None
    refuse_bsn(reason, field="De reden")
    skipped = skipped_candidates(latest_shortlist(session, vacancy_id), chosen, done)
    if skipped and reason is None:
        raise InvalidInput(
            "Geef een reden: u slaat hoger gerangschikte kandidaten van de laatste shortlist "
            "over: " + ", ".join(skipped)
        )
    _insert_proposals(session, vacancy_id, chosen, principal=principal, reason=reason, today=today)
    for candidate_id in chosen:
        record(
            session,
            principal,
            "proposal.create",
            object_type="vacancy",
            object_id=vacancy_id,
            detail={"candidate_id": candidate_id, "reason": reason},
        )
    if skipped:
        record(
            session,
            principal,
            "shortlist.override",
            object_type="vacancy",
            object_id=vacancy_id,
            detail={"proposed": chosen, "skipped": skipped, "reason": reason},
        )
    session.flush()
    listed = list_proposals(session, vacancy_id, principal=principal)
    return [p for p in listed if p.candidate_id in chosen]


def _insert_proposals(
    session: Session,
    vacancy_id: str,
    chosen: Sequence[str],
    *,
    principal: Principal,
    reason: str | None,
    today: dt.date | None,
) -> None:
    """Insert the pending proposals; one that a concurrent request inserted first is a Conflict."""
    for candidate_id in chosen:
        session.add(
            models.Proposal(
                vacancy_id=vacancy_id,
                candidate_id=candidate_id,
                proposed_on=today or dt.date.today(),
                outcome="pending",
                proposed_by=principal.user_id,
                reason=reason,
            )
        )
    try:
        session.flush()
    except IntegrityError as error:  # the unique key (vacancy, candidate): proposed meanwhile
        raise Conflict(
            f"al voorgesteld voor vacature {vacancy_id} (tegelijk door een ander verzoek)"
        ) from error
    bump_data_version(session, HISTORY)


def list_proposals(
    session: Session, vacancy_id: str, *, principal: Principal
) -> list[ProposalInfo]:
    """The proposals of a vacancy of the principal's organisation, ordered by candidate id;
    candidates of other organisations pseudonymised (``ProposalInfo``)."""
    _vacancy(session, vacancy_id, principal)
    p = models.Proposal
    rows = session.scalars(select(p).where(p.vacancy_id == vacancy_id).order_by(p.candidate_id))
    return [_info(session, row, principal) for row in rows]


def _proposer(session: Session, row: models.Proposal) -> User | None:
    """The user who made the proposal; None when it was imported, made on the command line or
    by a user who no longer exists."""
    return session.get(User, row.proposed_by) if row.proposed_by is not None else None


def may_decide(session: Session, row: models.Proposal, principal: Principal) -> bool:
    """True when ``principal`` records the employer's decision on ``row`` (module doc)."""
    proposer = _proposer(session, row)
    return (
        principal.organisation_id is None
        or proposer is None
        or proposer.organisation_id == principal.organisation_id
    )


def _proposer_name(session: Session, row: models.Proposal, principal: Principal) -> str | None:
    """Who proposed, as the reader should see it: a display name of their own organisation,
    "andere organisatie" for someone else's user, None when unknown."""
    proposer = _proposer(session, row)
    if proposer is None:
        return None
    if principal.organisation_id in (None, proposer.organisation_id):
        return proposer.display_name or proposer.user_id
    return "andere organisatie"


def _info(session: Session, row: models.Proposal, principal: Principal) -> ProposalInfo:
    candidate = session.get(models.Candidate, row.candidate_id)
    code = candidate.municipality_code if candidate is not None else None
    hidden = code is not None and not principal.acts_for(code)
    p = models.Placement
    placed = session.execute(
        select(p.start_date, p.contract)
        .where(p.candidate_id == row.candidate_id, p.vacancy_id == row.vacancy_id)
        .order_by(p.start_date.desc())
        .limit(1)
    ).first()
    return ProposalInfo(
        row.vacancy_id,
        row.candidate_id,
        row.proposed_on,
        row.outcome,
        row.proposed_by,
        row.reason,
        None if candidate is None or hidden else to_candidate(candidate),
        municipality_code=code,
        pseudonymised=hidden,
        start_date=placed.start_date if placed else None,
        contract=placed.contract if placed else None,
        may_decide=may_decide(session, row, principal),
        proposer_name=_proposer_name(session, row, principal),
    )


def decide(
    session: Session,
    vacancy_id: str,
    candidate_id: str,
    outcome: str,
    *,
    principal: Principal,
    placement: PlacementInput | None = None,
) -> ProposalInfo:
    """Record the employer's decision on a proposal; a hire with a start date is placed."""
    if outcome not in OUTCOMES:
        raise InvalidInput(f"De uitkomst is een van: {', '.join(OUTCOMES)}.")
    _vacancy(session, vacancy_id, principal)
    row = session.get(models.Proposal, (vacancy_id, candidate_id))
    if row is None:
        raise NotFound(f"Kandidaat {candidate_id!r} is niet voorgesteld voor {vacancy_id!r}.")
    if not may_decide(session, row, principal):
        raise Conflict(OTHER_PROPOSER)
    if placement is not None and outcome != "hired":
        raise InvalidInput("Een plaatsing hoort bij de uitkomst 'hired' (aangenomen).")
    if outcome == "hired" and placement is None and row.outcome != "hired":
        raise InvalidInput("een aanname heeft een startdatum nodig: vul de startdatum in")
    previous, row.outcome = row.outcome, outcome
    detail: dict[str, object] = {"candidate_id": candidate_id, "from": previous, "to": outcome}
    if placement is not None:
        detail["placement_id"] = _place(session, row, placement)
    record(
        session,
        principal,
        "proposal.decision",
        object_type="vacancy",
        object_id=vacancy_id,
        detail=detail,
    )
    bump_data_version(session, HISTORY)
    session.flush()
    return _info(session, row, principal)


def _place(session: Session, proposal: models.Proposal, placement: PlacementInput) -> str:
    """Add the placement of a hire (id ``<vacancy>-<candidate>``) and bump the data version."""
    vacancy = session.get_one(models.Vacancy, proposal.vacancy_id)
    placement_id = f"{proposal.vacancy_id}-{proposal.candidate_id}"[:64]
    _check_placement(session, vacancy, proposal.candidate_id, placement_id, placement)
    if session.get(models.Placement, placement_id) is not None:
        raise InvalidInput(f"Plaatsing {placement_id!r} bestaat al.")
    session.add(
        models.Placement(
            placement_id=placement_id,
            candidate_id=proposal.candidate_id,
            employer_id=vacancy.employer_id,
            vacancy_id=vacancy.vacancy_id,
            start_date=placement.start_date,
            end_date=None,
            contract=placement.contract,
            hours_per_week=placement.hours_per_week or vacancy.hours_per_week,
        )
    )
    _follow_placement(session, vacancy, proposal.candidate_id, placement.start_date)
    regions = candidate_regions(session, [proposal.candidate_id])
    bump_candidates(session, regions | {region_of(vacancy.municipality_code)})
    return placement_id


def _follow_placement(
    session: Session, vacancy: models.Vacancy, candidate_id: str, start: dt.date
) -> None:
    """A placed person is no longer an active job seeker; a vacancy whose places are all taken
    from ``start`` on (placements not ended before it) is filled: it leaves the open vacancies."""
    session.get_one(models.Candidate, candidate_id).status = "placed"
    session.flush()
    p = models.Placement
    taken = session.scalar(
        select(func.count())
        .select_from(p)
        .where(p.vacancy_id == vacancy.vacancy_id, (p.end_date.is_(None)) | (p.end_date >= start))
    )
    if (taken or 0) >= (vacancy.positions or 1):
        vacancy.status = "filled"


def _check_placement(
    session: Session,
    vacancy: models.Vacancy,
    candidate_id: str,
    placement_id: str,
    placement: PlacementInput,
) -> None:
    """InvalidInput (Dutch) for a start date out of the plausible window, a filled vacancy or a
    person who is already placed in the new placement's period."""
    DateWindow().check(placement.start_date, field="De startdatum")
    p = models.Placement
    rows = session.execute(
        select(p.placement_id, p.start_date, p.end_date, p.candidate_id, p.vacancy_id).where(
            (p.candidate_id == candidate_id) | (p.vacancy_id == vacancy.vacancy_id)
        )
    ).all()
    reason = placement_conflict(
        Period(placement_id, placement.start_date, None),
        [Period(*row[:3]) for row in rows if row.candidate_id == candidate_id],
        [Period(*row[:3]) for row in rows if row.vacancy_id == vacancy.vacancy_id],
        vacancy.positions or 1,
    )
    if reason is not None:
        raise InvalidInput(f"Niet geplaatst: {reason}")
    if vacancy.status == "filled":
        raise InvalidInput("Niet geplaatst: de vacature is al vervuld")

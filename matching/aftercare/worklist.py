"""The aftercare worklist of an organisation's account managers, and recording a check-in.

A placement is the organisation's when its job seeker lives in one of the organisation's
municipalities; it is *in aftercare* on ``today`` when it started, has not ended and its last
checkpoint (6 months + 1 day) is at most ``GRACE`` behind: a placement that lasted longer is
durable and no longer followed, so placements of years ago never flood the list. Its account
manager is the one who proposed the person for the vacancy, else the one who acquired the
vacancy, else the one who acquired the employer's latest vacancy, else whoever had the latest
contact with the employer, else nobody yet; a user of another organisation is never named (the
employer and its vacancies are shared in the region, their people are not). A checkpoint
(``schedule``) is open until a check-in at it or at a later one; an open one is *overdue* when
it fell due before today, at most ``GRACE`` ago (of several, only the latest is listed: one
contact catches up; one missed longer ago is left to the next checkpoint), *due this week* from
today to Sunday. A placement is *at risk* when the model gave it a low chance of lasting at the
start (below ``threshold``, the shortlist's quality threshold) or a check-in is overdue. The
chance at the start is the model's chance for the person and the vacancy when the placement
first came on a worklist (``baseline``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from matching.access.users import Principal, other_users
from matching.aftercare.baseline import baselines
from matching.aftercare.schedule import (
    CHECKPOINT_LABELS,
    CHECKPOINTS,
    GRACE,
    checkpoints,
    due_date,
    week_end,
)
from matching.dutch import percent
from matching.shortlist.context import MatchingContext
from matching.shortlist.policy import FallbackPolicy
from matching.store import models
from matching.store.instruments import AftercareCheck

RISK_THRESHOLD = FallbackPolicy().threshold


@dataclass(frozen=True)
class RunningPlacement:
    """A running placement of the organisation and what its worklist rows show."""

    placement_id: str
    candidate_id: str
    employer_id: str
    employer: str
    vacancy_id: str | None
    title: str | None
    start_date: dt.date
    account_manager: str | None
    p_durable: float | None = None
    last_check: dt.date | None = None


@dataclass(frozen=True)
class DueCheck:
    """An open checkpoint of a placement."""

    placement: RunningPlacement
    checkpoint: int
    label: str
    due_on: dt.date
    days_late: int


@dataclass(frozen=True)
class AtRisk:
    """A placement at risk and why, in Dutch."""

    placement: RunningPlacement
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Worklist:
    """What is overdue, what is due this week, and the placements at risk."""

    today: dt.date
    running: int
    overdue: list[DueCheck] = field(default_factory=list)
    this_week: list[DueCheck] = field(default_factory=list)
    at_risk: list[AtRisk] = field(default_factory=list)


def running_placements(
    session: Session, principal: Principal, *, today: dt.date
) -> list[RunningPlacement]:
    """The organisation's placements in aftercare on ``today`` (module doc), by start date."""
    p, c, e, v, pr = (
        models.Placement,
        models.Candidate,
        models.Employer,
        models.Vacancy,
        models.Proposal,
    )
    earliest = today - GRACE - relativedelta(months=CHECKPOINTS[-1], days=2)
    stmt = (
        select(
            p.placement_id,
            p.candidate_id,
            p.employer_id,
            e.name,
            p.vacancy_id,
            v.title,
            p.start_date,
            pr.proposed_by,
            v.acquired_by,
        )
        .join(c, c.candidate_id == p.candidate_id)
        .join(e, e.employer_id == p.employer_id)
        .outerjoin(v, v.vacancy_id == p.vacancy_id)
        .outerjoin(pr, and_(pr.vacancy_id == p.vacancy_id, pr.candidate_id == p.candidate_id))
        .where(p.start_date <= today, p.start_date >= earliest)
        .where(or_(p.end_date.is_(None), p.end_date >= today))
        .order_by(p.start_date, p.placement_id)
    )
    if principal.organisation_id is not None:
        stmt = stmt.where(c.municipality_code.in_(sorted(principal.municipality_codes)))
    rows = [
        row for row in session.execute(stmt)
        if due_date(row.start_date, CHECKPOINTS[-1]) + GRACE >= today
    ]  # fmt: skip
    others = other_users(session, principal)

    def own(user_id: str | None) -> str | None:
        return user_id if user_id not in others else None

    managers = employer_managers(
        session,
        {r.employer_id for r in rows if not (own(r.proposed_by) or own(r.acquired_by))},
        excluding=others,
    )
    return [
        RunningPlacement(
            pid,
            cid,
            eid,
            name,
            vid,
            title,
            start,
            own(proposer) or own(acquirer) or managers.get(eid),
        )
        for pid, cid, eid, name, vid, title, start, proposer, acquirer in rows
    ]


def employer_managers(
    session: Session, employer_ids: set[str], *, excluding: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Per employer: who acquired its latest vacancy, else who had the latest contact, of
    the people not ``excluding``."""
    v, k = models.Vacancy, models.Contact
    ids, skip = sorted(employer_ids), sorted(excluding)
    found: dict[str, str] = {}
    by_contact = select(k.employer_id, k.by).where(
        k.employer_id.in_(ids), k.by.is_not(None), k.by.not_in(skip)
    )
    by_vacancy = select(v.employer_id, v.acquired_by).where(
        v.employer_id.in_(ids), v.acquired_by.is_not(None), v.acquired_by.not_in(skip)
    )
    # later rows win: contacts first, then vacancies, each oldest first
    for stmt in (by_contact.order_by(k.date), by_vacancy.order_by(v.opened_on)):
        found.update({eid: by for eid, by in session.execute(stmt) if by})
    return found


def _checks(session: Session, ids: list[str]) -> dict[str, dict[int, dt.date]]:
    """Per placement: the latest check-in date per checkpoint."""
    a = AftercareCheck
    found: dict[str, dict[int, dt.date]] = {}
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            select(a.placement_id, a.checkpoint, a.done_on).where(
                a.placement_id.in_(ids[start : start + 1000])
            )
        )
        for pid, checkpoint, done_on in rows:
            done = found.setdefault(pid, {})
            done[checkpoint] = max(done_on, done.get(checkpoint, done_on))
    return found


def aftercare_worklist(
    session: Session,
    principal: Principal,
    *,
    today: dt.date | None = None,
    context: MatchingContext | None = None,
    mine: bool = False,
    threshold: float = RISK_THRESHOLD,
) -> Worklist:
    """The worklist of the principal's organisation (``mine``: their own placements only)."""
    today = today or dt.date.today()
    placements = running_placements(session, principal, today=today)
    if mine:
        placements = [p for p in placements if p.account_manager == principal.user_id]
    ids = [p.placement_id for p in placements]
    chances = baselines(session, context, placements)
    checks = _checks(session, ids)
    worklist = Worklist(today, len(placements))
    for bare in placements:
        done = checks.get(bare.placement_id, {})
        placement = RunningPlacement(
            **{
                **bare.__dict__,
                "p_durable": chances.get(bare.placement_id),
                "last_check": max(done.values(), default=None),
            }
        )
        late = _open_checks(placement, done, today)
        for item in late:
            (worklist.overdue if item.due_on < today else worklist.this_week).append(item)
        late = [item for item in late if item.due_on < today]
        if reasons := _risks(placement, late, threshold):
            worklist.at_risk.append(AtRisk(placement, reasons))
    worklist.overdue.sort(key=lambda d: (d.due_on, d.placement.placement_id))
    worklist.this_week.sort(key=lambda d: (d.due_on, d.placement.placement_id))
    worklist.at_risk.sort(key=lambda r: (r.placement.p_durable or 0.0, r.placement.placement_id))
    return worklist


def _open_checks(
    placement: RunningPlacement, done: dict[int, dt.date], today: dt.date
) -> list[DueCheck]:
    """The open checkpoints due by Sunday: a check-in closes its checkpoint and every earlier
    one, and of several missed checkpoints only the latest is asked for (one contact now)."""
    latest_done = max(done, default=0)
    due = [(k, day) for k, day in checkpoints(placement.start_date)
           if k > latest_done and day <= week_end(today)]  # fmt: skip
    late = [(k, day) for k, day in due if today - GRACE <= day < today][-1:]
    coming = [(k, day) for k, day in due if day >= today]
    return [
        DueCheck(placement, k, CHECKPOINT_LABELS[k], day, max((today - day).days, 0))
        for k, day in late + coming
    ]


def _risks(placement: RunningPlacement, late: list[DueCheck], threshold: float) -> tuple[str, ...]:
    """Why a placement is at risk (empty: it is not)."""
    reasons = []
    if placement.p_durable is not None and placement.p_durable < threshold:
        reasons.append(
            f"kans op een duurzame plaatsing bij de start {percent(placement.p_durable, 1)} "
            f"(lager dan {percent(threshold, 1)})"
        )
    for item in late:
        days = "1 dag" if item.days_late == 1 else f"{item.days_late} dagen"
        reasons.append(f"contactmoment {item.label} is {days} te laat")
    return tuple(reasons)

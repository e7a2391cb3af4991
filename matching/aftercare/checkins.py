"""Recording a check-in with a running placement: one click, who and when, a note if wanted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from matching.access.audit import record
from matching.access.users import Principal, now
from matching.aftercare.schedule import CHECKPOINTS
from matching.bsn import refuse_bsn
from matching.errors import InvalidInput, NotFound
from matching.plausibility import DateWindow
from matching.store import models
from matching.store.instruments import AftercareCheck

MAX_NOTE = 2000


@dataclass(frozen=True)
class CheckIn:
    """A recorded check-in."""

    check_id: int
    placement_id: str
    checkpoint: int
    done_on: dt.date
    by: str
    note: str | None


def record_check_in(
    session: Session,
    placement_id: str,
    checkpoint: int,
    *,
    principal: Principal,
    note: str | None = None,
    done_on: dt.date | None = None,
) -> CheckIn:
    """Store a check-in at ``checkpoint`` (1, 3 or 6) of a placement of the principal's
    organisation (else NotFound, as for an unknown id); audited."""
    placement = session.get(models.Placement, placement_id)
    candidate = session.get(models.Candidate, placement.candidate_id) if placement else None
    if candidate is None or not principal.acts_for(candidate.municipality_code):
        raise NotFound(f"Plaatsing {placement_id!r} niet gevonden.")
    if checkpoint not in CHECKPOINTS:
        raise InvalidInput(f"contactmoment {checkpoint} bestaat niet: kies 1, 3 of 6 (maanden)")
    note = (note or "").strip() or None
    refuse_bsn(note, field="De notitie")
    if note is not None and len(note) > MAX_NOTE:
        raise InvalidInput(f"de notitie is {len(note)} tekens lang, hooguit {MAX_NOTE}")
    done_on = done_on or dt.date.today()
    DateWindow().check(done_on, field="De datum")
    row = AftercareCheck(
        placement_id=placement_id,
        checkpoint=checkpoint,
        done_on=done_on,
        by=principal.user_id,
        note=note,
        recorded_at=now(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        principal,
        "aftercare.check_in",
        object_type="placement",
        object_id=placement_id,
        detail={"checkpoint": checkpoint},
    )
    return CheckIn(row.check_id, placement_id, checkpoint, done_on, principal.user_id, note)

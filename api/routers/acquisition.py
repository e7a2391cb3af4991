"""Acquisition: record contacts with employers, and the acquisition funnel.

Two routers with their own role tags: recording is for job hunters (and admins); the funnel
may also be read by evaluators.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentUser, SessionDep
from api.errors import error_responses
from api.schemas.common import DateParam
from api.schemas.whitespots import ContactCreate, ContactPublic, FunnelPublic, FunnelRow
from evaluation.acquisition import acquisition_funnel
from matching.access import audit
from matching.whitespots.acquisition import funnel_history, record_contact

ERRORS = error_responses(401, 403, 422, 503)
router = APIRouter(prefix="/acquisition", tags=["acquisition"], responses=ERRORS)
funnel_router = APIRouter(prefix="/acquisition", tags=["acquisition-funnel"], responses=ERRORS)


@router.post(
    "/contacts",
    response_model=ContactPublic,
    status_code=201,
    responses=error_responses(400, 404, 413),
)
def create_contact(
    body: ContactCreate, session: SessionDep, principal: CurrentUser
) -> ContactPublic:
    """Record an acquisition step by the signed-in user; a white spot becomes known by it."""
    contact = record_contact(
        session, employer_id=body.employer_id, date=body.date, kind=body.kind,
        outcome=body.outcome, by=principal.user_id, supply_driven=body.supply_driven,
    )  # fmt: skip
    audit.record(
        session, principal, "acquisition.contact", object_type="employer",
        object_id=contact.employer_id, detail={"contact_id": contact.contact_id},
    )  # fmt: skip
    return ContactPublic.model_validate(contact, from_attributes=True)


GROUPINGS = r"^(user|month|week|quarter|user,(month|week|quarter)|(month|week|quarter),user)$"
"""What the funnel can be split by: the user, one period, or both."""


def _none_for_nan(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


@funnel_router.get("/funnel", response_model=FunnelPublic)
def get_funnel(
    session: SessionDep,
    principal: CurrentUser,
    start: Annotated[
        DateParam | None, Query(alias="from", description="First contact date.")
    ] = None,
    end: Annotated[DateParam | None, Query(alias="to", description="Last contact date.")] = None,
    by: Annotated[
        str | None,
        Query(
            pattern=GROUPINGS,
            description="user, a period (month, week or quarter), or both: user,month.",
        ),
    ] = None,
) -> FunnelPublic:
    """Employers written to, contacted, appointments, vacancies, placements and conversions
    (per user: the users of the caller's organisation by name, other organisations' unnamed)."""
    groups = by.split(",") if by else []
    history = funnel_history(session, start=start, end=end, principal=principal)
    table = acquisition_funnel(history, by=groups)
    periods = [g for g in groups if g != "user"]
    rows = []
    for record in table.to_dict(orient="records"):
        clean = {str(k): _none_for_nan(v) for k, v in record.items()}
        if periods:
            clean["period"] = clean.pop(periods[0])
        rows.append(FunnelRow.model_validate(clean))
    return FunnelPublic(data=rows, count=len(rows), by=groups)

"""The audit log, for admins: who did what, when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentUser, LimitQuery, OffsetQuery, SessionDep
from api.errors import error_responses
from api.schemas.access import AuditEntriesPublic
from api.schemas.common import DateTimeParam
from matching.access.audit import query_audit, record

router = APIRouter(prefix="/audit", tags=["audit"], responses=error_responses(401, 403, 422, 503))


@router.get("", response_model=AuditEntriesPublic)
def list_audit(
    session: SessionDep,
    principal: CurrentUser,
    offset: OffsetQuery = 0,
    limit: LimitQuery = 100,
    since: Annotated[DateTimeParam | None, Query(description="From this time (UTC).")] = None,
    until: Annotated[DateTimeParam | None, Query(description="Before this time (UTC).")] = None,
    user: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[str | None, Query(max_length=60)] = None,
    object_type: Annotated[str | None, Query(max_length=40)] = None,
) -> AuditEntriesPublic:
    """The organisation's audit rows, newest first, filtered; reading the log is audited."""
    page = query_audit(
        session,
        since=since,
        until=until,
        user_id=user,
        action=action,
        object_type=object_type,
        organisation_id=principal.organisation_id,
        offset=offset,
        limit=limit,
    )
    filters = {"since": since, "until": until, "user": user, "action": action}
    record(session, principal, "audit.read", detail={k: v for k, v in filters.items() if v})
    return AuditEntriesPublic.model_validate(page, from_attributes=True)

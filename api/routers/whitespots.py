"""White spots (witte vlekken): ranked list and the job hunter's .xlsx week list.

Included in ``api/app.py`` before the employers router, so ``/employers/white-spots`` is not
taken for an employer id.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy.orm import Session

from api.deps import CurrentUser, SessionDep, SettingsDep, WhiteSpotsDep
from api.errors import error_responses
from api.schemas.common import DateParam
from api.schemas.whitespots import WhiteSpotsPublic
from matching.access.users import Principal
from matching.settings import Settings
from matching.shortlist.policy import policy_for
from matching.whitespots import PotentialOptions, WhiteSpotFilter, WhiteSpotRanking
from matching.whitespots.cache import SpotQuery, WhiteSpotCache
from matching.whitespots.export import write_white_spots_xlsx

router = APIRouter(
    prefix="/employers", tags=["whitespots"], responses=error_responses(401, 403, 422, 503)
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Size = Literal["micro", "small", "medium", "large", "unknown"]


def white_spot_page(
    spots: WhiteSpotCache,
    session: Session,
    principal: Principal,
    settings: Settings,
    query: SpotQuery,
) -> WhiteSpotRanking:
    """A page of the ranked white spots from the process's cache, counting the user's
    organisation's job seekers and using its shortlist threshold for 'suitable'."""
    policy = policy_for(session, principal.organisation_id, settings)
    query = SpotQuery(
        query.where, query.as_of, query.lookback_days,
        PotentialOptions(radius_km=query.options.radius_km, fit_threshold=policy.threshold),
        query.offset, query.limit,
    )  # fmt: skip
    return spots.page(session, query, municipalities=principal.municipality_codes)


def ranking(
    spots: WhiteSpotsDep,
    session: SessionDep,
    principal: CurrentUser,
    settings: SettingsDep,
    municipality: Annotated[
        str | None, Query(pattern=r"^GM\d{4}$", description="CBS code, e.g. GM0575.")
    ] = None,
    region: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Labour-market region.")
    ] = None,
    sbi: Annotated[
        str | None, Query(pattern=r"^[A-Ua-u]$", description="SBI section letter A–U.")
    ] = None,
    size: Annotated[
        Size | None, Query(description="Employees: micro 0–9, small 10–49, medium 50–249, large.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    lookback_days: Annotated[
        int | None, Query(ge=1, le=36_500, description="Look-back window in days; empty = ever.")
    ] = None,
    radius_km: Annotated[float, Query(gt=0, le=100)] = 10.0,
    as_of: Annotated[DateParam | None, Query(description="Reference date (default today).")] = None,
) -> WhiteSpotRanking:
    """The ranked white spots for the query (one page)."""
    where = WhiteSpotFilter(municipality=municipality, region=region, sbi=sbi, size=size)
    query = SpotQuery(
        where, as_of, lookback_days, PotentialOptions(radius_km=radius_km), offset, limit
    )
    return white_spot_page(spots, session, principal, settings, query)


RankingDep = Annotated[WhiteSpotRanking, Depends(ranking)]


@router.get("/white-spots", response_model=WhiteSpotsPublic)
def list_white_spots(result: RankingDep) -> WhiteSpotsPublic:
    """Employers with no contact, vacancy or placement, best potential first, with reasons."""
    return WhiteSpotsPublic.model_validate(result, from_attributes=True)


@router.get("/white-spots.xlsx", response_class=Response)
def export_white_spots(result: RankingDep) -> Response:
    """The same list as an .xlsx workbook (Dutch headers), for the job hunter's week."""
    name = f"witte-vlekken-{result.as_of.isoformat()}.xlsx"
    return Response(
        write_white_spots_xlsx(result),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )

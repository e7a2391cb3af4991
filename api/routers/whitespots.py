"""White spots (witte vlekken): ranked list and the job hunter's .xlsx week list.

Included in ``api/app.py`` before the employers router, so ``/employers/white-spots`` is not
taken for an employer id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api.deps import CurrentUser, SessionDep, SettingsDep
from api.errors import error_responses
from api.schemas.common import DateParam
from api.schemas.whitespots import WhiteSpotsPublic
from matching.scoring import Scorer, load_scorer
from matching.whitespots import (
    PotentialOptions,
    WhiteSpotFilter,
    WhiteSpotRanking,
    rank_white_spots,
)
from matching.whitespots.export import write_white_spots_xlsx

router = APIRouter(
    prefix="/employers", tags=["whitespots"], responses=error_responses(401, 403, 422, 503)
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get_scorer(request: Request, settings: SettingsDep) -> Scorer:
    """The scorer the shortlists use: the app's when loaded, else the active model or prior."""
    scorer: Scorer | None = getattr(request.app.state, "scorer", None)
    return scorer if scorer is not None else load_scorer(settings.resolved_model_dir())


def ranking(
    session: SessionDep,
    principal: CurrentUser,
    scorer: Annotated[Scorer, Depends(get_scorer)],
    municipality: Annotated[
        str | None, Query(pattern=r"^GM\d{4}$", description="CBS code, e.g. GM0575.")
    ] = None,
    region: Annotated[
        str | None, Query(min_length=1, max_length=100, description="Labour-market region.")
    ] = None,
    sbi: Annotated[
        str | None, Query(pattern=r"^[A-Ua-u]$", description="SBI section letter A–U.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 20,
    lookback_days: Annotated[
        int | None, Query(ge=1, le=36_500, description="Look-back window in days; empty = ever.")
    ] = None,
    radius_km: Annotated[float, Query(gt=0, le=100)] = 10.0,
    as_of: Annotated[DateParam | None, Query(description="Reference date (default today).")] = None,
) -> WhiteSpotRanking:
    """The ranked white spots for the query, counting the user's organisation's job seekers."""
    return rank_white_spots(
        session,
        scorer=scorer,
        where=WhiteSpotFilter(municipality=municipality, region=region, sbi=sbi),
        limit=limit,
        as_of=as_of,
        lookback_days=lookback_days,
        options=PotentialOptions(radius_km=radius_km),
        candidate_municipalities=principal.municipality_codes,
    )


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

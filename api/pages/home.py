"""The start page: every signed-in user goes to the first page their role may open."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from api.pages.access import allowed
from api.pages.rendering import NAV, PageDep
from matching.scoring.overview import active_overview

router = APIRouter(tags=["pages-home"], include_in_schema=False)


@router.get("/")
def home(page: PageDep) -> Response:
    """Redirect to the role's main page (an admin starts at Vacatures)."""
    for _key, _label, href, tag in NAV:
        if allowed(page.principal, tag):
            return RedirectResponse(href, status_code=303)
    return page.error(403, "Uw rol heeft geen pagina's in werkmatch.")


@router.get("/over-het-model")
def model_page(page: PageDep) -> Response:
    """The model card and algoritmeregister entry of the model that scores now."""
    model = active_overview(page.settings.resolved_model_dir())
    return page.render("model.html", active=None, model=model)

"""Rendering pages: the Jinja2 environment, the base context (nav, user, CSRF), error pages."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import (
    MatchingCacheDep,
    ReadSessionDep,
    SessionDep,
    SettingsDep,
    StoreDep,
    WhiteSpotsDep,
)
from api.pages.access import PageForbidden, allowed, page_principal, wants_html
from api.pages.jobs import JobsDep
from api.sessions import csrf_token_for
from matching import dutch
from matching.access.users import Principal, secret_key, user_names
from matching.bootstrap import Store
from matching.jobs import Jobs
from matching.settings import Settings
from matching.shortlist.context import MatchingCache, MatchingContext
from matching.shortlist.labels import load_labels
from matching.shortlist.regional import RegionalView
from matching.store.access import User
from matching.whitespots.cache import WhiteSpotCache

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NAV = (
    ("vacatures", "Vacatures", "/vacatures", "pages-vacancies"),
    ("kandidaten", "Werkzoekenden", "/kandidaten", "pages-candidates"),
    ("nazorg", "Nazorg", "/nazorg", "pages-aftercare"),
    ("witte-vlekken", "Witte vlekken", "/witte-vlekken", "pages-whitespots"),
    ("evaluatie", "Evaluatie", "/evaluatie", "pages-evaluation"),
    ("programmas", "Programma's", "/programmas", "pages-programmes"),
    ("te-beoordelen", "Te beoordelen", "/te-beoordelen", "pages-review"),
    ("import", "Import", "/import", "pages-import"),
)
"""(key, label, path, tag) of the main navigation; shown when the role may open it."""


ENGLISH_NOTE = "Specifieker; in ESCO alleen in het Engels: {}"


def english_skill(uri: str | None) -> Markup:
    """A mark after a skill shown by a broader Dutch label (ESCO has no Dutch label for half
    of its skills): an asterisk whose tooltip holds the English ESCO label, so the text read
    stays Dutch (``partials/english_note.html`` explains the asterisk); empty when the skill
    has a Dutch label of its own."""
    english = load_labels().skill_english(uri) if uri else None
    if english is None:
        return Markup("")
    return Markup('<sup class="chip__en" title="{}">*</sup>').format(ENGLISH_NOTE.format(english))


def has_english(*groups: Iterable[Any]) -> bool:
    """True when a skill of the groups is shown by a broader Dutch label (``english_skill``
    marks it), so the page explains the mark. Items are skills (objects or dicts with a
    ``uri``) or matches whose ``explanation`` lists competences."""
    labels = load_labels()
    return any(
        labels.skill_english(uri) is not None
        for group in groups
        for item in group or ()
        for uri in _skill_uris(item)
    )


def _skill_uris(item: Any) -> Iterator[str]:
    """The skill URIs of a skill, an explanation or a match (``has_english``)."""

    def get(name: str) -> Any:
        return item.get(name) if isinstance(item, dict) else getattr(item, name, None)

    if isinstance(uri := get("uri"), str):
        yield uri
    if (explanation := get("explanation")) is not None:
        yield from _skill_uris(explanation)
    if isinstance(competences := get("competences"), dict):
        for key in ("matched", "likely", "missing"):
            for skill in competences.get(key) or ():
                yield from _skill_uris(skill)


@functools.cache
def templates() -> Jinja2Templates:
    """The page templates with the Dutch number, date and label filters."""
    environment = Jinja2Templates(directory=TEMPLATES)
    environment.env.filters.update(
        number=dutch.number,
        percent=dutch.percent,
        date_nl=dutch.date_nl,
        long_date=dutch.long_date,
        time_nl=dutch.time_nl,
        clock=dutch.clock,
        label=dutch.label,
        english_skill=english_skill,
    )
    environment.env.globals.update(
        contact_kinds=dutch.CONTACT_KINDS,
        contact_outcomes=dutch.CONTACT_OUTCOMES,
        file_kinds=dutch.FILE_KINDS,
        has_english=has_english,
    )
    return environment


STOCK_DETAILS = {
    400: "Ongeldig verzoek.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    406: "Dit antwoordformaat is niet beschikbaar.",
    415: "Dit soort inhoud wordt niet aanvaard.",
}
"""Starlette's English reason phrases, said in Dutch to API clients."""


def nav_items(principal: Principal | None, active: str | None) -> list[dict[str, Any]]:
    """The navigation entries the principal may open."""
    if principal is None:
        return []
    return [
        {"key": key, "label": label, "href": href, "current": key == active}
        for key, label, href, tag in NAV
        if allowed(principal, tag)
    ]


def base_context(
    request: Request, principal: Principal | None, csrf_token: str, *, name: str | None = None
) -> dict[str, Any]:
    """What every page template gets: user, role, nav, the CSRF token, ``may(tag)``: whether
    the user may open the pages of a router tag (a link shown only to whom it opens)."""
    return {
        "principal": principal,
        "user_name": name or (principal.user_id if principal else None),
        "role_label": dutch.ROLES.get(principal.role, principal.role) if principal else None,
        "csrf_token": csrf_token,
        "hx": "hx-request" in request.headers,
        "may": lambda tag: principal is not None and allowed(principal, tag),
    }


@dataclass
class Page:
    """A page request: who asks, their session, the settings; renders templates."""

    request: Request
    principal: Principal
    session: Session
    settings: Settings
    store: Store
    matching: MatchingCache  # loads lazily: ``context()``
    white_spots: WhiteSpotCache
    jobs: Jobs
    reads: Session  # the replica's session, or ``session`` (``api.deps.get_read_session``)

    def context(self) -> MatchingContext:
        """The matching context (pool and scorer), fresh for the store's data version."""
        return self.matching.get(self.reads)

    def regions(self) -> RegionalView:
        """The region contexts a shortlist reads (``matching.shortlist.regional``)."""
        return RegionalView(self.matching, self.reads)

    @property
    def is_htmx(self) -> bool:
        """True for a request sent by htmx (answer with a fragment)."""
        return "hx-request" in self.request.headers

    def staff_namer(self) -> Callable[[str | None], str]:
        """``staff_name(user_id)`` for templates: a colleague's display name (``by`` of a
        contact, check-in or proposal), read once per page; text that is no user id of the
        organisation (a name an import wrote) as it is; '–' for none."""
        names: dict[str, str] | None = None

        def staff_name(user_id: str | None) -> str:
            nonlocal names
            if not user_id:
                return "–"
            if names is None:
                names = user_names(self.session, self.principal.organisation_id)
            return names.get(user_id, user_id)

        return staff_name

    def render(
        self, template: str, *, active: str | None = None, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """Render ``template`` with the base context (the session's CSRF token for forms)."""
        token = csrf_token_for(self.request, secret_key(self.settings))
        user = self.session.get(User, self.principal.user_id)
        values = base_context(
            self.request, self.principal, token, name=user.display_name if user else None
        )
        values.update(nav=nav_items(self.principal, active), active=active, **context)
        values["staff_name"] = self.staff_namer()
        response = templates().TemplateResponse(
            self.request, template, values, status_code=status_code
        )
        return response

    def error(self, status_code: int, message: str, *, active: str | None = None) -> HTMLResponse:
        """An error page (or fragment for htmx) with a Dutch message; after a form, a way
        back to the form."""
        template = "partials/error.html" if self.is_htmx else "error.html"
        return self.render(
            template, active=active, status_code=status_code, message=message, code=status_code,
            form_back=form_origin(self.request),
        )  # fmt: skip


def get_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    store: StoreDep,
    matching: MatchingCacheDep,
    white_spots: WhiteSpotsDep,
    jobs: JobsDep,
    principal: Annotated[Principal, Depends(page_principal)],
    reads: ReadSessionDep,
) -> Page:
    """The page request (the router's guard has checked the role)."""
    return Page(request, principal, session, settings, store, matching, white_spots, jobs, reads)


PageDep = Annotated[Page, Depends(get_page)]


async def forbidden_handler(request: Request, exc: Exception) -> Response:
    """A Dutch 'no access' page for browsers; JSON 403 otherwise."""
    assert isinstance(exc, PageForbidden)
    if not wants_html(request):
        return JSONResponse({"detail": exc.detail}, status_code=403)
    return error_page(request, 403, "U heeft geen toegang tot deze pagina met uw rol.")


async def not_found_handler(request: Request, exc: Exception) -> Response:
    """A Dutch page for a browser that asks for an address that does not exist; every other
    HTTP error (and every API client) gets FastAPI's JSON answer."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404 and wants_html(request):
        return error_page(request, 404, "Deze pagina bestaat niet. Kies een pagina in het menu.")
    if exc.status_code in STOCK_DETAILS and exc.detail == HTTPStatus(exc.status_code).phrase:
        exc = StarletteHTTPException(exc.status_code, STOCK_DETAILS[exc.status_code], exc.headers)
    return await http_exception_handler(request, exc)


def form_origin(request: Request) -> str | None:
    """The page a submitted form came from (path and query of a same-origin ``Referer``;
    ``Referrer-Policy: same-origin`` sends it for our own pages), None for a GET or when
    unknown."""
    if request.method == "GET":
        return None
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc != request.url.netloc or not referer.path.startswith("/"):
        return None
    return referer.path + (f"?{referer.query}" if referer.query else "")


def error_page(request: Request, code: int, message: str, *, back: str | None = None) -> Response:
    """The Dutch error page (a fragment for htmx) outside a ``Page``; ``back``: a way back
    (after a form: back to the form)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    settings: Settings = request.app.state.settings
    token = csrf_token_for(request, secret_key(settings))
    values = base_context(request, principal, token)
    values.update(nav=nav_items(principal, None), active=None, code=code, message=message)
    values["back"] = back
    values["form_back"] = form_origin(request)
    template = "partials/error.html" if "hx-request" in request.headers else "error.html"
    return templates().TemplateResponse(request, template, values, status_code=code)

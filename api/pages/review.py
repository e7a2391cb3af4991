"""The page "Te beoordelen" (account managers and admins): texts the normaliser was unsure of,
one click to choose a concept or to keep the text, and the organisation's synonym list as CSV.

Everything is scoped to the signed-in user's organisation (``matching.review``): its queue,
its decisions (stored as its synonyms and written into its own records only) and its list.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.pages.rendering import Page, PageDep
from api.uploads import save_uploads
from matching.access.audit import record
from matching.errors import InvalidInput, NotFound
from matching.exchange import TABLE_SUFFIXES
from matching.exchange.normalising import TextKind
from matching.review.queue import (
    PER_PAGE,
    decide,
    import_choices,
    organisation_rankers,
    review_item,
    review_queue,
)
from matching.review.synonym_files import read_synonyms, synonyms_csv
from matching.review.synonyms import Scope, concept_label, known_concepts, set_synonyms

router = APIRouter(tags=["pages-review"], include_in_schema=False)
ACTIVE = "te-beoordelen"
KINDS: dict[str, TextKind] = {"beroep": "occupation", "competentie": "skill"}
KindFilter = Annotated[str, Query(pattern=r"^(beroep|competentie)?$")]
GONE = "Deze tekst staat niet (meer) in de lijst van uw organisatie."


def _scope(page: Page) -> Scope:
    """The signed-in user's organisation and its municipalities."""
    if page.principal.organisation_id is None:
        raise NotFound("Uw account hoort bij geen organisatie.")
    return Scope(page.principal.organisation_id, page.principal.municipality_codes)


@router.get("/te-beoordelen", response_class=HTMLResponse)
def review_page(
    page: PageDep,
    soort: KindFilter = "",
    bron: Annotated[int | None, Query(alias="import", ge=1)] = None,
    pagina: Annotated[int, Query(ge=1, le=10_000)] = 1,
    melding: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """The organisation's open texts, most frequent first, with their candidates."""
    scope = _scope(page)
    listing = review_queue(
        page.session, scope, kind=KINDS.get(soort), import_id=bron,
        offset=(pagina - 1) * PER_PAGE, limit=PER_PAGE,
        rankers=organisation_rankers(page.session, scope.organisation_id, wait=False),
    )  # fmt: skip
    query = f"soort={soort}" + (f"&import={bron}" if bron else "")
    return page.render(
        "review.html", active=ACTIVE, listing=listing, imports=import_choices(page.session, scope),
        filters={"soort": soort, "bron": bron}, query=query, pagina=pagina,
        pages=max(1, -(-listing.count // PER_PAGE)), first=(pagina - 1) * PER_PAGE,
        saved=melding == "opgeslagen",
    )  # fmt: skip


@router.get("/te-beoordelen/synoniemen.csv")
def download_synonyms(page: PageDep) -> Response:
    """The organisation's synonym list as CSV (text cells neutralised against formulas)."""
    scope = _scope(page)
    text = synonyms_csv(page.session, scope.organisation_id)
    record(page.session, page.principal, "synonyms.export", object_type="organisation",
           object_id=scope.organisation_id)  # fmt: skip
    return Response(
        "\ufeff" + text,  # Excel reads UTF-8 with a byte-order mark
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="synoniemen.csv"'},
    )


@router.post("/te-beoordelen/synoniemen", response_class=HTMLResponse)
def upload_synonyms(page: PageDep, bestand: Annotated[UploadFile, File()]) -> HTMLResponse:
    """Read a synonym list: every row checked first, one bad row refuses the whole file."""
    scope = _scope(page)
    folder = Path(tempfile.mkdtemp(prefix="werkmatch-synonyms-"))
    try:
        [path] = save_uploads([bestand], folder, suffixes=TABLE_SUFFIXES)
        choices = read_synonyms(page.session, path)
    except InvalidInput as error:
        return _message(page, 422, str(error))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    changed = set_synonyms(page.session, scope, choices, by=page.principal.user_id)
    record(
        page.session, page.principal, "synonyms.import", object_type="organisation",
        object_id=scope.organisation_id, detail={"synonyms": len(choices), "changed": changed},
    )  # fmt: skip
    records = "1 gegeven" if changed == 1 else f"{changed} gegevens"
    stored = "1 synoniem" if len(choices) == 1 else f"{len(choices)} synoniemen"
    message = f"{stored} opgeslagen; {records} bijgewerkt."
    return _message(page, 200, message, ok=True)


@router.post("/te-beoordelen/{review_id}", response_class=HTMLResponse)
def decide_text(
    review_id: int,
    page: PageDep,
    keuze: Annotated[str, Form(max_length=200)] = "",
    bevestigd: Annotated[str, Form(pattern=r"^(ja)?$")] = "",
) -> Response:
    """Choose a candidate (``keuze``: its URI) or, empty, "geen van deze": keep the text. The
    choice holds for the whole organisation, so it is first shown back to confirm
    (``bevestigd=ja`` stores it)."""
    scope = _scope(page)
    if not bevestigd:
        return _confirm(page, scope, review_id, keuze)
    try:
        decision = decide(page.session, scope, review_id, keuze or None, by=page.principal.user_id)
    except NotFound:
        return page.error(404, GONE, active=ACTIVE)
    except InvalidInput as error:
        return page.error(422, f"Niet vastgelegd: {error}", active=ACTIVE)
    record(
        page.session, page.principal, "review.decide", object_type="review_text",
        object_id=str(review_id), detail={"uri": decision.uri, "changed": decision.changed},
    )  # fmt: skip
    if not page.is_htmx:
        return RedirectResponse("/te-beoordelen?melding=opgeslagen", status_code=303)
    return page.render("partials/review_decided.html", decision=decision, review_id=review_id)


def _confirm(page: Page, scope: Scope, review_id: int, uri: str) -> Response:
    """The choice shown back with what it changes, to confirm (nothing stored yet)."""
    try:
        item = review_item(page.session, scope, review_id)
    except NotFound:
        return page.error(404, GONE, active=ACTIVE)
    if uri and not known_concepts(page.session, item.kind, [uri]):
        return page.error(422, f"Niet vastgelegd: '{uri}' is geen bekend begrip.", active=ACTIVE)
    label = concept_label(item.kind, uri) if uri else None
    template = "partials/review_confirm.html" if page.is_htmx else "review_confirm.html"
    return page.render(template, active=ACTIVE, item=item, item_uri=uri, label=label)


def _message(page: Page, status_code: int, message: str, *, ok: bool = False) -> HTMLResponse:
    """The upload's outcome: a fragment for htmx, else the page with it."""
    if page.is_htmx:
        return page.render(
            "partials/review_upload.html", status_code=status_code, message=message, ok=ok
        )
    scope = _scope(page)
    rankers = organisation_rankers(page.session, scope.organisation_id, wait=False)
    listing = review_queue(page.session, scope, limit=PER_PAGE, rankers=rankers)
    return page.render(
        "review.html", active=ACTIVE, status_code=status_code, listing=listing,
        imports=import_choices(page.session, scope), filters={"soort": "", "bron": None},
        query="soort=", pagina=1, pages=max(1, -(-listing.count // PER_PAGE)), first=0,
        saved=False, upload={"message": message, "ok": ok},
    )  # fmt: skip

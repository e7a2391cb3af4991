"""The page "Instrumentregels en opleidingen" (account managers and admins): the organisation's
instrument rules (the shipped ones until it reads its own) and its training catalogue, each
downloadable as CSV and replaced by an upload that is read whole or not at all."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import HTMLResponse, Response

from api.pages.rendering import Page, PageDep
from api.uploads import save_uploads
from matching.access.audit import record
from matching.errors import InvalidInput, NotFound
from matching.exchange import TABLE_SUFFIXES
from matching.instruments.rule_files import read_rules, rules_csv
from matching.instruments.rules import KIND_LABELS, describe, rules_for, store_rules
from matching.instruments.trainings import (
    catalogue,
    read_trainings,
    store_trainings,
    trainings_csv,
)

router = APIRouter(tags=["pages-instruments"], include_in_schema=False)
FILES = {"regels": "instrumentregels.csv", "opleidingen": "opleidingen.csv"}


def _organisation(page: Page) -> str:
    if page.principal.organisation_id is None:
        raise NotFound("Uw account hoort bij geen organisatie.")
    return page.principal.organisation_id


def _render(page: Page, status_code: int = 200, **upload: object) -> HTMLResponse:
    organisation = _organisation(page)
    return page.render(
        "instrument_files.html", status_code=status_code, kinds=KIND_LABELS, describe=describe,
        rules=rules_for(page.session, organisation),
        trainings=catalogue(page.session, organisation), upload=upload or None,
    )  # fmt: skip


@router.get("/instrumenten", response_class=HTMLResponse)
def files_page(page: PageDep) -> HTMLResponse:
    """The organisation's rules and training catalogue."""
    return _render(page)


def _download(page: Page, name: str) -> Response:
    """The rules (``regels``) or the catalogue (``opleidingen``) as CSV, neutralised; audited."""
    organisation = _organisation(page)
    write = rules_csv if name == "regels" else trainings_csv
    text = write(page.session, organisation)
    record(page.session, page.principal, f"instruments.{name}.export",
           object_type="organisation", object_id=organisation)  # fmt: skip
    return Response(
        "\ufeff" + text,  # Excel reads UTF-8 with a byte-order mark
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{FILES[name]}"'},
    )


@router.get("/instrumenten/regels.csv")
def download_rules(page: PageDep) -> Response:
    """The organisation's rules (the shipped ones until it has its own) as CSV."""
    return _download(page, "regels")


@router.get("/instrumenten/opleidingen.csv")
def download_trainings(page: PageDep) -> Response:
    """The organisation's training catalogue as CSV."""
    return _download(page, "opleidingen")


def _upload(page: Page, name: str, bestand: UploadFile) -> HTMLResponse:
    """Replace the rules or the catalogue by an uploaded file (every row checked first)."""
    organisation = _organisation(page)
    folder = Path(tempfile.mkdtemp(prefix="werkmatch-instruments-"))
    try:
        [path] = save_uploads([bestand], folder, suffixes=TABLE_SUFFIXES)
        if name == "regels":
            rules = read_rules(path)
            store_rules(page.session, organisation, rules)
            stored = f"{len(rules)} instrumentregels"
        else:
            trainings = read_trainings(page.session, path)
            store_trainings(page.session, organisation, trainings)
            stored = f"{len(trainings)} opleidingen"
    except InvalidInput as error:
        return _render(page, 422, message=str(error), ok=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    record(page.session, page.principal, f"instruments.{name}.import",
           object_type="organisation", object_id=organisation)  # fmt: skip
    return _render(page, message=f"{stored} opgeslagen voor uw organisatie.", ok=True)


@router.post("/instrumenten/regels", response_class=HTMLResponse)
def upload_rules(page: PageDep, bestand: Annotated[UploadFile, File()]) -> HTMLResponse:
    """Replace the organisation's rules (all rows good, or nothing stored)."""
    return _upload(page, "regels", bestand)


@router.post("/instrumenten/opleidingen", response_class=HTMLResponse)
def upload_trainings(page: PageDep, bestand: Annotated[UploadFile, File()]) -> HTMLResponse:
    """Replace the organisation's training catalogue (all rows good, or nothing stored)."""
    return _upload(page, "opleidingen", bestand)

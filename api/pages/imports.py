"""The import page (admin): upload exchange-format files, see the validation report; train.

Uploads are copied to a temporary folder and imported in a background job (``api.pages.jobs``)
in one transaction, as ``POST /imports`` does; the page polls the job with htmx and shows the
report when it is done. Training the model runs the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse

from api.pages.jobs import Job
from api.pages.rendering import Page, PageDep
from api.routers.imports import NormaliserDep
from api.uploads import save_uploads
from matching.access.audit import record
from matching.access.users import Principal
from matching.bootstrap import Store
from matching.errors import InvalidInput, NotFound
from matching.exchange import TABLE_SUFFIXES, ImportOptions, UnreadableFile, run_import
from matching.exchange.report import ImportReport
from matching.scoring.fitting import train
from matching.scoring.model_versions import active_version
from matching.settings import Settings

router = APIRouter(tags=["pages-import"], include_in_schema=False)
KINDS = ("import", "train")


def import_work(
    store: Store, principal: Principal, options: ImportOptions, folder: Path, *, dry_run: bool
) -> Callable[[Job], ImportReport]:
    """The job body: import the saved files (``run_import``), then clean up."""

    def work(job: Job) -> ImportReport:
        def progress(name: str, done: int, total: int) -> None:
            job.report(f"Bezig met {name}", done, total)

        try:
            job.report("Bestanden lezen en controleren…")
            run = dataclasses.replace(options, progress=progress, reject_unreadable=True)
            return run_import(
                store.sessions, sorted(folder.glob("*/*")), principal=principal,
                dry_run=dry_run, options=run,
            )  # fmt: skip
        except UnreadableFile as error:
            raise InvalidInput(f"Onleesbaar bestand, niets opgeslagen: {error}") from error
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    return work


def _page_context(page: Page) -> dict[str, Any]:
    model = active_version(page.settings.resolved_model_dir())
    return {"model_version": model, "suffixes": TABLE_SUFFIXES}


@router.get("/import", response_class=HTMLResponse)
def import_page(page: PageDep) -> HTMLResponse:
    """The upload form and the training button."""
    return page.render("import.html", active="import", **_page_context(page))


@router.post("/import", response_class=HTMLResponse)
def start_import(
    page: PageDep,
    normaliser: NormaliserDep,
    files: Annotated[list[UploadFile], File()],
    dry_run: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    """Save the uploads and start the import job; answer with its progress."""
    folder = Path(tempfile.mkdtemp(prefix="werkmatch-page-import-"))
    try:
        save_uploads(files, folder, suffixes=TABLE_SUFFIXES)
    except InvalidInput as error:
        shutil.rmtree(folder, ignore_errors=True)
        return _fragment_or_page(page, "partials/form_error.html", 422, message=str(error))
    options = ImportOptions(
        normaliser, page.settings.normalise_threshold, dates=page.settings.date_window()
    )
    work = import_work(page.store, page.principal, options, folder, dry_run=dry_run)
    job = page.jobs.start("import", page.principal.user_id, work)
    return _fragment_or_page(page, "partials/job.html", 202, job=job)


def train_work(store: Store, settings: Settings, principal: Principal) -> Callable[[Job], str]:
    """The job body: train on the store's history; the result message says what happened."""

    def work(job: Job) -> str:
        job.report("Model trainen op de geschiedenis…")
        with store.sessions() as session:
            result = train(session, model_dir=settings.resolved_model_dir(), as_of=dt.date.today())
            record(session, principal, "model.train", detail={"message": result.message})
            session.commit()
        return result.message

    return work


@router.post("/import/trainen", response_class=HTMLResponse)
def start_training(page: PageDep) -> HTMLResponse:
    """Start training the durable-placement model; answer with its progress."""
    work = train_work(page.store, page.settings, page.principal)
    job = page.jobs.start("train", page.principal.user_id, work)
    return _fragment_or_page(page, "partials/job.html", 202, job=job)


@router.get("/import/taken/{job_id}", response_class=HTMLResponse)
def job_status(job_id: str, page: PageDep) -> HTMLResponse:
    """The progress of an import or training job (polled by the page until it is done)."""
    try:
        job = page.jobs.get(job_id, owner=page.principal.user_id, kinds=KINDS)
    except NotFound:
        return _fragment_or_page(
            page, "partials/form_error.html", 404, message="Deze taak is onbekend of verlopen."
        )
    return _fragment_or_page(page, "partials/job.html", 200, job=job)


def _fragment_or_page(page: Page, fragment: str, status_code: int, **context: Any) -> HTMLResponse:
    """The fragment for htmx; the whole import page around it otherwise."""
    if page.is_htmx:
        return page.render(fragment, status_code=status_code, **context)
    return page.render(
        "import.html", active="import", status_code=status_code, fragment=fragment,
        **_page_context(page), **context,
    )  # fmt: skip

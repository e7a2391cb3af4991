"""The import page (admin): upload exchange-format files, see the validation report; train.

Uploads are saved in a folder under the var directory and imported in a background job
(``matching.jobs``, kind ``import``) in one transaction, as ``POST /imports`` does; the page
polls the job with htmx and shows the report when it is done. Training the model runs the
same way (kind ``train``). A running job can be cancelled; nothing of it is kept.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import HTMLResponse

from api.pages.rendering import Page, PageDep
from api.routers.imports import NormaliserDep
from api.uploads import save_uploads
from matching.errors import Conflict, InvalidInput, NotFound
from matching.exchange import TABLE_SUFFIXES
from matching.scoring.model_versions import active_version, created_at

router = APIRouter(tags=["pages-import"], include_in_schema=False)
KINDS = ("import", "train")
UNKNOWN = "Deze taak is onbekend of verlopen."


def upload_folder(page: Page) -> Path:
    """A new folder for one import's uploads, under the var directory (every worker process
    on this host reads it; it is removed when the job has ended)."""
    parent = page.settings.var_dir / "uploads"
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="import-", dir=parent))


def _page_context(page: Page) -> dict[str, Any]:
    model = active_version(page.settings.resolved_model_dir())
    made = created_at(model) if model else None  # the version id itself is no user's business
    return {"model_active": model is not None, "model_made": made, "suffixes": TABLE_SUFFIXES}


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
    folder = upload_folder(page)
    try:
        save_uploads(files, folder, suffixes=TABLE_SUFFIXES)
    except InvalidInput as error:
        shutil.rmtree(folder, ignore_errors=True)
        return _fragment_or_page(page, "partials/form_error.html", 422, message=str(error))
    params = {"folder": str(folder), "dry_run": dry_run, "normalise": normaliser is not None}
    job_id = page.jobs.submit("import", params, page.principal)
    job = page.jobs.get(job_id, page.principal)
    return _fragment_or_page(page, "partials/job.html", 202, job=job)


@router.post("/import/trainen", response_class=HTMLResponse)
def start_training(page: PageDep) -> HTMLResponse:
    """Start training the durable-placement model; answer with its progress."""
    job = page.jobs.get(page.jobs.submit("train", {}, page.principal), page.principal)
    return _fragment_or_page(page, "partials/job.html", 202, job=job)


@router.get("/import/taken/{job_id}", response_class=HTMLResponse)
def job_status(job_id: str, page: PageDep) -> HTMLResponse:
    """The progress of an import or training job (polled by the page until it is done)."""
    try:
        job = page.jobs.get(job_id, page.principal, KINDS)
    except NotFound:
        return _fragment_or_page(page, "partials/form_error.html", 404, message=UNKNOWN)
    return _fragment_or_page(page, "partials/job.html", 200, job=job)


@router.post("/import/taken/{job_id}/annuleren", response_class=HTMLResponse)
def cancel_job(job_id: str, page: PageDep) -> HTMLResponse:
    """Cancel an import or training job of one's own; nothing of it is kept."""
    try:
        page.jobs.get(job_id, page.principal, KINDS)
        job = page.jobs.cancel(job_id, page.principal)
    except NotFound:
        return _fragment_or_page(page, "partials/form_error.html", 404, message=UNKNOWN)
    except Conflict as error:
        return _fragment_or_page(page, "partials/form_error.html", 409, message=str(error))
    return _fragment_or_page(page, "partials/job.html", 200, job=job)


def _fragment_or_page(page: Page, fragment: str, status_code: int, **context: Any) -> HTMLResponse:
    """The fragment for htmx; the whole import page around it otherwise."""
    if page.is_htmx:
        return page.render(fragment, status_code=status_code, **context)
    return page.render(
        "import.html", active="import", status_code=status_code, fragment=fragment,
        **_page_context(page), **context,
    )  # fmt: skip

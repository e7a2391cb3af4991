"""Imports: upload exchange-format files, get the same report as ``werkmatch import``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile, status

from api.deps import CurrentUser, SessionDep, SettingsDep
from api.errors import error_responses
from api.schemas.imports import ImportReportPublic
from api.uploads import UploadTooLarge, save_uploads
from matching import normalisation
from matching.errors import InvalidInput
from matching.exchange import SUFFIXES, ImportOptions, TextNormaliser, UnreadableFile, run_import

router = APIRouter(tags=["imports"], responses=error_responses(401, 403, 422, 503))


def get_normaliser() -> TextNormaliser | None:
    """The normaliser free text goes through (tests override this dependency)."""
    return normalisation


NormaliserDep = Annotated[TextNormaliser | None, Depends(get_normaliser)]
MAX_FILES = 50  # six entities, a few files each; far below the multipart parser's 1000


@router.post("/imports", response_model=ImportReportPublic, responses=error_responses(400, 413))
def create_import(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    normaliser: NormaliserDep,
    principal: CurrentUser,
    files: Annotated[
        list[UploadFile], File(min_length=1, description="candidates.csv, employers.xlsx, …")
    ],
    dry_run: Annotated[bool, Query(description="Validate and count, store nothing.")] = False,
) -> ImportReportPublic:
    """Import one or more .csv/.xlsx files in one transaction. Rejected rows are listed in the
    report (status 200, ``rejected`` > 0); 400 for an unreadable file, 413 when too large."""
    limit = settings.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:  # a malformed header is no 500
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, str(UploadTooLarge(limit)))
    if len(files) > MAX_FILES:
        detail = f"{len(files)} bestanden in één import; hooguit {MAX_FILES}."
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail)
    with tempfile.TemporaryDirectory(prefix="werkmatch-import-") as tmp:
        try:
            paths = save_uploads(files, Path(tmp), suffixes=SUFFIXES, limit=limit)
        except UploadTooLarge as error:
            raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, str(error)) from error
        except InvalidInput as error:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, str(error)) from error
        options = ImportOptions(
            normaliser=normaliser,
            threshold=settings.normalise_threshold,
            reject_unreadable=True,
            dates=settings.date_window(),
        )
        try:
            report = run_import(
                session, paths, principal=principal, dry_run=dry_run, options=options
            )
        except UnreadableFile as error:
            raise HTTPException(
                status.HTTP_400_BAD_REQUEST, f"Onleesbaar bestand: {error}"
            ) from error
    return ImportReportPublic.model_validate(report.to_dict())

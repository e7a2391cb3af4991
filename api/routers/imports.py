"""Imports: upload exchange-format files, get the same report as ``werkmatch import``."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile, status

from api.deps import CurrentUser, SessionDep, SettingsDep
from api.errors import error_responses
from api.schemas.imports import ImportReportPublic
from matching import normalisation
from matching.audit import import_detail, record
from matching.exchange import ImportOptions, TextNormaliser, UnreadableFile, import_into

router = APIRouter(tags=["imports"], responses=error_responses(401, 403, 422, 503))


def get_normaliser() -> TextNormaliser | None:
    """The normaliser free text goes through (tests override this dependency)."""
    return normalisation


NormaliserDep = Annotated[TextNormaliser | None, Depends(get_normaliser)]
SUFFIXES = (".csv", ".xlsx", ".json")  # .json: VUM records
COPY_BLOCK = 1 << 20
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
        raise _too_large(limit)
    if len(files) > MAX_FILES:
        detail = f"{len(files)} files in one import; at most {MAX_FILES}"
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail)
    with tempfile.TemporaryDirectory(prefix="werkmatch-import-") as tmp:
        paths = [_save(upload, Path(tmp) / str(i), limit) for i, upload in enumerate(files)]
        if sum(path.stat().st_size for path in paths) > limit:
            raise _too_large(limit)
        options = ImportOptions(
            normaliser=normaliser,
            threshold=settings.normalise_threshold,
            reject_unreadable=True,
            dates=settings.date_window(),
            imported_by=principal.user_id,
        )
        try:
            report = import_into(session, paths, options=options)
        except UnreadableFile as error:
            raise HTTPException(status.HTTP_400_BAD_REQUEST, f"unreadable file: {error}") from error
    if dry_run:
        session.rollback()
        report.dry_run = True
    record(session, principal, "import", object_type="import", detail=import_detail(report))
    return ImportReportPublic.model_validate(report.to_dict())


def _save(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Copy one upload to ``folder`` under its own file name; 400 for other file types."""
    name = Path(upload.filename or "").name
    if not name.lower().endswith(SUFFIXES):
        detail = f"'{name}' is not a .csv, .xlsx or .json file"
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail)
    folder.mkdir()
    path = folder / name
    written = 0
    with path.open("wb") as out:
        while block := upload.file.read(COPY_BLOCK):
            written += len(block)
            if written > limit:
                raise _too_large(limit)
            out.write(block)
    return path


def _too_large(limit: int) -> HTTPException:
    detail = f"upload larger than {limit} bytes (WERKMATCH_MAX_UPLOAD_BYTES)"
    return HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail)

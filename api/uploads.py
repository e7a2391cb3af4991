"""Saving uploaded files to a folder: the one saver of the import API, the pages and their lists."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import UploadFile

from matching.errors import InvalidInput

COPY_BLOCK = 1 << 20


class UploadTooLarge(InvalidInput):
    """The uploads together are larger than the limit (``WERKMATCH_MAX_UPLOAD_BYTES``)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"De upload is groter dan {limit} bytes (WERKMATCH_MAX_UPLOAD_BYTES).")


def wrong_type(name: str, suffixes: Sequence[str]) -> str:
    """The Dutch refusal of a file that is none of ``suffixes``.

    >>> wrong_type("notes.txt", (".csv", ".xlsx"))
    "'notes.txt' is geen .csv- of .xlsx-bestand."
    >>> wrong_type("", (".csv", ".xlsx", ".json"))
    "'zonder naam' is geen .csv-, .xlsx- of .json-bestand."
    """
    kinds = [f"{suffix}-" for suffix in suffixes]
    listed = ", ".join(kinds[:-1]) + " of " + kinds[-1] if len(kinds) > 1 else kinds[0]
    return f"'{name or 'zonder naam'}' is geen {listed}bestand."


def save_uploads(
    files: Sequence[UploadFile], folder: Path, *, suffixes: Sequence[str], limit: int | None = None
) -> list[Path]:
    """Copy each upload to ``folder/<i>/<its own name>``, all names checked before any copy.

    InvalidInput for a file that is none of ``suffixes``; UploadTooLarge when more than
    ``limit`` bytes arrive in total. The caller removes ``folder``.
    """
    names = [Path(upload.filename or "").name for upload in files]
    for name in names:
        if not name.lower().endswith(tuple(suffixes)):
            raise InvalidInput(wrong_type(name, suffixes))
    paths, written = [], 0
    for i, (upload, name) in enumerate(zip(files, names, strict=True)):
        path = folder / str(i) / name
        path.parent.mkdir(parents=True)
        with path.open("wb") as out:
            while block := upload.file.read(COPY_BLOCK):
                written += len(block)
                if limit is not None and written > limit:
                    raise UploadTooLarge(limit)
                out.write(block)
        paths.append(path)
    return paths

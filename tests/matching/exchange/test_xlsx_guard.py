"""The .xlsx size guard: refuse zipboms from the zip's directory, before inflating anything."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from matching.exchange.reading import (
    MAX_XLSX_RATIO,
    MAX_XLSX_UNPACKED,
    RATIO_FROM_BYTES,
    UnreadableFile,
    check_xlsx_size,
    open_table,
)

SHEET = "xl/worksheets/sheet1.xml"


def write_zip(path: Path, members: dict[str, bytes], *, stored: bool = False) -> Path:
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def claim_size(path: Path, member: str, size: int) -> None:
    """Make the central directory claim ``member`` unpacks to ``size`` bytes."""
    data = bytearray(path.read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == member.encode():
            struct.pack_into("<I", data, at + 24, size)
        at += 4
    path.write_bytes(bytes(data))


def test_highly_compressed_large_member_is_refused(tmp_path: Path) -> None:
    # 17 MiB of spaces deflate to ~17 KiB: about 1000 to one, over the limit of 200
    path = write_zip(tmp_path / "bomb.xlsx", {SHEET: b" " * (RATIO_FROM_BYTES + (1 << 20))})
    with pytest.raises(UnreadableFile, match=r"\d+ op één gecomprimeerd \(een zipbom\?\)"):
        check_xlsx_size(path)
    with pytest.raises(UnreadableFile, match="zipbom"):
        open_table(path)  # the importer's entry point applies the guard


def test_small_or_incompressible_members_pass(tmp_path: Path) -> None:
    small = write_zip(tmp_path / "small.xlsx", {SHEET: b" " * (1 << 20)})  # 1000:1 but 1 MiB
    check_xlsx_size(small)
    stored = write_zip(
        tmp_path / "stored.xlsx", {SHEET: b" " * (RATIO_FROM_BYTES + 1)}, stored=True
    )
    check_xlsx_size(stored)  # 1:1


def test_total_is_judged_from_the_directory_without_inflating(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "claims.xlsx", {SHEET: b"<x/>", "xl/sharedStrings.xml": b"<s/>"})
    claim_size(path, "xl/sharedStrings.xml", MAX_XLSX_UNPACKED)  # 1 GiB claimed for 4 bytes
    with pytest.raises(UnreadableFile, match=f"meer dan {MAX_XLSX_UNPACKED >> 20} MB"):
        check_xlsx_size(path)


def test_ratio_is_reported(tmp_path: Path) -> None:
    path = write_zip(tmp_path / "bomb.xlsx", {SHEET: b"<x/>" * 10})
    claim_size(path, SHEET, RATIO_FROM_BYTES + 1)
    with pytest.raises(UnreadableFile) as refused:
        check_xlsx_size(path)
    ratio = int(str(refused.value).split("is ")[1].split(" ")[0])
    assert ratio > MAX_XLSX_RATIO


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated", b"not a zip at all"])
def test_damaged_zip_is_unreadable(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=r"geen leesbaar \.xlsx-bestand"):
        check_xlsx_size(path)

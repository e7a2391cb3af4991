"""POST /imports with hostile or broken uploads: a clear 4xx and nothing stored.

Malformed CSV (binary garbage, unbalanced quotes, NUL bytes), malformed .xlsx (a renamed text
file, a truncated zip, a zipbom, a zip whose directory understates a member's size), wrong
content types, an empty multipart body and too many files. Every case counts the rows of every
table before and after.
"""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api.routers.imports import MAX_FILES, get_normaliser
from matching.store.base import Base

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent

REGION_SMALL = Path(__file__).parents[1] / "fixtures" / "region_small"
HEADER = ["candidate_id", "municipality_code", "ladder_step", "target_group", "hours_available"]
HEADER += ["status"]
ROW = ["K-9001", "GM0575", 3, "regulier", 20, "active"]
BOMB_MB = 300
Files = list[tuple[str, tuple[str, bytes, str]]]


@pytest.fixture
def client(client: TestClient) -> TestClient:
    """The admin client with free text left unnormalised (the normaliser has its own tests)."""
    client.app.dependency_overrides[get_normaliser] = lambda: None  # type: ignore[attr-defined]
    return client


def row_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Rows per table, every table of the store."""
    with sessions() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def workbook_bytes(rows: list[list[object]]) -> bytes:
    """A real .xlsx holding ``rows`` on its first sheet."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb(megabytes: int) -> bytes:
    """A valid-looking candidates .xlsx whose sheet XML inflates to ``megabytes`` MB of rows (no
    <dimension>, so openpyxl would parse every row just to size the sheet)."""
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([HEADER, ROW])))
    row = b'<row><c t="inlineStr"><is><t>K-9</t></is></c><c t="inlineStr"><is><t>GM0575'
    block = (row + b"</t></is></c><c><v>3</v></c></row>") * 10_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, data)
                continue
            text = re.sub(r"<dimension[^>]*/>", "", data.decode())
            head, _, tail = text.partition("</sheetData>")
            with bomb.open(info.filename, "w", force_zip64=True) as member:
                member.write(head.encode())
                for _ in range(megabytes * 2**20 // len(block)):
                    member.write(block)
                member.write(b"</sheetData>" + tail.encode())
    return buffer.getvalue()


def understated(xlsx: bytes, member: str, size: int) -> bytes:
    """``xlsx`` with the central directory claiming ``member`` unpacks to ``size`` bytes."""
    data = bytearray(xlsx)
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) != -1:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == member.encode():
            struct.pack_into("<I", data, at + 24, size)
        at += 4
    return bytes(data)


def post_files(client: TestClient, files: Files) -> tuple[int, str]:
    response = client.post("/imports", files=files)
    return response.status_code, response.text


BROKEN_CSV = {
    "binary garbage": bytes(range(256)) * 64 + zlib.compress(b"x" * 10_000),
    # the quote opened in row 2 never closes: read loosely, row 3 would vanish into a cell
    "unbalanced quote": (
        ",".join(HEADER) + '\nK-1,GM0575,3,"regulier,20,active\nK-2,GM0575,3,regulier,20,active\n'
    ).encode(),
    "NUL bytes": (",".join(HEADER) + "\n").encode() + b"K-1,GM0575,3\x00,regulier,20,active\n",
    "UTF-16 without BOM": (",".join(HEADER) + "\n").encode("utf-16-le"),
}


@pytest.mark.parametrize("case", BROKEN_CSV)
def test_malformed_csv_is_refused_and_nothing_stored(
    client: TestClient, sessions: sessionmaker[Session], case: str
) -> None:
    before = row_counts(sessions)
    employers = (REGION_SMALL / "employers.csv").read_bytes()
    files: Files = [("files", ("employers.csv", employers, "text/csv"))]
    files.append(("files", ("candidates.csv", BROKEN_CSV[case], "text/csv")))
    status, text = post_files(client, files)
    assert status == 400, text
    assert "candidates.csv" in text
    assert row_counts(sessions) == before  # the valid employers file is not stored either


def test_malformed_xlsx_is_refused_and_nothing_stored(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    before = row_counts(sessions)
    good = workbook_bytes([HEADER, ROW])
    cases = {
        "renamed text file": (REGION_SMALL / "candidates.csv").read_bytes(),
        "truncated zip": good[: len(good) // 2],
        "zip without a workbook": _zip_of({"readme.txt": b"hello"}),
        "understated member size": understated(good, "xl/worksheets/sheet1.xml", 40),
    }
    for case, content in cases.items():
        files: Files = [("files", ("candidates.xlsx", content, "application/octet-stream"))]
        status, text = post_files(client, files)
        assert status == 400, (case, text)
        assert "candidates.xlsx" in text, case
    assert row_counts(sessions) == before
    # the same workbook undamaged goes in: the refusals above are about the damage
    ok = post_files(client, [("files", ("candidates.xlsx", good, "application/octet-stream"))])
    assert ok[0] == 200, ok[1]


def _zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_is_refused_before_it_is_inflated(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    bomb = zip_bomb(BOMB_MB)
    [sheet] = [i for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist() if "sheet1" in i.filename]
    assert sheet.file_size > BOMB_MB * 2**20 * 0.99 and len(bomb) < 2**21  # a real bomb
    before = row_counts(sessions)
    started = time.perf_counter()
    status, text = post_files(client, [("files", ("candidates.xlsx", bomb, "application/zip"))])
    elapsed = time.perf_counter() - started
    assert status == 400, text
    assert "zipbom" in text
    # inflating and parsing it took openpyxl ~100 s before the guard; refusing it reads the
    # zip's directory only (generous bound for a loaded machine)
    assert elapsed < 10
    assert row_counts(sessions) == before


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("candidates.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
        ("candidates.csv", b"\x89PNG\r\n\x1a\n" + bytes(2048), "image/png"),
        ("candidates.xlsx", b"<html><body>not a workbook</body></html>", "text/html"),
        ("candidates", b"candidate_id\nK-1\n", "text/csv"),
    ],
    ids=["pdf", "png named .csv", "html named .xlsx", "no suffix"],
)
def test_wrong_file_types_are_refused(
    client: TestClient,
    sessions: sessionmaker[Session],
    name: str,
    content: bytes,
    content_type: str,
) -> None:
    before = row_counts(sessions)
    status, text = post_files(client, [("files", (name, content, content_type))])
    assert status == 400, text
    assert row_counts(sessions) == before


def test_requests_without_files_are_refused(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    before = row_counts(sessions)
    boundary = "werkmatch-test-boundary"
    empty_multipart = client.post(
        "/imports",
        content=f"--{boundary}--\r\n".encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    as_json = client.post("/imports", json={"files": ["candidates.csv"]})
    as_text = client.post(
        "/imports", content=b"candidate_id\nK-1\n", headers={"Content-Type": "text/csv"}
    )
    as_field = client.post("/imports", data={"files": "candidate_id\nK-1\n"})
    no_boundary = client.post(
        "/imports", content=b"--x\r\n", headers={"Content-Type": "multipart/form-data"}
    )
    for response in (empty_multipart, as_json, as_text, as_field, no_boundary):
        assert 400 <= response.status_code < 500, response.text
        assert response.status_code in (400, 422)
        assert isinstance(response.json()["detail"], str | list)
    assert row_counts(sessions) == before


def test_too_many_files_are_refused(client: TestClient, sessions: sessionmaker[Session]) -> None:
    before = row_counts(sessions)
    employers = (REGION_SMALL / "employers.csv").read_bytes()
    files: Files = [
        ("files", (f"employers_{i}.csv", employers, "text/csv")) for i in range(MAX_FILES + 1)
    ]
    status, text = post_files(client, files)
    assert status == 400, text
    assert f"hooguit {MAX_FILES}" in text
    assert row_counts(sessions) == before
    allowed = post_files(client, files[:MAX_FILES])
    assert allowed[0] == 200, allowed[1]


def test_malformed_content_length_is_no_server_error(client: TestClient) -> None:
    boundary = "werkmatch-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="notes.txt"\r\n\r\nhello\r\n--{boundary}--\r\n'
    ).encode()
    response = client.post(
        "/imports",
        content=body,
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": "12abc",
        },
    )
    assert 400 <= response.status_code < 500, response.text

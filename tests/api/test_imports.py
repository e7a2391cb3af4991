"""POST /imports: upload files, get the import report."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api import create_app
from api.routers.imports import get_normaliser
from matching.settings import Settings

REGION_SMALL = Path(__file__).parents[1] / "fixtures" / "region_small"
HEADER = "candidate_id,municipality_code,ladder_step,target_group,hours_available,status"


@pytest.fixture
def client(client: TestClient) -> TestClient:
    """The app's client with free text left unnormalised (the normaliser has its own tests)."""
    client.app.dependency_overrides[get_normaliser] = lambda: None  # type: ignore[attr-defined]
    return client


def upload(paths: list[Path]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (path.name, path.read_bytes(), "text/csv")) for path in paths]


def test_region_is_imported_and_reported(client: TestClient) -> None:
    response = client.post("/imports", files=upload(sorted(REGION_SMALL.iterdir())))
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["ok"], report["inserted"], report["rejected"]) == (True, 36, 0)
    assert [f["entity"] for f in report["files"]][:2] == ["employers", "candidates"]
    assert client.get("/candidates/K-0001").status_code == 200
    again = client.post("/imports", files=upload(sorted(REGION_SMALL.iterdir()))).json()
    assert (again["unchanged"], again["inserted"]) == (36, 0)


def test_rejected_rows_come_back_in_a_200_report(client: TestClient) -> None:
    body = f"{HEADER}\nK1,GM0575,7,regulier,20,active\nK2,GM0575,4,regulier,20,actief\n"
    files = [("files", ("candidates.csv", body.encode(), "text/csv"))]
    report = client.post("/imports", files=files).json()
    assert (report["ok"], report["inserted"], report["rejected"]) == (False, 1, 1)
    [error] = report["files"][0]["errors"]
    assert (error["row"], error["column"], error["reason"]) == (
        2,
        "ladder_step",
        "7 valt buiten het bereik 1–6",
    )


def test_dry_run_stores_nothing(client: TestClient) -> None:
    files = upload([REGION_SMALL / "employers.csv"])
    report = client.post("/imports", params={"dry_run": True}, files=files).json()
    assert report["dry_run"] and report["inserted"] == 5
    assert client.get("/employers/28011111").status_code == 404


def test_unreadable_file_is_400_and_nothing_is_stored(client: TestClient) -> None:
    files = upload([REGION_SMALL / "employers.csv"])
    files.append(("files", ("candidates.csv", bytes(range(256)) * 4, "text/csv")))
    response = client.post("/imports", files=files)
    assert response.status_code == 400
    assert "candidates.csv" in response.json()["detail"]
    assert client.get("/employers/28011111").status_code == 404
    other = client.post("/imports", files=[("files", ("notes.pdf", b"%PDF", "application/pdf"))])
    assert other.status_code == 400


def test_a_dry_run_tells_no_other_organisations_id_from_a_missing_one(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    """Leiden's admin proposing Noordwijk's K-0002 (never offered to Leiden) gets the words of
    an unknown id, through the API as in the pipeline (``matching.exchange.scope``)."""
    assert client.post("/imports", files=upload(sorted(REGION_SMALL.iterdir()))).json()["ok"]
    leiden = client_as("admin", ["GM0546"])

    def errors(candidate: str) -> list[tuple[int, str, str]]:
        body = (
            f"vacancy_id,candidate_id,proposed_on,outcome\nV-103,{candidate},2024-02-12,pending\n"
        )
        files = [("files", ("proposals.csv", body.encode(), "text/csv"))]
        report = leiden.post("/imports", params={"dry_run": True}, files=files).json()
        return [(e["row"], e["column"], e["reason"].replace(candidate, "…"))
                for f in report["files"] for e in f["errors"]]  # fmt: skip

    foreign, missing = errors("K-0002"), errors("K-9999")
    assert foreign == missing and [column for _row, column, _reason in foreign] == ["candidate_id"]


@pytest.fixture
def small_client(test_settings: Settings) -> Iterator[TestClient]:
    settings = test_settings.model_copy(update={"max_upload_bytes": 500})
    app = create_app(settings)
    app.dependency_overrides[get_normaliser] = lambda: None
    with TestClient(app) as test_client:
        yield test_client


def test_too_large_upload_is_413(small_client: TestClient) -> None:
    response = small_client.post("/imports", files=upload([REGION_SMALL / "candidates.csv"]))
    assert response.status_code == 413

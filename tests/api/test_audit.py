"""The audit log over HTTP: admins query it; imports are recorded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from api.routers.imports import get_normaliser

REGION_SMALL = Path(__file__).parents[1] / "fixtures" / "region_small"


def test_imports_are_audited_and_admins_query_the_log(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    client.app.dependency_overrides[get_normaliser] = lambda: None  # type: ignore[attr-defined]
    candidates = REGION_SMALL / "candidates.csv"
    employers = REGION_SMALL / "employers.csv"
    files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in (employers, candidates)]
    assert client.post("/imports", files=files, params={"dry_run": True}).status_code == 200
    assert client.post("/imports", files=files).status_code == 200
    page = client.get("/audit", params={"action": "import"}).json()
    assert page["count"] == 2
    stored, dry = page["data"]
    assert stored["detail"]["files"] == ["employers.csv", "candidates.csv"]
    assert stored["detail"]["inserted"] > 0 and stored["detail"]["dry_run"] is False
    assert dry["detail"]["dry_run"] is True and stored["role"] == "admin"
    assert client.get("/audit", params={"action": "audit.read"}).json()["count"] == 1
    assert client_as("accountmanager").get("/audit").status_code == 403
    since = client.get("/audit", params={"since": "2999-01-01T00:00:00Z"}).json()
    assert since["count"] == 0


def test_an_admin_reads_only_the_audit_rows_of_their_own_organisation(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    assert client.get("/audit").status_code == 200  # audited: a row by the first admin
    first = client.get("/audit", params={"action": "audit.read"}).json()["data"][0]["user_id"]
    other = client_as("admin", ["GM0575"])  # an admin of another organisation
    assert other.get("/audit").json()["count"] == 0
    rows = other.get("/audit", params={"limit": 500}).json()["data"]
    assert rows and first not in {row["user_id"] for row in rows}
    assert {row["action"] for row in rows} == {"audit.read"}

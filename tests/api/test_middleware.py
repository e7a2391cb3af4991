"""Security headers on every response; request bodies over the limit are 413, nothing stored;
a worker admits a bounded number of requests at once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import Message, Receive, Scope, Send

from api import create_app
from api.middleware import ConcurrencyLimit
from matching.settings import Settings
from matching.store import models

SQLITE = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent


@SQLITE
def test_security_headers_on_every_kind_of_response(
    client: TestClient, anonymous_client: TestClient
) -> None:
    for response in (
        anonymous_client.get("/healthz"),
        anonymous_client.get("/login"),
        anonymous_client.get("/candidates"),
        client.get("/candidates/none"),
    ):
        csp = response.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["cache-control"] == "no-store"
    docs = anonymous_client.get("/docs")
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def _small_app_client(test_settings: Settings, client: TestClient) -> TestClient:
    small = create_app(test_settings.model_copy(update={"max_upload_bytes": 1000}))
    small.state.store = client.app.state.store  # type: ignore[attr-defined]
    small.state.settings = test_settings
    return TestClient(small, headers=dict(client.headers))


@SQLITE
def test_bodies_over_the_limit_are_413(
    test_settings: Settings, client: TestClient, sessions: sessionmaker[Session]
) -> None:
    small = _small_app_client(test_settings, client)
    body = b"candidate_id,municipality_code\n" + b"K1,GM0575\n" * 200
    declared = small.post("/imports", files=[("files", ("candidates.csv", body, "text/csv"))])
    assert declared.status_code == 413 and "WERKMATCH_MAX_UPLOAD_BYTES" in declared.text

    def chunks() -> Iterator[bytes]:
        yield b'--x\r\nContent-Disposition: form-data; name="files"; filename="c.csv"\r\n\r\n'
        for _ in range(100):
            yield b"K1,GM0575\n" * 10

    streamed = small.post(
        "/imports", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert streamed.status_code == 413
    assert "x-content-type-options" in streamed.headers
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.Candidate)) == 0
    assert small.get("/candidates").status_code == 200


def test_at_most_the_limit_of_requests_run_at_once_and_the_rest_wait() -> None:
    running, most, answered = 0, 0, []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1
        answered.append(scope["path"])

    limited = ConcurrencyLimit(app, limit=2)

    async def main() -> None:
        calls = [limited({"type": "http", "path": f"/{i}"}, _receive, _send) for i in range(10)]
        await asyncio.gather(*calls)

    asyncio.run(main())
    assert most == 2 and sorted(answered) == sorted(f"/{i}" for i in range(10))
    asyncio.run(main())  # a second event loop (a new test client) gets slots of its own
    assert len(answered) == 20


async def _receive() -> Message:
    return {"type": "http.request", "body": b""}


async def _send(message: Message) -> None:
    return None


def test_the_app_admits_the_configured_number_of_requests(test_settings: Settings) -> None:
    app = create_app(test_settings.model_copy(update={"concurrent_requests": 3}))
    limits = [m.kwargs["limit"] for m in app.user_middleware if m.cls is ConcurrencyLimit]
    assert limits == [3]

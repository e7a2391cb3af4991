"""ASGI middleware: security headers on every response, a size limit on request bodies, a
bound on the requests a worker works on at once."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
from weakref import WeakKeyDictionary

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI and ReDoc (api/docs.py, local assets, no inline script) set style attributes and
# inject <style> elements, and ReDoc runs a worker from a blob: URL; nothing else is widened.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc"})


def csp_allowing_style(css: str) -> str:
    """The pages' CSP that also allows one inline ``<style>`` holding exactly ``css``, by its
    SHA-256 (for a self-contained document such as the evaluation report; no 'unsafe-inline').
    """
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return CSP.replace("style-src 'self'", f"style-src 'self' 'sha256-{digest}'")


HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class SecurityHeaders:
    """Add CSP, nosniff, frame denial, referrer policy; ``no-store`` outside /static."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault(
                    "Content-Security-Policy", DOCS_CSP if path in DOCS_PATHS else CSP
                )
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if not path.startswith("/static/"):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """A request body beyond the limit (FastAPI re-raises HTTPExceptions from body parsing)."""

    def __init__(self, limit: int) -> None:
        detail = f"Het verzoek is groter dan {limit} bytes (WERKMATCH_MAX_UPLOAD_BYTES)."
        super().__init__(status_code=413, detail=detail)


class BodySizeLimit:
    """413 for a request body over ``max_bytes``: by Content-Length, or counted while streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _reject(send, BodyTooLarge(self.max_bytes))
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge as error:
            if started:
                raise
            await _reject(send, error)


async def _reject(send: Send, error: BodyTooLarge) -> None:
    body = json.dumps({"detail": error.detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class ConcurrencyLimit:
    """At most ``limit`` requests in the app at once; the others wait their turn (FIFO).

    A request holds its database connection from its first statement to its commit, across
    the thread-pool hops between dependencies and endpoint. Unbounded, more requests than
    pooled connections left threads blocked on a connection held by requests that waited
    for a thread: a deadlock until the pool's 30 s timeout. Admitting no more requests than
    the pool has connections (``make_engine``) rules it out.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit
        # per event loop: a server has one, a test client starts one per client
        self._slots: WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            WeakKeyDictionary()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop) or self._slots.setdefault(loop, asyncio.Semaphore(self.limit))
        async with slots:
            await self.app(scope, receive, send)

"""Page fixtures: the shortlist store for TestClient tests; a served demo region and Chromium
for the browser tests (both once per session, only when a browser test asks for them)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from api import create_app
from demo.run import DEMO_PASSWORD, prepare_demo
from matching.bootstrap import open_store
from matching.settings import Settings
from tests.matching.shortlist.store_fixture import seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
DEMO_SCALE = 0.05  # 300 candidates, 75 employers, a few open vacancies: seconds to import


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The hand-made shortlist store (vacancy V1 in Noordwijk and its pool)."""
    seed(sessions)
    return sessions


@dataclass
class DemoSite:
    """The app served on 127.0.0.1 over a generated demo region."""

    base_url: str
    settings: Settings
    data_dir: Path
    password: str = DEMO_PASSWORD
    console: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        """An absolute URL of ``path``."""
        return self.base_url + path


def _serve(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Start uvicorn in a thread on a free loopback port; return when it accepts requests."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def demo_site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[DemoSite]:
    """A small generated region imported into a fresh SQLite store (a copy of the session's
    migrated template), served by uvicorn."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests")
    var = tmp_path_factory.mktemp("pages-demo")
    shutil.copyfile(sqlite_template, var / "werkmatch.db")
    settings = Settings(
        database_url=f"sqlite:///{var / 'werkmatch.db'}",
        var_dir=var,
        login_attempts_per_minute=1000,  # the browser modules sign in as am-demo many times a
    )  # minute on one shared site; the limits have tests of their own (test_login_limits.py)
    store = open_store(settings, migrate_schema=False)
    ready = prepare_demo(store, settings, scale=DEMO_SCALE, say=lambda _message: None)
    store.engine.dispose()
    server, thread, base_url = _serve(settings)
    yield DemoSite(base_url, settings, ready.data_dir)
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser).

    Per module, not per session: Playwright's sync API keeps an event loop running in the main
    thread while it is open, and a later test of the same worker that calls ``asyncio.run``
    (``tests/api/test_middleware.py``) failed with "cannot be called from a running event loop".
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()

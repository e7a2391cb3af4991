"""Per-worker listening sockets: each unpickled listener binds its own socket to the address,
and Linux spreads new connections over them."""

from __future__ import annotations

import pickle
import socket
import sys
from collections.abc import Iterator
from contextlib import closing

import pytest
from typer.testing import CliRunner

from api.listeners import (
    ReusePortListener,
    bind_reuse_port,
    reuse_port_supported,
    uvicorn_options,
)
from matching.cli import app
from matching.errors import InvalidInput
from matching.settings import Settings

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="SO_REUSEPORT spreads on Linux")


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port held by a plain listening socket (no SO_REUSEPORT)."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _accepted(sock: socket.socket) -> int:
    """Connections waiting in a listening socket's queue (accepted and closed)."""
    sock.setblocking(False)
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


def test_every_unpickled_listener_is_a_socket_of_its_own_and_connections_spread() -> None:
    probe = bind_reuse_port("127.0.0.1", 0)
    port = probe.getsockname()[1]
    listener = ReusePortListener("127.0.0.1", port)
    first, second = (pickle.loads(pickle.dumps(listener)) for _ in range(2))
    try:
        assert isinstance(first, socket.socket) and first.fileno() != second.fileno()
        assert first.getsockname() == second.getsockname() == ("127.0.0.1", port)
        first.listen(128)
        second.listen(128)
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(64)]
        counts = [_accepted(first), _accepted(second)]
        for client in clients:
            client.close()
    finally:
        for sock in (probe, first, second):
            sock.close()
    assert sum(counts) == 64
    assert min(counts) > 0  # all 64 on one socket: chance 2**-63 if the kernel hashes


def test_a_taken_port_is_a_clear_error(taken_port: int) -> None:
    with pytest.raises(InvalidInput, match=f"cannot listen on 127.0.0.1:{taken_port}"):
        bind_reuse_port("127.0.0.1", taken_port)


def test_serve_with_workers_on_a_taken_port_exits_with_the_reason(taken_port: int) -> None:
    result = CliRunner().invoke(app, ["serve", "--workers", "2", "--port", str(taken_port)])
    assert result.exit_code == 1
    assert "cannot listen on" in result.output


def test_port_zero_keeps_uvicorns_shared_socket() -> None:
    assert not reuse_port_supported(0)
    assert reuse_port_supported(8000)


def test_forwarded_headers_are_believed_only_from_trusted_proxies() -> None:
    default = uvicorn_options(Settings(), host="127.0.0.1", port=8000)
    assert default["proxy_headers"] is False and default["factory"] is True
    assert default["timeout_worker_healthcheck"] == 60  # not uvicorn's 5 s (WORKER_START_SECONDS)
    behind = uvicorn_options(Settings(trusted_proxies=" 10.0.0.5, 10.1.0.0/16 "), port=1)
    assert behind["proxy_headers"] is True
    assert behind["forwarded_allow_ips"] == "10.0.0.5,10.1.0.0/16"
    with pytest.raises(ValueError, match="not an IP address"):
        Settings(trusted_proxies="*")

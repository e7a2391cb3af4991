"""Listening sockets of ``werkmatch serve --workers N``: one socket per worker process.

uvicorn's supervisor binds one socket in the parent and every worker accepts from it. The
worker whose event loop wakes first accepts every connection that is waiting, so a burst of
keep-alive connections (a load balancer's pool, a load test) lands on one process: in 3 of 4
benchmark runs of `wrk -c8` against two workers, one worker served everything and the other
was idle.
With ``SO_REUSEPORT`` each worker binds its own socket to the same address and Linux hashes
each new connection to one of them, so the load spreads over the workers.

The supervisor is still uvicorn's (restarts, ``SIGHUP``, ``SIGTTIN``/``SIGTTOU``): it is given a
``ReusePortListener`` instead of a socket, and every worker it spawns, restarted ones too,
unpickles that into a fresh socket of its own. The price: connections still waiting in the
queue of a worker that dies are reset instead of going to another worker.
"""

from __future__ import annotations

import socket
import sys
from dataclasses import dataclass
from typing import Any, cast

import uvicorn
from uvicorn.supervisors import Multiprocess

from matching.errors import InvalidInput
from matching.settings import Settings

WORKER_START_SECONDS = 60
"""How long the supervisor of ``serve --workers N`` waits for a worker to answer. uvicorn's 5 s
are less than a worker needs to import the app on a busy 2-core machine, and the supervisor
then killed and restarted every worker forever (seen in the national benchmark)."""


def uvicorn_options(settings: Settings, **options: Any) -> dict[str, Any]:
    """The uvicorn options of every way werkmatch serves (``serve``, ``demo``): ``options``
    plus the app factory and whom to believe about the client's address.

    uvicorn believes ``X-Forwarded-For`` from 127.0.0.1 by default, so any local process could
    claim any address (and rotate it past the login limits). Forwarded headers count only when
    the peer is one of ``WERKMATCH_TRUSTED_PROXIES``; by default nobody's do.
    """
    proxies = settings.trusted_proxies
    return {
        "factory": True,
        "timeout_worker_healthcheck": WORKER_START_SECONDS,
        **options,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or "",
    }


def reuse_port_supported(port: int) -> bool:
    """Whether per-worker sockets spread connections here: Linux, and a fixed port (port 0
    would give every worker a port of its own)."""
    return sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT") and port != 0


def bind_reuse_port(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` with ``SO_REUSEPORT``, not yet listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise InvalidInput(f"cannot listen on {host}:{port}: {error.strerror}") from error
    return sock


@dataclass(frozen=True)
class ReusePortListener:
    """A picklable stand-in for a listening socket: each process that unpickles it (a spawned
    worker) binds a socket of its own to the same address."""

    host: str
    port: int

    def __reduce__(self) -> tuple[object, tuple[str, int]]:
        return (bind_reuse_port, (self.host, self.port))


def serve_workers(config: uvicorn.Config) -> None:
    """Run ``config.workers`` uvicorn workers, each on its own ``SO_REUSEPORT`` socket."""
    bind_reuse_port(config.host, config.port).close()  # a clear error now, not in every worker
    listener = ReusePortListener(config.host, config.port)
    Multiprocess(config, sockets=[cast(socket.socket, listener)]).run()

"""In-memory sliding-window rate limits (per process) on login attempts.

Four limits, each per minute: attempts per user name and address (a typo-prone user is slowed,
nobody else); failed logins per user name from any address (one account guessed from many
addresses); failed logins per address, any user name (spraying from one address); and failed
logins in all (spraying from many). The address is the TCP peer unless it is one of
``WERKMATCH_TRUSTED_PROXIES`` (``api.listeners.uvicorn_options``). The price of the
account and global limits: whoever can fail logins fast can hold them closed for a minute.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Hashable

from matching.settings import Settings


class RateLimiter:
    """At most ``limit`` hits per ``window`` seconds per key."""

    def __init__(
        self, limit: int, window: float = 60.0, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: defaultdict[Hashable, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def wait(self, key: Hashable) -> float:
        """0 when a hit would be allowed now, else the seconds until it is; counts nothing."""
        now = self.clock()
        with self._lock:
            hits = self._live(key, now)
            return hits[0] + self.window - now if len(hits) >= self.limit else 0.0

    def hit(self, key: Hashable) -> float:
        """Count one hit; 0 when allowed, else the seconds until the next hit is allowed."""
        now = self.clock()
        with self._lock:
            hits = self._live(key, now)
            if len(hits) >= self.limit:
                return hits[0] + self.window - now
            hits.append(now)
            if len(self._hits) > 100_000:  # bound memory under a spray of keys
                self._forget_idle(now)
            return 0.0

    def _live(self, key: Hashable, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[key]


class LoginLimits:
    """The four login limits of the module doc."""

    def __init__(
        self,
        *,
        per_user_and_ip: int,
        failures_per_account: int,
        failures_per_ip: int,
        failures_in_all: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.attempts = RateLimiter(per_user_and_ip, clock=clock)
        self.account = RateLimiter(failures_per_account, clock=clock)
        self.address = RateLimiter(failures_per_ip, clock=clock)
        self.everyone = RateLimiter(failures_in_all, clock=clock)

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimits:
        """The limits configured in ``settings``."""
        return cls(
            per_user_and_ip=settings.login_attempts_per_minute,
            failures_per_account=settings.login_failures_per_account,
            failures_per_ip=settings.login_failures_per_ip,
            failures_in_all=settings.login_failures_per_minute,
        )

    def attempt(self, user: str, ip: str) -> tuple[str, float] | None:
        """Count an attempt; None when it may go ahead, else (which limit, seconds to wait)."""
        user = user.lower()
        waits = {
            "account": self.account.wait(user),
            "ip": self.address.wait(ip),
            "all": self.everyone.wait(None),
        }
        if user_and_ip := self.attempts.hit((user, ip)):
            waits["user_and_ip"] = user_and_ip
        limit, wait = max(waits.items(), key=lambda item: item[1])
        return (limit, wait) if wait > 0 else None

    def failed(self, user: str, ip: str) -> None:
        """Count a failed login against the account, the address and everyone."""
        self.account.hit(user.lower())
        self.address.hit(ip)
        self.everyone.hit(None)

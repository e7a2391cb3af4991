"""The kinds of job: a name, the body, and the type of its result (kept as JSON).

A room that has long work registers a ``Kind``; the job rows name it and any worker process
runs its body. ``matching`` registers import, training and allocation (``builtin.py``);
packages beside ``matching`` name a module that registers theirs in the entry-point group
``werkmatch.jobs`` (``evaluation.report_job``), loaded when a worker meets a kind it does not
know yet (imports point one way: ``matching`` never imports them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import TypeAdapter

from matching.access.users import Principal
from matching.errors import NotFound, WerkmatchError
from matching.settings import Settings

if TYPE_CHECKING:
    from matching.bootstrap import Store


class JobCancelled(WerkmatchError):
    """The job was asked to stop; its transaction is rolled back."""


class Progress(Protocol):
    """Where a job body reports how far it is; ``report`` raises ``JobCancelled`` when the
    job was cancelled meanwhile."""

    def report(self, message: str, done: int = 0, total: int = 0) -> None:
        """A message and optionally done/total units."""


@dataclass(frozen=True)
class Work:
    """What a job body gets: the store, the settings, who asked, the parameters, progress."""

    store: Store
    settings: Settings
    principal: Principal
    params: dict[str, Any]
    progress: Progress


@dataclass(frozen=True)
class Kind:
    """One kind of job; ``result`` is a type pydantic reads and writes (a dataclass, ``str``);
    ``on_this_host``: it reads files saved on the host that asked for it (an upload), so only
    workers of that host may run it."""

    name: str
    label: str
    run: Callable[[Work], Any]
    result: Any = str
    on_this_host: bool = False

    def encode(self, value: Any) -> Any:
        """The result as JSON-ready data."""
        return _adapter(self.result).dump_python(value, mode="json")

    def decode(self, data: Any) -> Any:
        """The result read back from JSON-ready data."""
        return None if data is None else _adapter(self.result).validate_python(data)


@functools.cache
def _adapter(result: Any) -> TypeAdapter[Any]:
    return TypeAdapter(result)


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Make ``kind`` known to this process (again: replaced)."""
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    """The kind called ``name``; NotFound when no room registered it (module doc)."""
    if name not in _KINDS:
        _load_contributed()
    if name not in _KINDS:
        raise NotFound(f"Onbekende soort taak: {name}")
    return _KINDS[name]


@functools.cache
def _load_contributed() -> None:
    """Import the modules of the entry-point group ``werkmatch.jobs`` (once)."""
    for entry in entry_points(group="werkmatch.jobs"):
        entry.load()


def names() -> list[str]:
    """The names of the registered kinds."""
    return sorted(_KINDS)

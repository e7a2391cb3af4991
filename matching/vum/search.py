"""A VUM search over documents: the ``selectiegebied`` first, then the zoekvraag, nearest first.

Pure: documents, their places and the PC4 centroids come in; summaries come out. Distance is
measured between PC4 centroids (the four digits of a postcode), so a source that knows PC6
coordinates may include or leave out a document near the edge of the area that this one does
not (a PC4 area is a few km across; README "VUM").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from features.pool import EARTH_RADIUS_KM, unit_vectors
from matching.reference import read_table
from matching.vum.query import Fields, QueryError, compile_query
from matching.vum.shape import Shape, project

DEFAULT_LIMIT = 100  # the standard's default maximum number of results per zoekvraag
Centroids = Mapping[str, tuple[float, float]]
_POSTCODE = re.compile(r"^[0-9]{4}[a-zA-Z]{2}$")


@dataclass(frozen=True)
class Area:
    """The ``selectiegebied``: a postcode and a radius in km."""

    postcode: str
    km: int

    @classmethod
    def parse(cls, value: Any) -> Area:
        """The area of a zoekvraag's ``selectiegebied``; QueryError when it is not valid."""
        where = "zoekvraag.selectiegebied"
        if not isinstance(value, Mapping):
            raise QueryError(f"{where}: ontbreekt of is geen object met postcode en afstand")
        postcode, km = value.get("postcode"), value.get("afstand")
        if not isinstance(postcode, str) or not _POSTCODE.fullmatch(postcode):
            raise QueryError(f"{where}.postcode: geen postcode als 1234AB")
        if isinstance(km, bool) or not isinstance(km, int) or not 0 <= km <= 999:
            raise QueryError(f"{where}.afstand: een geheel aantal km van 0 tot en met 999")
        return cls(postcode.upper(), km)


@dataclass(frozen=True)
class Located:
    """A document and the postcode that places it (None: it cannot be placed)."""

    id: str
    document: Mapping[str, Any]
    postcode: str | None


@dataclass(frozen=True)
class Result:
    """The response body of ``POST …/matches``: summaries and whether more would match."""

    summaries: list[dict[str, Any]]
    more: bool

    def body(self) -> dict[str, Any]:
        """As the contract writes it."""
        return {"maximumAantalResultatenBereikt": self.more, "matches": self.summaries}


def split(zoekvraag: Any) -> tuple[Area, dict[str, Any]]:
    """The area and the query proper of a zoekvraag."""
    if not isinstance(zoekvraag, Mapping):
        raise QueryError("zoekvraag: een zoekvraag is een JSON-object")
    query = {k: v for k, v in zoekvraag.items() if k != "selectiegebied"}
    return Area.parse(zoekvraag.get("selectiegebied")), query


def search(
    zoekvraag: Any,
    documents: Sequence[Located],
    *,
    fields: Fields,
    summary: Shape,
    centroids: Centroids,
    limit: int = DEFAULT_LIMIT,
) -> Result:
    """Documents in the area that satisfy the zoekvraag, nearest first, at most ``limit``."""
    area, query = split(zoekvraag)
    predicate = compile_query(query, fields)
    origin = centroids.get(area.postcode[:4])
    if origin is None:
        raise QueryError(
            f"zoekvraag.selectiegebied.postcode: postcodegebied {area.postcode[:4]} is onbekend"
        )
    km = distances_km(origin, [centroids.get((d.postcode or "")[:4]) for d in documents])
    near = [int(i) for i in np.flatnonzero(km <= area.km)]
    inside = [i for i in near if predicate(documents[i].document)]
    inside.sort(key=lambda i: (float(km[i]), documents[i].id))
    chosen = inside[:limit]
    return Result([project(documents[i].document, summary) for i in chosen], len(inside) > limit)


def distances_km(
    origin: tuple[float, float], points: Sequence[tuple[float, float] | None]
) -> np.ndarray:
    """Great-circle km from ``origin`` to each point; infinite where a point is unknown."""
    nan = (float("nan"), float("nan"))
    lat, lon = np.array([p or nan for p in points], dtype=np.float64).reshape(-1, 2).T
    xyz = unit_vectors(lat, lon).astype(np.float64)
    here = unit_vectors(np.array([origin[0]]), np.array([origin[1]])).astype(np.float64)
    chord = np.linalg.norm(xyz - here, axis=0)
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0))
    return np.where(np.isnan(km), np.inf, km)


@cache
def pc4_centroids() -> dict[str, tuple[float, float]]:
    """Latitude and longitude of every PC4 area of the bundled reference data."""
    frame = read_table("pc4")
    return {
        str(p): (float(a), float(b))
        for p, a, b in zip(frame["pc4"], frame["lat"], frame["lon"], strict=True)
        if a == a and b == b  # not NaN
    }

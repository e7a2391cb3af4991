"""The cross-municipality fallback policy: defaults in Settings, override per organisation.

Levels, in the order they are tried: ``own`` (candidates living in the vacancy's municipality),
``region`` (candidates of the other municipalities of the vacancy's labour-market region who
gave ``consent_regional``), ``nearby`` (consenting candidates outside the region living within
``radius_km`` of the workplace). The next level is used only while fewer than ``limit``
candidates of the earlier levels reach ``threshold`` (p_durable).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal, cast, get_args

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from matching.access.users import now
from matching.errors import InvalidInput, NotFound
from matching.settings import Settings
from matching.store.access import Organisation
from matching.store.db import table
from matching.store.matching_state import OrganisationPolicy

Level = Literal["own", "region", "nearby"]
LEVELS: tuple[Level, ...] = get_args(Level)
Order = Literal["best", "nearest"]
ORDERS: tuple[Order, ...] = get_args(Order)


@dataclass(frozen=True)
class FallbackPolicy:
    """Quality threshold (p_durable), radius of ``nearby``, the levels and their order.

    ``order`` sorts the fallback candidates who reach the threshold: ``best`` by score (which
    already weighs distance and mobility), ``nearest`` by distance, then score.
    """

    threshold: float = 0.35
    radius_km: float = 25.0
    levels: tuple[Level, ...] = LEVELS
    order: Order = "best"

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise InvalidInput("De drempel is een kans tussen 0 en 1.")
        if self.radius_km < 0:
            raise InvalidInput("De straal kan niet negatief zijn.")
        if not self.levels or self.levels[0] != "own" or len(set(self.levels)) < len(self.levels):
            raise InvalidInput("De niveaus beginnen met 'own' en noemen elk niveau één keer.")
        if set(self.levels) - set(LEVELS) or self.order not in ORDERS:
            raise InvalidInput(f"Niveaus: {', '.join(LEVELS)}; volgorde: best of nearest.")

    def as_dict(self) -> dict[str, Any]:
        """The policy as JSON-ready values."""
        return {**dataclasses.asdict(self), "levels": list(self.levels)}


def default_policy(settings: Settings) -> FallbackPolicy:
    """The policy from ``WERKMATCH_FALLBACK_THRESHOLD`` and ``WERKMATCH_FALLBACK_RADIUS_KM``."""
    return FallbackPolicy(
        threshold=settings.fallback_threshold, radius_km=settings.fallback_radius_km
    )


def policy_from(values: dict[str, Any], base: FallbackPolicy) -> FallbackPolicy:
    """``base`` with the fields present in ``values`` replaced (unknown keys refused)."""
    unknown = set(values) - {f.name for f in dataclasses.fields(FallbackPolicy)}
    if unknown:
        raise InvalidInput(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    changes = dict(values)
    if "levels" in changes:
        changes["levels"] = tuple(cast(list[Level], changes["levels"]))
    return dataclasses.replace(base, **changes)


def policy_for(session: Session, organisation_id: str | None, settings: Settings) -> FallbackPolicy:
    """The organisation's policy: its stored override on top of the Settings defaults."""
    base = default_policy(settings)
    stored = session.scalar(_POLICY, {"id": organisation_id}) if organisation_id else None
    return base if stored is None else policy_from(stored, base)


_POLICY = select(table(OrganisationPolicy).c.fallback_policy).where(
    table(OrganisationPolicy).c.organisation_id == bindparam("id")
)


def set_policy(
    session: Session, organisation_id: str, values: dict[str, Any], settings: Settings
) -> FallbackPolicy:
    """Store (replace) an organisation's override; returns the effective policy."""
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"Organisatie {organisation_id!r} niet gevonden.")
    policy = policy_from(values, default_policy(settings))
    row = session.get(OrganisationPolicy, organisation_id)
    if row is None:
        session.add(
            OrganisationPolicy(
                organisation_id=organisation_id, fallback_policy=dict(values), updated_at=now()
            )
        )
    else:
        row.fallback_policy, row.updated_at = dict(values), now()
    session.flush()
    return policy

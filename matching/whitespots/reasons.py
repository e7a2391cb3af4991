"""The reasons behind a white spot's potential, in Dutch, for the job hunter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matching.dutch import number
from matching.whitespots.occupations import OccupationMix


@dataclass(frozen=True)
class Facts:
    """What the reasons of one employer are made of."""

    fits: Sequence[tuple[str, int]]  # (Dutch occupation label, fitting candidates)
    mix: OccupationMix
    radius_km: float
    nearby: int
    recent: int
    employees: int | None
    sector: str | None  # Dutch name of the SBI section
    region: str


def _fit_reasons(fits: Sequence[tuple[str, int]], radius: str) -> list[str]:
    """'14 werkzoekenden binnen 10 km passen bij schoonmaker', best first."""
    found = [
        f"1 werkzoekende binnen {radius} km past bij {label}"
        if n == 1
        else f"{number(n)} werkzoekenden binnen {radius} km passen bij {label}"
        for label, n in sorted(fits, key=lambda f: -f[1])
        if n > 0
    ]
    if found:
        return found
    labels = ", ".join(label for label, _ in fits)
    return [f"geen passende werkzoekenden binnen {radius} km voor {labels}"]


def _basis_reason(mix: OccupationMix, sector: str | None) -> str:
    """Where the typical occupations come from."""
    learned = f"typische beroepen geleerd uit {number(mix.vacancies)} vacatures"
    if mix.basis == "division":
        return f"{learned} in SBI {mix.sbi}"
    if mix.basis == "section":
        return f"{learned} in de sector {sector}"
    if mix.basis == "all":
        return f"geen SBI-code: typische beroepen uit alle {number(mix.vacancies)} vacatures"
    if sector is None:
        return "geen SBI-code en nog geen vacatures: typische beroepen uit de vaste tabel"
    return f"nog geen vacatures in de sector {sector}: typische beroepen uit de vaste tabel"


def reasons(facts: Facts) -> tuple[str, ...]:
    """The reasons, most telling first: fitting candidates, demand, size, centrality, basis."""
    radius = f"{facts.radius_km:g}"
    out = _fit_reasons(facts.fits, radius)
    if facts.sector is not None:
        out.append(
            f"{number(facts.recent)} vacatures in de sector {facts.sector} in {facts.region} "
            "in de afgelopen 12 maanden"
        )
    out.append(
        f"{number(facts.employees)} medewerkers" if facts.employees is not None
        else "aantal medewerkers onbekend"
    )  # fmt: skip
    out.append(f"{number(facts.nearby)} actieve werkzoekenden binnen {radius} km")
    out.append(_basis_reason(facts.mix, facts.sector))
    return tuple(out)

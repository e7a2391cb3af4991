"""The explanation of one shortlist entry, in Dutch taxonomy terms, built from its features.

Every part has a ``text`` the account manager reads and the facts it was made from; numbers
never stand alone. ``contributions`` names the features that moved the score most.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from features.pairwise import COLUMN, FEATURE_NAMES
from features.pool import SBI_SECTIONS, VacancyArrays
from matching.columns import EDUCATION
from matching.dutch import percent
from matching.shortlist.competences import competences
from matching.shortlist.labels import Labels

FEATURE_LABELS: dict[str, str] = {
    "required_coverage": "vereiste competenties",
    "optional_coverage": "gewenste competenties",
    "same_occupation": "ervaring in hetzelfde beroep",
    "same_isco4": "ervaring in de beroepsgroep",
    "same_isco3": "ervaring in een verwante beroepsgroep",
    "essential_share": "kernvaardigheden van het beroep",
    "sector_match": "sectorvoorkeur",
    "distance_km": "afstand",
    "within_travel": "binnen de eigen reisafstand",
    "mobility": "bereikbaarheid (afstand en rijbewijs)",
    "hours_fit": "uren",
    "hours_floor": "minstens 16 uur",
    "readiness": "trede op de participatieladder",
    "education_met": "opleidingsniveau",
    "language_met": "taal",
    "licence_met": "rijbewijs",
    "available_by_start": "beschikbaar op de startdatum",
    "required_experience": "vereiste competenties waarschijnlijk aanwezig (werkervaring)",
    "required_related": "vereiste competenties mogelijk aanwezig (verwant aan werkervaring)",
    "same_family": "ervaring in een verwant beroep",
    "beyond_travel_km": "afstand voorbij de eigen reisafstand",
    "distance_over_5km": "afstand boven 5 km",
    "distance_over_15km": "afstand boven 15 km",
    "distance_no_licence": "afstand zonder rijbewijs",
    "hours_short": "uren tekort",
    "hours_excess": "uren over",
    "distance_over_10km": "afstand boven 10 km",
    "required_recorded": "vereiste competenties precies vastgelegd",
}
LADDER = {
    1: "geïsoleerd",
    2: "sociale contacten buitenshuis",
    3: "deelname aan georganiseerde activiteiten",
    4: "onbetaald werk",
    5: "betaald werk met ondersteuning",
    6: "betaald werk",
}
TOP_CONTRIBUTIONS = 4


def number(value: float, digits: int = 1) -> str:
    """A number the Dutch way: decimal comma."""
    return f"{value:.{digits}f}".replace(".", ",")


@dataclass(frozen=True)
class Entry:
    """What one explanation is made of; features and contributions as plain floats (read one
    by one, a Python list is several times faster than numpy scalars)."""

    row: int
    features: Sequence[float]
    contributions: Sequence[float]
    level: str
    pseudonymised: bool
    fallback_reason: str | None


def experience(
    pool: Any, row: int, vacancy: VacancyArrays, f: Sequence[float], labels: Labels
) -> dict[str, Any]:
    """Same occupation, same ISCO unit group, same minor group, or none."""
    occ = pool.occupation_space
    held = pool.occupations.indices[pool.occupations.indptr[row] : pool.occupations.indptr[row + 1]]
    names = [labels.occupations.get(occ.uris[o], occ.uris[o]) for o in held.tolist()]
    v_occ = int(vacancy.occupation[0])
    v_label = labels.occupations.get(occ.uris[v_occ], "") if v_occ >= 0 else ""
    isco4 = occ.isco4_codes[int(vacancy.isco4[0])] if vacancy.isco4[0] >= 0 else ""
    if vacancy.group_level[0]:
        return _group_experience(pool, row, vacancy, f, labels)
    if f[COLUMN["same_occupation"]] == 1:
        level, text = "same_occupation", f"Heeft gewerkt als {v_label} (hetzelfde beroep)."
    elif f[COLUMN["same_isco4"]] == 1:
        level = "same_isco4"
        text = (
            f"Ervaring in dezelfde beroepsgroep ({labels.isco.get(isco4, isco4)}): "
            + ", ".join(
                n
                for o, n in zip(held.tolist(), names, strict=True)
                if occ.isco4[o] == vacancy.isco4[0]
            )
            + "."
        )
    elif f[COLUMN["same_isco3"]] == 1:
        level = "same_isco3"
        text = f"Ervaring in een verwante beroepsgroep ({labels.isco.get(isco4[:3], isco4[:3])})."
    else:
        level = "none"
        text = "Geen ervaring in dit of een verwant beroep bekend."
    return {"level": level, "occupations": names, "text": text}


def _group_experience(
    pool: Any, row: int, vacancy: VacancyArrays, f: Sequence[float], labels: Labels
) -> dict[str, Any]:
    """Experience against a broad title normalised to an ISCO group: within the group (partial
    occupation credit), in the wider minor group, or none."""
    occ = pool.occupation_space
    held = pool.occupations.indices[pool.occupations.indptr[row] : pool.occupations.indptr[row + 1]]
    names = [labels.occupations.get(occ.uris[o], occ.uris[o]) for o in held.tolist()]
    four = bool(vacancy.isco4[0] >= 0)
    groups, wanted = (occ.isco4, vacancy.isco4[0]) if four else (occ.isco3, vacancy.isco3[0])
    code = (occ.isco4_codes if four else occ.isco3_codes)[int(wanted)]
    group = labels.isco.get(code, code)
    within = [n for o, n in zip(held.tolist(), names, strict=True) if groups[o] == wanted]
    if f[COLUMN["same_occupation"]] > 0:
        level = "same_group"
        shown = f": {', '.join(within)}" if within else ""
        text = (
            f"Ervaring in de beroepsgroep {group} van de vacature{shown} (telt gedeeltelijk: "
            "de vacature noemt een beroepsgroep, geen beroep)."
        )
    elif four and f[COLUMN["same_isco3"]] == 1:
        level = "same_isco3"
        text = f"Ervaring in een verwante beroepsgroep ({labels.isco.get(code[:3], code[:3])})."
    else:
        level = "none"
        text = f"Geen ervaring in de beroepsgroep {group} bekend."
    return {"level": level, "occupations": names, "text": text}


def sector(
    pool: Any, row: int, vacancy: VacancyArrays, f: Sequence[float], labels: Labels
) -> dict[str, Any]:
    """Is the employer's SBI section among the candidate's sector preferences?"""
    mask = int(pool.sector_preferences[row])
    prefs = [labels.sections.get(s, s) for i, s in enumerate(SBI_SECTIONS) if mask >> i & 1]
    section = int(vacancy.sbi_section[0])
    name = labels.sections.get(SBI_SECTIONS[section], "") if section >= 0 else None
    value = float(f[COLUMN["sector_match"]])
    if name is None:
        text = "Sector van de werkgever onbekend."
    elif not prefs:
        text = "Geen sectorvoorkeur bekend."
    elif value == 1:
        text = f"Wil graag werken in de sector {name}."
    else:
        text = f"Voorkeur voor andere sectoren ({', '.join(prefs)}), niet {name}."
    return {
        "match": None if value == 0.5 else value == 1,
        "sector": name,
        "preferences": prefs,
        "text": text,
    }


def travel(pool: Any, row: int, f: Sequence[float], *, pseudonymised: bool) -> dict[str, Any]:
    """Distance, own maximum travel distance and driving licence."""
    d = float(f[COLUMN["distance_km"]])
    reach = float(pool.max_travel_km[row])
    licence = int(pool.driving_licence[row])
    if math.isnan(d):
        return {
            "distance_km": None,
            "max_travel_km": None,
            "driving_licence": None,
            "text": "Afstand onbekend (geen postcode of gemeente met coördinaten).",
        }
    shown = round(d) if pseudonymised else round(d, 1)
    text = f"Woont op {number(shown, 0 if pseudonymised else 1)} km van het werk"
    if math.isnan(reach):
        text += "; maximale reisafstand onbekend"
    elif d <= reach:
        text += f", binnen de eigen reisafstand van {reach:.0f} km"
    else:
        text += f", verder dan de eigen reisafstand van {reach:.0f} km"
    text += {
        1: "; heeft een rijbewijs.",
        0: "; heeft geen rijbewijs.",
        -1: "; rijbewijs onbekend.",
    }[licence]
    return {
        "distance_km": shown,
        "max_travel_km": None if math.isnan(reach) else reach,
        "driving_licence": None if licence < 0 else bool(licence),
        "text": text,
    }


def hours(pool: Any, row: int, vacancy: VacancyArrays) -> dict[str, Any]:
    """Hours the candidate is available against the hours asked."""
    have, asked = float(pool.hours_available[row]), float(vacancy.hours[0])
    text = f"Beschikbaar {have:.0f} uur per week; de vacature vraagt {asked:.0f} uur"
    text += "." if have >= asked else f" ({percent(have / asked)} daarvan)."
    return {"available": have, "asked": asked, "text": text}


def readiness(pool: Any, row: int) -> dict[str, Any]:
    """The participation-ladder step and its name."""
    step = int(pool.ladder_step[row])
    return {
        "ladder_step": step,
        "text": f"Trede {step} van de participatieladder ({LADDER.get(step, '?')}).",
    }


def requirements(f: Sequence[float]) -> list[str]:
    """Education, language, licence and availability in words."""
    words = {
        "education_met": (
            "voldoet aan het gevraagde opleidingsniveau",
            "opleidingsniveau lager dan gevraagd",
            "opleidingsniveau onbekend",
        ),
        "language_met": (
            "spreekt de gevraagde taal",
            "spreekt de gevraagde taal niet",
            "talen onbekend",
        ),
        "licence_met": ("rijbewijs in orde", "geen rijbewijs", "rijbewijs onbekend"),
        "available_by_start": ("beschikbaar op de startdatum", "nog niet beschikbaar", ""),
    }
    out = []
    for name, (yes, no, unknown) in words.items():
        v = float(f[COLUMN[name]])
        out.append((yes if v == 1 else no if v == 0 else unknown).capitalize() + ".")
    return out


GROUP_LABELS: dict[str, str] = {"same_occupation": "ervaring in de beroepsgroep van de vacature"}
"""Labels that differ when the vacancy's title is an ISCO group (a broad title)."""


def contributions(
    c: Sequence[float], f: Sequence[float], *, group_level: bool = False
) -> list[dict[str, Any]]:
    """The features that moved the score most, in words, strongest first (ties: column order)."""
    order = sorted(range(len(c)), key=lambda i: -abs(c[i]))[:TOP_CONTRIBUTIONS]
    labels = FEATURE_LABELS | GROUP_LABELS if group_level else FEATURE_LABELS
    return [
        {
            "feature": FEATURE_NAMES[i],
            "label": labels[FEATURE_NAMES[i]],
            "value": round(float(f[i]), 3),
            "contribution": round(float(c[i]), 3),
            "text": ("telt mee: " if c[i] >= 0 else "telt tegen: ") + labels[FEATURE_NAMES[i]],
        }
        for i in order
        if c[i] != 0
    ]


def education_label(rank: int) -> str | None:
    """The exchange-format education code of a rank."""
    return EDUCATION.values[rank] if 0 <= rank < len(EDUCATION.values) else None


def explain(
    pool: Any, vacancy: VacancyArrays, entry: Entry, labels: Labels, *, municipality: str
) -> dict[str, Any]:
    """The full explanation of one entry (module doc)."""
    m = vacancy.required, vacancy.optional
    req, opt = (x.indices[x.indptr[0] : x.indptr[1]].astype(np.int64) for x in m)
    f, row = entry.features, entry.row
    candidate: dict[str, Any] = {"municipality": municipality, "pseudonymised": entry.pseudonymised}
    if not entry.pseudonymised:
        candidate["education_level"] = education_label(int(pool.education_rank[row]))
    parts: dict[str, Any] = {
        "candidate": candidate,
        "competences": competences(pool, row, req, opt, labels),
        "experience": experience(pool, row, vacancy, f, labels),
        "sector": sector(pool, row, vacancy, f, labels),
        "travel": travel(pool, row, f, pseudonymised=entry.pseudonymised),
        "hours": hours(pool, row, vacancy),
        "readiness": readiness(pool, row),
        "requirements": requirements(f),
        "contributions": contributions(
            entry.contributions, f, group_level=bool(vacancy.group_level[0])
        ),
        "fallback": entry.fallback_reason,
    }
    parts["summary"] = " ".join(
        parts[k]["text"] for k in ("competences", "experience", "travel", "hours", "readiness")
    )
    return parts

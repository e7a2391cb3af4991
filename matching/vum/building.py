"""Our records as VUM documents: for the export and for the VUM source.

The inverse of ``matching.vum.mapping``, working on the same exchange-format cells. A record
imported from VUM gives back its stored original (``matching.vum.documents``), except that the
VUM fields of each column whose value changed in werkmatch since the import are replaced by
that column's current value (``CANDIDATE_PATHS``, ``VACANCY_PATHS``). Other records are built
from our fields; importing a built document gives the same cells back, but for what README
"VUM" lists as lost. Ladder step, benefit, target group (but the doelgroepregister flag),
status and consent have no place in VUM and never leave werkmatch; an id that VUM cannot
carry, or that looks like a BSN, is refused (``id_problem``).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import numpy as np
from pydantic import ValidationError

from matching.exchange.values import bsn_reason
from matching.reference import read_table
from matching.vum import mapping
from matching.vum import model as vm

Document = dict[str, Any]
PLACE_LETTERS = "AA"  # werkmatch knows postcodes to 4 digits; VUM asks for 6 (README "VUM")
CAR_LICENCE = "B"
MAX_KM = 999  # Integer1000
NAME_LENGTH = 120  # naamCursus, naamInteresse, naamVacature
EMPLOYER_NAME_LENGTH = 500
SAFE_ID = re.compile(r"^[a-zA-Z0-9_.-]{1,200}$")

# Our column → the VUM fields it is made of (dotted from the document's root).
CANDIDATE_PATHS: Mapping[str, tuple[str, ...]] = {
    "municipality_code": ("mobiliteit.bemiddelingspostcode",),
    "postcode4": ("mobiliteit.bemiddelingspostcode",),
    "target_group": ("indicatieLdrRegistratie",),
    "hours_available": (
        "werktijden.aantalWerkurenPerWeekMaximaal",
        "werktijden.aantalWerkurenPerWeekMinimaal",
    ),
    "max_travel_km": ("mobiliteit.maximaleReisafstand",),
    "driving_licence": ("arbeidsmarktkwalificatie.rijbewijs",),
    "education_level": (
        "arbeidsmarktkwalificatie.opleiding",
        "arbeidsmarktkwalificatie.codeWerkEnDenkniveauWerkzoekende",
    ),
    "languages": ("arbeidsmarktkwalificatie.taalbeheersing",),
    "competences": ("arbeidsmarktkwalificatie.cursus",),
    "occupations": ("arbeidsmarktkwalificatie.interesse", "arbeidsmarktkwalificatie.werkervaring"),
    "sector_preferences": ("sector",),
    "available_from": ("flexibiliteit.datumAanvangBeschikbaarVoorWerk",),
}
VACANCY_PATHS: Mapping[str, tuple[str, ...]] = {
    "title": ("naamVacature",),
    "municipality_code": ("adres",),
    "postcode4": ("adres",),
    "hours_per_week": (
        "werktijden.aantalWerkurenPerWeekMaximaal",
        "werktijden.aantalWerkurenPerWeekMinimaal",
    ),
    "required_competences": ("cursus",),
    "optional_competences": ("cursus",),
    "education_min": ("opleiding", "codeWerkEnDenkniveauMinimaal"),
    "languages_required": ("taalbeheersing",),
    "driving_licence_required": ("rijbewijs",),
    "closes_on": ("sluitingsdatumVacature",),
    "employer_name": ("werkgever.handelsnaamOrganisatie",),
    "employer_sbi_code": ("werkgever.sector", "sector"),
}


def id_problem(record_id: str) -> str | None:
    """Why a record cannot go out as VUM (in Dutch), or None when its id can."""
    if bsn_reason(record_id) is not None:
        return "het id heeft de vorm van een BSN; werkmatch geeft nooit een BSN door"
    if not SAFE_ID.fullmatch(record_id):
        return "het id past niet in VUM (alleen letters, cijfers, '.', '_' en '-')"
    return None


def candidate_document(cells: Mapping[str, str], original: Document | None = None) -> Document:
    """A candidate's VUM ``Werkzoekende``: the original merged with our values, or built."""
    built = _candidate(cells)
    if original is None:
        return built
    try:
        mapped = mapping.candidate_cells(vm.Werkzoekende.model_validate(original))
    except (ValidationError, mapping.MappingError):  # the reference data changed since
        return built
    return _merged(original, built, [c for c in CANDIDATE_PATHS if cells[c] != mapped[c]],
                   CANDIDATE_PATHS)  # fmt: skip


def vacancy_document(
    cells: Mapping[str, str], employer: Mapping[str, str], original: Document | None = None
) -> Document:
    """A vacancy's VUM ``Vacature`` (``employer``: its employer's cells)."""
    ours = {**cells, "employer_name": employer["name"], "employer_sbi_code": employer["sbi_code"]}
    built = _vacancy(ours)
    if original is None:
        return built
    try:
        vacancy = vm.Vacature.model_validate(original)
        known = mapping.employer_cells(vacancy)
        mapped = {
            **mapping.vacancy_cells(vacancy, today=dt.date.today()),
            "employer_name": known["name"],
            "employer_sbi_code": known["sbi_code"],
        }
    except (ValidationError, mapping.MappingError):
        return built
    return _merged(original, built, [c for c in VACANCY_PATHS if ours[c] != mapped.get(c, "")],
                   VACANCY_PATHS)  # fmt: skip


def place(cells: Mapping[str, str]) -> str | None:
    """The PC4 area that places a record: its own, else its municipality's central one."""
    return cells["postcode4"] or municipality_pc4().get(cells["municipality_code"])


def _candidate(cells: Mapping[str, str]) -> Document:
    pc4, travel = place(cells), _number(cells["max_travel_km"])
    mobiliteit = {
        "bemiddelingspostcode": f"{pc4}{PLACE_LETTERS}",
        "maximaleReisafstand": None if travel is None else min(travel, MAX_KM),
    }
    document: Document = _pruned(
        {
            "idWerkzoekende": cells["candidate_id"],
            "mobiliteit": mobiliteit if pc4 else None,
            "indicatieLdrRegistratie": 1 if cells["target_group"] == "doelgroepregister" else None,
            "werktijden": {"aantalWerkurenPerWeekMaximaal": _number(cells["hours_available"])},
            "flexibiliteit": {"datumAanvangBeschikbaarVoorWerk": cells["available_from"]},
            "sector": [{"codeSbi": code} for code in _section_codes(cells["sector_preferences"])],
            "arbeidsmarktkwalificatie": {
                "rijbewijs": _licence(cells["driving_licence"]),
                "taalbeheersing": _languages(cells["languages"]),
                "opleiding": _education(cells["education_level"]),
                "cursus": _named("naamCursus", cells["competences"]),
                "interesse": _named("naamInteresse", cells["occupations"]),
            },
        }
    )
    return document


def _vacancy(cells: Mapping[str, str]) -> Document:
    pc4 = place(cells)
    competences = ";".join(c for c in (cells["required_competences"],
                                       cells["optional_competences"]) if c)  # fmt: skip
    sbi = _sbi_number(cells["employer_sbi_code"])
    document: Document = _pruned(
        {
            "idVacature": cells["vacancy_id"],
            "naamVacature": cells["title"][:NAME_LENGTH],
            "adres": {"postcode": f"{pc4}{PLACE_LETTERS}"} if pc4 else None,
            "werktijden": {"aantalWerkurenPerWeekMaximaal": _number(cells["hours_per_week"])},
            "cursus": _named("naamCursus", competences),
            "opleiding": _education(cells["education_min"]),
            "taalbeheersing": _languages(cells["languages_required"]),
            "rijbewijs": _licence(cells["driving_licence_required"]),
            "sluitingsdatumVacature": cells["closes_on"],
            "werkgever": {
                "handelsnaamOrganisatie": cells["employer_name"][:EMPLOYER_NAME_LENGTH],
                "sector": [{"codeSbi": sbi}] if sbi is not None else None,
            },
        }
    )
    return document


def _number(cell: str) -> int | None:
    return int(cell) if cell else None


def _items(cell: str) -> list[str]:
    return [item for item in cell.split(";") if item]


def _named(key: str, cell: str) -> list[dict[str, str]]:
    """Free-text items as VUM objects with one name (cut to the length VUM allows)."""
    names = dict.fromkeys(item[:NAME_LENGTH] for item in _items(cell))
    return [{key: name} for name in names]


def _licence(cell: str) -> list[dict[str, str]]:
    """A car licence as VUM's category B; VUM cannot say that someone has none."""
    return [{"codeSoortRijbewijs": CAR_LICENCE}] if cell == "true" else []


def _languages(cell: str) -> list[dict[str, str]]:
    three = mapping.languages()[1]
    return [{"codeTaal": three[code]} for code in _items(cell) if code in three]


def _education(cell: str) -> list[dict[str, int]]:
    level = mapping.EDUCATION_BACK.get(cell)
    return [{"codeNiveauOpleiding": level}] if level is not None else []


def _section_codes(cell: str) -> list[int]:
    """SBI section letters as VUM codes: each division of the section, as ``DD00``."""
    divisions = mapping.places().sbi_divisions
    return [
        int(division) * 100
        for section in _items(cell)
        for division in sorted(divisions)
        if divisions[division] == section
    ]


def _sbi_number(code: str) -> int | None:
    """An SBI code (2–5 digits or a section letter) as VUM's integer ``codeSbi``."""
    if code.isdigit():
        return int(code.ljust(4, "0"))
    codes = _section_codes(code)
    return codes[0] if codes else None


def _pruned(value: Any) -> Any:
    """``value`` without None, empty text, empty arrays and empty objects (VUM has none)."""
    if isinstance(value, dict):
        items = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in map(_pruned, value) if item not in (None, "", [], {})]
    return value


def _merged(
    original: Document,
    built: Document,
    changed: list[str],
    paths: Mapping[str, tuple[str, ...]],
) -> Document:
    """The original with the fields of the ``changed`` columns taken from ``built``."""
    if not changed:
        return original
    merged = copy.deepcopy(original)
    for path in sorted({p for column in changed for p in paths[column]}):
        _put(merged, built, path.split("."))
    return merged


def _put(target: Document, source: Mapping[str, Any], names: list[str]) -> None:
    """Set ``names`` in ``target`` as in ``source`` (removed where ``source`` has nothing)."""
    name, rest = names[0], names[1:]
    if not rest:
        if name in source:
            target[name] = copy.deepcopy(source[name])
        else:
            target.pop(name, None)
        return
    below = source.get(name)
    below = below if isinstance(below, dict) else {}
    inner = target.get(name)
    if not isinstance(inner, dict):
        if not below:
            return
        inner = target[name] = {}
    _put(inner, below, rest)
    if not inner:
        del target[name]


@cache
def municipality_pc4() -> dict[str, str]:
    """Each municipality's PC4 area nearest its centroid (where a record without one is put)."""
    pc4 = read_table("pc4").dropna(subset=["lat", "lon"])
    centres = read_table("municipalities").set_index("code")
    lat = pc4["municipality_code"].map(centres["lat"])
    lon = pc4["municipality_code"].map(centres["lon"])
    squared = (pc4["lat"] - lat) ** 2 + ((pc4["lon"] - lon) * np.cos(np.radians(lat))) ** 2
    nearest = (
        pc4.assign(squared=squared)
        .dropna(subset=["squared"])
        .sort_values(["municipality_code", "squared", "pc4"])
        .drop_duplicates("municipality_code")
    )
    return dict(
        zip(nearest["municipality_code"].astype(str), nearest["pc4"].astype(str), strict=True)
    )

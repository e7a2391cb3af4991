"""VUM records ↔ exchange-format rows: what each VUM field becomes in ours, and back.

Import turns a validated VUM record into the cells of an exchange-format row, so the one import
pipeline (``matching.exchange``) checks, normalises and stores it like a CSV row. Columns VUM
does not carry (ladder step, benefit, target group other than the doelgroepregister, status,
consent, …) get a stated default for a new record and keep their stored value on an update
(``KEEP``). The record itself is kept verbatim, so an export gives back what has no place in
ours. The mapping table with what is lost each way is in README "VUM".
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from matching.reference import read_table
from matching.vum import model as vm

DEFAULT_LADDER_STEP = 5  # VUM profiles are of people matched to paid work: at least step 5
DEFAULT_HOURS = 32  # the common guideline when a record states no hours
MAX_HOURS = 40  # the exchange format's range of hours per week
MAX_TRAVEL_KM = 500
CAR_LICENCES = frozenset({"B", "B+", "BE", "C1", "C", "C1E", "CE", "D1", "D", "D1E", "DE"})
# VUM codeNiveauOpleiding → education_level; MBO carries no level in VUM: mbo2, the
# starting qualification, is the level assumed (README "VUM").
EDUCATION = {1: "none", 2: "vo", 3: "vo", 4: "mbo2", 5: "hbo", 6: "wo"}
# codeWerkEnDenkniveau (werkzoekende 0–7, vacature "0"–"7") → education_level, when no
# education is given; 0 (not applicable) and 7 (not known yet) map to nothing.
THINKING_LEVEL = {1: "none", 2: "none", 3: "vo", 4: "mbo2", 5: "hbo", 6: "wo"}
EDUCATION_BACK = {"none": 1, "vo": 2, "mbo1": 4, "mbo2": 4, "mbo3": 4, "mbo4": 4, "hbo": 5, "wo": 6}
EDUCATION_RANK = ("none", "vo", "mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo")

UNNAMED_VACANCY = "Vacature zonder naam"  # VUM requires neither naamVacature nor a description
KEEP_CANDIDATE = frozenset(
    {"birth_year", "gender", "ladder_step", "target_group", "benefit", "status", "consent_regional"}
)
KEEP_VACANCY = frozenset({"employer_id", "positions", "opened_on", "status", "acquired_by"})
KEEP_EMPLOYER = frozenset({"employees"})


class MappingError(ValueError):
    """A valid VUM record that werkmatch cannot store; ``path`` is the JSON path."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Places:
    """Reference data the mapping needs: PC4 → municipality, SBI division → known."""

    municipality_of_pc4: Mapping[str, str]
    sbi_divisions: Mapping[str, str]  # division → section letter


@cache
def places() -> Places:
    """The bundled reference tables, read once."""
    pc4 = read_table("pc4")
    divisions = read_table("sbi_divisions")
    return Places(
        dict(zip(pc4["pc4"].astype(str), pc4["municipality_code"].astype(str), strict=True)),
        dict(zip(divisions["code"].astype(str), divisions["section"].astype(str), strict=True)),
    )


@cache
def languages() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """ISO 639-3 → ISO 639-1 and back, from ``iso639.csv`` (``ATTRIBUTION.md``)."""
    with (Path(__file__).parent / "iso639.csv").open(encoding="utf-8") as handle:
        pairs = [(row["alpha_3"], row["alpha_2"]) for row in csv.DictReader(handle)]
    return dict(pairs), {two: three for three, two in pairs}


def _text(value: str) -> str:
    """Free text as one list item: the format's list separator cannot stand inside."""
    return " ".join(value.replace(";", ",").split())


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _place(postcode: str | None, path: str, known: Places) -> tuple[str, str]:
    """(municipality code, PC4) of a postcode; MappingError when the area is unknown."""
    if postcode is None:
        raise MappingError(
            path, "postcode ontbreekt: werkmatch heeft een woon- of werkplaats nodig"
        )
    municipality = known.municipality_of_pc4.get(postcode[:4])
    if municipality is None:
        raise MappingError(path, f"postcodegebied {postcode[:4]} is onbekend")
    return municipality, postcode[:4]


def sbi_code(code: int) -> str | None:
    """A VUM ``codeSbi`` (an integer: leading zeros lost) as SBI text, 4 digits at least."""
    text = str(code).zfill(4)
    return text if len(text) <= 5 and text[:2] in places().sbi_divisions else None


def _codes(sectors: Iterable[vm.Sector]) -> list[str]:
    codes = [sbi_code(s.codeSbi) for s in sectors if s.codeSbi is not None]
    return [code for code in codes if code is not None]


def _sections(sectors: Iterable[vm.Sector], known: Places) -> list[str]:
    """The SBI section letters of VUM sectors (the exchange format's sector preferences)."""
    return _unique(known.sbi_divisions[code[:2]] for code in _codes(sectors))


def _hours(werktijden: vm.Werktijden | None) -> int:
    most = werktijden.aantalWerkurenPerWeekMaximaal if werktijden else None
    least = werktijden.aantalWerkurenPerWeekMinimaal if werktijden else None
    hours = most if most is not None else max(least or 0, DEFAULT_HOURS)
    return min(max(hours, 1), MAX_HOURS)


def _licence(rijbewijzen: Iterable[vm.Rijbewijs] | None) -> str:
    codes = {r.codeSoortRijbewijs for r in rijbewijzen or () if r.codeSoortRijbewijs}
    if not codes:
        return ""
    return "true" if codes & CAR_LICENCES else "false"


def _languages(taal: Iterable[vm.Taalbeheersing] | None) -> str:
    to_two = languages()[0]
    return ";".join(_unique(to_two.get(t.codeTaal or "", "") for t in taal or ()))


def _education(levels: Iterable[int], fallback: int | None, *, lowest: bool) -> str:
    mapped = [EDUCATION[level] for level in levels if level in EDUCATION]
    if not mapped and fallback in THINKING_LEVEL:
        mapped = [THINKING_LEVEL[fallback]]
    if not mapped:
        return ""
    pick = min if lowest else max
    return pick(mapped, key=EDUCATION_RANK.index)


def candidate_cells(profile: vm.Werkzoekende, *, known: Places | None = None) -> dict[str, str]:
    """The ``candidates.csv`` cells of a VUM job seeker's profile."""
    known = known or places()
    if not profile.idWerkzoekende:
        raise MappingError("idWerkzoekende", "idWerkzoekende ontbreekt")
    mobiliteit = profile.mobiliteit
    postcode = mobiliteit.bemiddelingspostcode if mobiliteit else None
    municipality, pc4 = _place(postcode, "mobiliteit.bemiddelingspostcode", known)
    skills = profile.arbeidsmarktkwalificatie or vm.Arbeidsmarktkwalificatie()
    travel = mobiliteit.maximaleReisafstand if mobiliteit else None
    passed = [o for o in skills.opleiding or () if o.codeStatusOpleiding not in (2, 3)]
    available = (
        profile.flexibiliteit.datumAanvangBeschikbaarVoorWerk if profile.flexibiliteit else None
    )
    return {
        "candidate_id": profile.idWerkzoekende,
        "municipality_code": municipality,
        "postcode4": pc4,
        "ladder_step": str(DEFAULT_LADDER_STEP),
        "target_group": "doelgroepregister" if profile.indicatieLdrRegistratie == 1 else "regulier",
        "hours_available": str(_hours(profile.werktijden)),
        "max_travel_km": "" if travel is None else str(min(travel, MAX_TRAVEL_KM)),
        "driving_licence": _licence(skills.rijbewijs),
        "education_level": _education(
            (o.codeNiveauOpleiding for o in passed if o.codeNiveauOpleiding),
            skills.codeWerkEnDenkniveauWerkzoekende,
            lowest=False,
        ),
        "languages": _languages(skills.taalbeheersing),
        "competences": ";".join(_unique(_text(c.naamCursus or "") for c in skills.cursus or ())),
        "occupations": ";".join(
            _unique(
                [_text(i.naamInteresse or "") for i in skills.interesse or ()]
                + [_text(w.toelichtingWerkervaring or "") for w in skills.werkervaring or ()]
            )
        ),
        "sector_preferences": ";".join(_unique(_sections(profile.sector or (), known))),
        "available_from": available or "",
        "status": "active",
        "consent_regional": "false",
    }


def employer_id(vacancy: vm.Vacature) -> str:
    """The pseudonymous id of a VUM vacancy's employer: VUM has no KvK number.

    Employers with the same trade name in the same PC4 area get the same id.
    """
    name = vacancy.werkgever.handelsnaamOrganisatie if vacancy.werkgever else None
    if not name:
        return f"vum-{vacancy.idVacature}"[:64]
    postcode = vacancy.adres.postcode[:4] if vacancy.adres else ""
    key = f"{name.strip().lower()}|{postcode}".encode()
    return "vum-" + hashlib.sha256(key).hexdigest()[:16]


def employer_cells(vacancy: vm.Vacature, *, known: Places | None = None) -> dict[str, str]:
    """The ``employers.csv`` cells of a VUM vacancy's employer."""
    known = known or places()
    municipality, pc4 = _place(
        vacancy.adres.postcode if vacancy.adres else None, "adres.postcode", known
    )
    werkgever = vacancy.werkgever or vm.Werkgever()
    sectors = _codes([*([vacancy.sector] if vacancy.sector else []), *(werkgever.sector or ())])
    return {
        "employer_id": employer_id(vacancy),
        "name": _text(werkgever.handelsnaamOrganisatie or "")
        or f"Werkgever van vacature {vacancy.idVacature}",
        "sbi_code": sectors[0] if sectors else "",
        "municipality_code": municipality,
        "postcode4": pc4,
    }


def vacancy_cells(
    vacancy: vm.Vacature, *, today: dt.date, known: Places | None = None
) -> dict[str, str]:
    """The ``vacancies.csv`` cells of a VUM vacancy."""
    known = known or places()
    municipality, pc4 = _place(
        vacancy.adres.postcode if vacancy.adres else None, "adres.postcode", known
    )
    title = vacancy.naamVacature or (vacancy.omschrijvingVacature or "")[:120]
    if not title.strip():  # the title is normalised: too little to go on, flagged for review
        title = UNNAMED_VACANCY
    closes = vacancy.sluitingsdatumVacature
    closing = dt.date.fromisoformat(closes) if closes else None
    opened = min(today, closing) if closing else today
    level = vacancy.codeWerkEnDenkniveauMinimaal
    return {
        "vacancy_id": vacancy.idVacature,
        "employer_id": employer_id(vacancy),
        "title": _text(title),
        "municipality_code": municipality,
        "postcode4": pc4,
        "hours_per_week": str(_hours(vacancy.werktijden)),
        "optional_competences": ";".join(
            _unique(_text(c.naamCursus or "") for c in vacancy.cursus or ())
        ),
        "education_min": _education(
            (o.codeNiveauOpleiding for o in vacancy.opleiding or () if o.codeNiveauOpleiding),
            int(level) if level is not None else None,
            lowest=True,
        ),
        "languages_required": _languages(vacancy.taalbeheersing),
        "driving_licence_required": "true" if _licence(vacancy.rijbewijs) == "true" else "",
        "positions": "1",
        "opened_on": opened.isoformat(),
        "closes_on": closes or "",
        "status": "open" if closing is None or closing >= today else "closed",
    }

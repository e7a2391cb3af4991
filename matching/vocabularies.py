"""Enumerated values of the exchange format and the words users write for them.

Synonyms are the words users really write in their spreadsheets (Dutch and English); matching
ignores case, spaces, hyphens and underscores (``MBO-2`` = ``mbo2``, ``Geen interesse`` =
``no_interest``). ``matching.columns`` names which column takes which vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property


def fold(raw: str) -> str:
    """The matching key of a written value: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-zà-ÿ]", "", raw.lower())


@dataclass(frozen=True)
class Vocabulary:
    """The canonical values of an enum column and the written forms that map onto them."""

    name: str
    values: tuple[str, ...]
    synonyms: Mapping[str, str] = field(default_factory=dict)

    @cached_property
    def _lookup(self) -> dict[str, str]:
        lookup = {fold(value): value for value in self.values}
        lookup.update({fold(written): value for written, value in self.synonyms.items()})
        return lookup

    def canonical(self, raw: str) -> str | None:
        """The canonical value ``raw`` stands for, or None when it is not a known form."""
        return self._lookup.get(fold(raw))


BOOLEAN = Vocabulary(
    "boolean",
    ("true", "false"),
    {"ja": "true", "j": "true", "yes": "true", "y": "true", "1": "true", "waar": "true",
     "nee": "false", "n": "false", "no": "false", "0": "false", "onwaar": "false"},
)  # fmt: skip
GENDER = Vocabulary(
    "gender",
    ("m", "v", "x"),
    {"man": "m", "male": "m", "vrouw": "v", "female": "v", "f": "v", "anders": "x",
     "other": "x", "nonbinair": "x", "non-binary": "x"},
)  # fmt: skip
TARGET_GROUP = Vocabulary(
    "target_group",
    ("regulier", "doelgroepregister", "statushouder", "nug"),
    {"regular": "regulier", "banenafspraak": "doelgroepregister",
     "vergunninghouder": "statushouder", "refugee": "statushouder",
     "niet-uitkeringsgerechtigde": "nug", "niet uitkeringsgerechtigd": "nug"},
)  # fmt: skip
BENEFIT = Vocabulary(
    "benefit",
    ("participatiewet", "ww", "none"),
    {"bijstand": "participatiewet", "pw": "participatiewet", "geen": "none",
     "geen uitkering": "none"},
)  # fmt: skip
EDUCATION = Vocabulary(
    "education_level",
    ("none", "vo", "mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo"),
    {"geen": "none", "basisonderwijs": "none", "voortgezet onderwijs": "vo", "vmbo": "vo",
     "mavo": "vo", "havo": "vo", "vwo": "vo", "entree": "mbo1", "mbo niveau 1": "mbo1",
     "mbo niveau 2": "mbo2", "mbo niveau 3": "mbo3", "mbo niveau 4": "mbo4",
     "bachelor": "hbo", "universiteit": "wo", "master": "wo"},
)  # fmt: skip
CANDIDATE_STATUS = Vocabulary(
    "candidate_status",
    ("active", "placed", "inactive"),
    {"actief": "active", "geplaatst": "placed", "inactief": "inactive",
     "niet actief": "inactive", "non-actief": "inactive"},
)  # fmt: skip
VACANCY_STATUS = Vocabulary(
    "vacancy_status",
    ("open", "filled", "closed"),
    {"vervuld": "filled", "ingevuld": "filled", "gesloten": "closed", "ingetrokken": "closed"},
)
CONTACT_KIND = Vocabulary(
    "contact_kind",
    ("letter", "call", "visit", "meeting"),
    {"brief": "letter", "mail": "letter", "e-mail": "letter", "telefoon": "call",
     "telefonisch": "call", "gebeld": "call", "bezoek": "visit", "bedrijfsbezoek": "visit",
     "gesprek": "meeting", "overleg": "meeting"},
)  # fmt: skip
CONTACT_OUTCOME = Vocabulary(
    "contact_outcome",
    ("none", "interest", "appointment", "vacancy", "no_interest"),
    {"geen": "none", "interesse": "interest", "afspraak": "appointment", "vacature": "vacancy",
     "geen interesse": "no_interest"},
)  # fmt: skip
PROPOSAL_OUTCOME = Vocabulary(
    "proposal_outcome",
    ("hired", "rejected", "withdrawn", "pending"),
    {"aangenomen": "hired", "afgewezen": "rejected", "teruggetrokken": "withdrawn",
     "in behandeling": "pending", "lopend": "pending", "open": "pending"},
)  # fmt: skip
CONTRACT = Vocabulary(
    "contract",
    ("regular", "trial", "work_experience", "subsidised"),
    {"regulier": "regular", "proefplaatsing": "trial", "werkervaringsplaats": "work_experience",
     "wep": "work_experience", "loonkostensubsidie": "subsidised", "lks": "subsidised",
     "gesubsidieerd": "subsidised", "subsidized": "subsidised"},
)  # fmt: skip
OUTCOME = Vocabulary(
    "trajectory_outcome",
    ("work", "education", "referral", "dropped_out"),
    {"werk": "work", "opleiding": "education", "school": "education",
     "doorverwijzing": "referral", "doorverwezen": "referral", "uitval": "dropped_out",
     "uitgevallen": "dropped_out", "dropout": "dropped_out"},
)  # fmt: skip
INSTRUMENT_KIND = Vocabulary(
    "instrument_kind",
    ("loonkostensubsidie", "proefplaatsing", "no_riskpolis", "jobcoaching", "opleiding",
     "jobcarving", "werkervaringsplaats", "overig"),
    {"lks": "loonkostensubsidie", "wage_cost_subsidy": "loonkostensubsidie",
     "trial_placement": "proefplaatsing", "no-riskpolis": "no_riskpolis",
     "no_risk_policy": "no_riskpolis", "job coaching": "jobcoaching", "jobcoach": "jobcoaching",
     "training": "opleiding", "scholing": "opleiding", "cursus": "opleiding",
     "job carving": "jobcarving", "wep": "werkervaringsplaats", "other": "overig"},
)  # fmt: skip
LANGUAGE_NAMES = Vocabulary(
    "language",
    (),
    {"nederlands": "nl", "dutch": "nl", "engels": "en", "english": "en", "duits": "de",
     "german": "de", "frans": "fr", "french": "fr", "spaans": "es", "spanish": "es",
     "arabisch": "ar", "arabic": "ar", "turks": "tr", "turkish": "tr", "pools": "pl",
     "polish": "pl", "oekraiens": "uk", "oekraïens": "uk", "ukrainian": "uk",
     "russisch": "ru", "russian": "ru", "tigrinya": "ti", "somalisch": "so", "somali": "so",
     "farsi": "fa", "perzisch": "fa", "persian": "fa"},
)  # fmt: skip
SECTOR_NAMES = Vocabulary(
    "sector",
    (),
    {"landbouw": "A", "tuinbouw": "A", "agriculture": "A", "industrie": "C", "productie": "C",
     "manufacturing": "C", "bouw": "F", "construction": "F", "detailhandel": "G",
     "groothandel": "G", "retail": "G", "logistiek": "H", "transport": "H", "logistics": "H",
     "horeca": "I", "hospitality": "I", "ict": "J", "schoonmaak": "N", "cleaning": "N",
     "facilitair": "N", "facility services": "N", "beveiliging": "N", "security": "N",
     "groenvoorziening": "N", "overheid": "O", "onderwijs": "P", "education": "P",
     "zorg": "Q", "care": "Q", "welzijn": "Q"},
)  # fmt: skip

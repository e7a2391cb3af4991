"""The VUM data model (gegevensstandaard 1.5, koppelvlak 3.0.0) as pydantic models.

Written from the published source contracts (``VUM-Bron-WerkzoekendeProfielen.yaml`` and
``VUM-Bron-Vacatures.yaml`` of the Inlichtingenbureau's ``vum-docs``): the same properties,
types, code lists, lengths and patterns, and no other properties (``additionalProperties:
false``). A few entities differ per domain (work history, flexibility, education, courses);
they carry a ``W`` (werkzoekende) or ``V`` (vacature) suffix here, as in the standard's
sources. The models only validate: the verbatim JSON of a record is what werkmatch keeps.
``tests/matching/vum/test_export.py`` and ``tests/api/test_vum.py`` check what werkmatch writes
and answers against the published contracts with a JSON Schema validator.
"""

# ruff: noqa: N815  (property names are the standard's own, in its camelCase)
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator


def _no_bool(value: Any) -> Any:
    """JSON Schema tells ``true`` from ``1``; Python's ``True == 1`` must not let it pass."""
    if isinstance(value, bool):
        raise ValueError("een ja/nee-waarde is geen code")
    return value


def _real_date(value: str) -> str:
    try:
        dt.date.fromisoformat(value)
    except ValueError as error:
        raise ValueError("geen bestaande datum") from error
    return value


Date = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$"), AfterValidator(_real_date)]


String6 = Annotated[str, Field(max_length=6)]
String11 = Annotated[str, Field(max_length=11)]
String14 = Annotated[str, Field(max_length=14)]
String24 = Annotated[str, Field(max_length=24)]
String35 = Annotated[str, Field(max_length=35)]
String70 = Annotated[str, Field(max_length=70)]
String100 = Annotated[str, Field(max_length=100)]
String120 = Annotated[str, Field(max_length=120)]
String320 = Annotated[str, Field(max_length=320)]
String500 = Annotated[str, Field(max_length=500)]
String2000 = Annotated[str, Field(max_length=2000)]
Uri = Annotated[str, Field(max_length=200)]
Url = Annotated[str, Field(max_length=1000)]
Integer2 = Annotated[int, Field(ge=0, le=99)]
Integer5 = Annotated[int, Field(ge=0, le=99999)]
Integer1000 = Annotated[int, Field(ge=0, le=999)]
Postcode = Annotated[str, Field(pattern=r"^[0-9]{4}[a-zA-Z]{2}$")]
SafeId = Annotated[str, Field(pattern=r"^[a-zA-Z0-9_.-]{0,200}$")]
TaalCode3 = Annotated[str, Field(pattern=r"^[a-z]{3}$")]
Integer10AsString = Annotated[str, Field(max_length=10, pattern=r"^[0-9]+$")]
Indicatie = Annotated[Literal[0, 1, 2], BeforeValidator(_no_bool)]
IndicatieDiploma = Annotated[Literal[0, 1, 2, 8], BeforeValidator(_no_bool)]
IntegerTaal = Annotated[Literal[0, 1, 2, 3, 4, 8], BeforeValidator(_no_bool)]
JaNee = Annotated[Literal[1, 2], BeforeValidator(_no_bool)]
NiveauOpleiding = Annotated[Literal[1, 2, 3, 4, 5, 6, 9], BeforeValidator(_no_bool)]
CodeVervoermiddel = Annotated[Literal[1, 2, 3, 4, 5, 9], BeforeValidator(_no_bool)]
CodeSoortRijbewijs = Literal[
    "A", "A1", "A2", "AM", "B", "B+", "C1", "C", "D1", "D", "BE", "C1E", "CE", "D1E", "DE", "T"
]  # fmt: skip
CodeWerkEnDenkniveauVacature = Literal["0", "1", "2", "3", "4", "5", "6", "7"]


class Part(BaseModel):
    """A part of a VUM object: no other properties, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        """JSON ``null`` is no value in VUM (the schema gives every property a type)."""
        if isinstance(data, dict):
            nulls = [key for key, value in data.items() if value is None]
            if nulls:
                raise ValueError(f"null is geen waarde ({', '.join(nulls)})")
        return data


class Beroep(Part):
    codeBeroepsnaam: Uri | None = None


class Competentiebeheersing(Part):
    codeCompetentie: Uri | None = None


class Contractvorm(Part):
    codeTypeArbeidscontract: Literal["O", "B"] | None = None
    codeTypeOvereenkomst: Literal["01", "02", "03", "04"] | None = None


class Webadres(Part):
    codeWebadres: Annotated[Literal[1, 2, 3, 4], BeforeValidator(_no_bool)] | None = None
    url: Url | None = None


class ContactpersoonAfdeling(Part):
    naamContactpersoonAfdeling: String35 | None = None
    emailadres: String320 | None = None
    telefoonnummer: String14 | None = None


class ContactpersoonAfdelingV(Part):
    naamContactpersoonAfdeling: String35 | None = None
    emailadres: list[String320] | None = None
    telefoonnummer: list[String14] | None = None


class Rijbewijs(Part):
    codeSoortRijbewijs: CodeSoortRijbewijs | None = None


class Sector(Part):
    codeSbi: Integer5 | None = None


class Taalbeheersing(Part):
    codeNiveauTaalbeheersingLezen: IntegerTaal | None = None
    codeNiveauTaalbeheersingLuisteren: IntegerTaal | None = None
    codeNiveauTaalbeheersingMondeling: IntegerTaal | None = None
    codeNiveauTaalbeheersingSchriftelijk: IntegerTaal | None = None
    codeTaal: TaalCode3 | None = None


class Vervoermiddel(Part):
    codeVervoermiddel: Annotated[Literal[1, 2, 3, 4, 5, 9], BeforeValidator(_no_bool)] | None = None
    indicatieBeschikbaarVoorUitvoeringWerk: Indicatie | None = None
    indicatieBeschikbaarVoorWoonWerkverkeer: Indicatie | None = None


class Werktijden(Part):
    aantalWerkurenPerWeekMaximaal: Integer2 | None = None
    aantalWerkurenPerWeekMinimaal: Integer2 | None = None
    indicatieKantoortijden: Indicatie | None = None


class Mobiliteit(Part):
    bemiddelingspostcode: Postcode
    maximaleReisafstand: Integer1000 | None = None
    maximaleReistijd: Integer1000 | None = None


class EisAanWerk(Part):
    indicatieAanpassingWerkomgeving: Indicatie | None = None
    indicatieBegeleiding: Indicatie | None = None
    indicatieWerkvariatie: Indicatie | None = None


class Interesse(Part):
    naamInteresse: String120 | None = None


class CursusV(Part):
    indicatieCertificaat: IndicatieDiploma | None = None
    naamCursus: String120 | None = None
    toelichtingCursus: String2000 | None = None


class CursusW(CursusV):
    datumAanvangVolgenCursus: Date | None = None
    datumCertificaat: Date | None = None
    datumEindeVolgenCursus: Date | None = None
    naamOpleidingsinstituut: String500 | None = None


class OpleidingV(Part):
    codeOpleidingsnaam: Integer10AsString | None = None
    codeNiveauOpleiding: (
        Annotated[Literal[1, 2, 3, 4, 5, 6, 9], BeforeValidator(_no_bool)] | None
    ) = None
    indicatieDiploma: IndicatieDiploma | None = None
    toelichtingOpleiding: String2000 | None = None


class OpleidingW(OpleidingV):
    codeStatusOpleiding: Annotated[Literal[0, 1, 2, 3], BeforeValidator(_no_bool)] | None = None
    datumAanvangVolgenOpleiding: Date | None = None
    datumDiploma: Date | None = None
    datumEindeVolgenOpleiding: Date | None = None
    naamOpleidingsinstituut: String500 | None = None


class WerkervaringW(Part):
    beroep: Beroep | None = None
    datumAanvangWerkzaamheden: Date | None = None
    datumEindeWerkzaamheden: Date | None = None
    naamOrganisatie: String70 | None = None
    toelichtingWerkervaring: String2000 | None = None


class WerkervaringV(Part):
    aantalJarenWerkzaamInBeroep: Integer2 | None = None


class FlexibiliteitV(Part):
    datumEindeBeschikbaarVoorWerk: Date | None = None
    indicatieOnregelmatigWerkOfPloegendienst: Indicatie | None = None


class FlexibiliteitW(FlexibiliteitV):
    datumAanvangBeschikbaarVoorWerk: Date | None = None


class Arbeidsmarktkwalificatie(Part):
    codeWerkEnDenkniveauWerkzoekende: (
        Annotated[Literal[0, 1, 2, 3, 4, 5, 6, 7], BeforeValidator(_no_bool)] | None
    ) = None
    cursus: list[CursusW] | None = None
    competentiebeheersing: list[Competentiebeheersing] | None = None
    interesse: list[Interesse] | None = None
    opleiding: list[OpleidingW] | None = None
    rijbewijs: list[Rijbewijs] | None = None
    taalbeheersing: list[Taalbeheersing] | None = None
    werkervaring: list[WerkervaringW] | None = None


class WerkzoekendeSummary(Part):
    """``MPWerkzoekendeMatch``: what a search returns about a job seeker."""

    idWerkzoekende: SafeId
    mobiliteit: Mobiliteit
    arbeidsmarktkwalificatie: Arbeidsmarktkwalificatie | None = None
    bemiddelingsberoep: list[Beroep] | None = None
    contractvorm: list[Contractvorm] | None = None
    flexibiliteit: FlexibiliteitW | None = None
    indicatieBeschikbaarheidContactgegevens: JaNee | None = None
    sector: list[Sector] | None = None
    vervoermiddel: list[Vervoermiddel] | None = None
    werktijden: Werktijden | None = None


class Werkzoekende(Part):
    """``Werkzoekende``: a job seeker's detail profile."""

    idWerkzoekende: SafeId | None = None
    arbeidsmarktkwalificatie: Arbeidsmarktkwalificatie | None = None
    bemiddelingsberoep: list[Beroep] | None = None
    contactpersoon: list[ContactpersoonAfdeling] | None = None
    contractvorm: list[Contractvorm] | None = None
    eisAanWerk: EisAanWerk | None = None
    emailadres: list[String320] | None = None
    flexibiliteit: FlexibiliteitW | None = None
    indicatieBeschikbaarheidContactgegevens: JaNee | None = None
    indicatieLdrRegistratie: JaNee | None = None
    mobiliteit: Mobiliteit | None = None
    persoonlijkePresentatie: String2000 | None = None
    sector: list[Sector] | None = None
    telefoonnummer: list[String14] | None = None
    vervoermiddel: list[Vervoermiddel] | None = None
    webadres: list[Webadres] | None = None
    werktijden: Werktijden | None = None


class Adres(Part):
    postcode: Postcode
    straatnaam: String24 | None = None
    huisnummer: Integer5 | None = None
    huisnummertoevoeging: String6 | None = None


class ArbeidsVoorwaarden(Part):
    datumAanvangWerkzaamheden: Date | None = None
    datumEindeWerkzaamheden: Date | None = None
    omschrijvingArbeidsvoorwaarden: String2000 | None = None
    salarisIndicatie: String100 | None = None


class Sollicitatiewijze(Part):
    codeSollicitatiewijze: Literal["1", "2", "3", "4"] | None = None
    webadres: Webadres | None = None


class WerkgeverSummary(Part):
    handelsnaamOrganisatie: String500 | None = None
    sector: list[Sector] | None = None
    webadres: list[Webadres] | None = None


class Werkgever(WerkgeverSummary):
    contactpersoon: list[ContactpersoonAfdelingV] | None = None


class _VacatureParts(Part):
    arbeidsVoorwaarden: ArbeidsVoorwaarden | None = None
    beroep: Beroep | None = None
    codeWerkEnDenkniveauMinimaal: CodeWerkEnDenkniveauVacature | None = None
    competentiebeheersing: list[Competentiebeheersing] | None = None
    contractvorm: list[Contractvorm] | None = None
    cursus: list[CursusV] | None = None
    flexibiliteit: FlexibiliteitV | None = None
    naamVacature: String120 | None = None
    omschrijvingVacature: String2000 | None = None
    opleiding: list[OpleidingV] | None = None
    rijbewijs: list[Rijbewijs] | None = None
    sector: Sector | None = None
    sluitingsdatumVacature: Date | None = None
    sollicitatiewijze: list[Sollicitatiewijze] | None = None
    taalbeheersing: list[Taalbeheersing] | None = None
    vervoermiddel: list[Vervoermiddel] | None = None
    werkervaring: list[WerkervaringV] | None = None
    werktijden: Werktijden | None = None


class VacatureSummary(_VacatureParts):
    """``MPVacatureMatch``: what a search returns about a vacancy."""

    idVacature: SafeId
    adres: Adres
    werkgever: WerkgeverSummary | None = None


class Vacature(_VacatureParts):
    """``Vacature``: a vacancy's detail."""

    idVacature: SafeId
    adres: Adres | None = None
    nummerVacature: String11 | None = None
    werkgever: Werkgever | None = None

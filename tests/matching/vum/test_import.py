"""Importing VUM JSON through the one import pipeline: mapping, violations, nothing partial."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from matching.exchange import UnreadableFile, import_paths
from matching.store import models as m
from matching.vum import model as vm
from matching.vum.documents import read_documents
from matching.vum.mapping import UNNAMED_VACANCY, candidate_cells, employer_id, vacancy_cells

SHARED = Path(__file__).parents[3].parent / "shared" / "data" / "vum"
PROFILES = SHARED / "accreditatie" / "werkzoekenden" / "AccreditatieWerkzoekenden_upload.json"

PROFILE: dict[str, Any] = {
    "idWerkzoekende": "w-1",
    "mobiliteit": {"bemiddelingspostcode": "2311AB", "maximaleReisafstand": 25,
                   "maximaleReistijd": 45},
    "werktijden": {"aantalWerkurenPerWeekMinimaal": 16, "aantalWerkurenPerWeekMaximaal": 48},
    "flexibiliteit": {"datumAanvangBeschikbaarVoorWerk": "2026-01-15"},
    "indicatieLdrRegistratie": 1,
    "sector": [{"codeSbi": 5610}, {"codeSbi": 8121}, {"codeSbi": 5630}],
    "contractvorm": [{"codeTypeArbeidscontract": "O"}],
    "arbeidsmarktkwalificatie": {
        "rijbewijs": [{"codeSoortRijbewijs": "AM"}, {"codeSoortRijbewijs": "B"}],
        "taalbeheersing": [{"codeTaal": "nld", "codeNiveauTaalbeheersingMondeling": 3},
                           {"codeTaal": "eng"}, {"codeTaal": "pap"}],
        "opleiding": [{"codeNiveauOpleiding": 4, "codeStatusOpleiding": 1},
                      {"codeNiveauOpleiding": 5, "codeStatusOpleiding": 2}],
        "cursus": [{"naamCursus": "VCA basis"}, {"naamCursus": "heftruck; reachtruck"}],
        "interesse": [{"naamInteresse": "Schoonmaker"}],
        "werkervaring": [{"naamOrganisatie": "Hotel Leiden", "datumAanvangWerkzaamheden":
                          "2019-03-01", "toelichtingWerkervaring": "Kamers schoonmaken",
                          "beroep": {"codeBeroepsnaam": "https://linkeddata.competentnl.nl/uwv/id/occupation/X"}}],
        "competentiebeheersing": [{"codeCompetentie": "https://linkeddata.competentnl.nl/uwv/id/skill/Y"}],
    },
    "telefoonnummer": ["071-5123456"],
}  # fmt: skip


def test_a_profile_maps_field_by_field() -> None:
    cells = candidate_cells(vm.Werkzoekende.model_validate(PROFILE))
    assert cells == {
        "candidate_id": "w-1",
        "municipality_code": "GM0546",  # Leiden, from PC4 2311
        "postcode4": "2311",
        "ladder_step": "5",  # not in VUM: the stated default for a new candidate
        "target_group": "doelgroepregister",  # indicatieLdrRegistratie 1
        "hours_available": "40",  # 48 h/week: the format's range ends at 40
        "max_travel_km": "25",
        "driving_licence": "true",  # B is a car licence (AM is not)
        "education_level": "mbo2",  # MBO (level 4 of VUM's list); the broken-off HBO not
        "languages": "nl;en",  # pap has no ISO 639-1 code: kept verbatim only
        "competences": "VCA basis;heftruck, reachtruck",  # the list separator cannot stand in
        "occupations": "Schoonmaker;Kamers schoonmaken",
        "sector_preferences": "I;N",  # 56.10 and 56.30 hospitality, 81.21 cleaning
        "available_from": "2026-01-15",
        "status": "active",
        "consent_regional": "false",
    }


def test_hours_and_education_fall_back_as_documented() -> None:
    bare = vm.Werkzoekende.model_validate(
        {"idWerkzoekende": "w", "mobiliteit": {"bemiddelingspostcode": "2311AB"},
         "werktijden": {"aantalWerkurenPerWeekMinimaal": 36},
         "arbeidsmarktkwalificatie": {"codeWerkEnDenkniveauWerkzoekende": 5,
                                      "rijbewijs": [{"codeSoortRijbewijs": "A"}]}}
    )  # fmt: skip
    cells = candidate_cells(bare)
    assert (cells["hours_available"], cells["education_level"]) == ("36", "hbo")
    assert (cells["driving_licence"], cells["target_group"]) == ("false", "regulier")
    none = vm.Werkzoekende.model_validate(
        {"idWerkzoekende": "w", "mobiliteit": {"bemiddelingspostcode": "2311AB"}}
    )
    assert (candidate_cells(none)["hours_available"], candidate_cells(none)["max_travel_km"]) == (
        "32",
        "",
    )


def test_a_vacancy_maps_to_an_employer_and_a_vacancy() -> None:
    vacancy = vm.Vacature.model_validate(
        {"idVacature": "v-1", "adres": {"postcode": "2312AB"}, "naamVacature": "Kok",
         "werkgever": {"handelsnaamOrganisatie": "Hotel X", "sector": [{"codeSbi": 5510}]},
         "werktijden": {"aantalWerkurenPerWeekMaximaal": 24},
         "sluitingsdatumVacature": "2026-01-01",
         "opleiding": [{"codeNiveauOpleiding": 2}, {"codeNiveauOpleiding": 5}],
         "rijbewijs": [{"codeSoortRijbewijs": "C"}], "taalbeheersing": [{"codeTaal": "deu"}]}
    )  # fmt: skip
    cells = vacancy_cells(vacancy, today=dt.date(2026, 3, 1))
    assert cells["employer_id"] == employer_id(vacancy) and cells["title"] == "Kok"
    assert (cells["hours_per_week"], cells["education_min"], cells["languages_required"]) == (
        "24", "vo", "de"
    )  # fmt: skip
    assert (cells["opened_on"], cells["closes_on"], cells["status"]) == (
        "2026-01-01", "2026-01-01", "closed"
    )  # fmt: skip
    assert cells["driving_licence_required"] == "true"
    unnamed = vm.Vacature.model_validate({"idVacature": "v-2", "adres": {"postcode": "2312AB"}})
    assert vacancy_cells(unnamed, today=dt.date(2026, 3, 1))["title"] == UNNAMED_VACANCY


def _write(tmp_path: Path, records: list[Any], name: str = "profielen.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def _broken(change: Any) -> dict[str, Any]:
    record = copy.deepcopy(PROFILE)
    change(record)
    return record


VIOLATIONS = [
    (lambda r: r.update(bsn="1"), "$[1].bsn", "veld bestaat niet in het VUM-schema"),
    (lambda r: r["mobiliteit"].pop("bemiddelingspostcode"), "$[1].mobiliteit.bemiddelingspostcode",
     "verplicht veld ontbreekt"),
    (lambda r: r["mobiliteit"].update(bemiddelingspostcode="2311"),
     "$[1].mobiliteit.bemiddelingspostcode", "heeft niet de vorm die VUM vraagt"),
    (lambda r: r["werktijden"].update(aantalWerkurenPerWeekMaximaal="40"),
     "$[1].werktijden.aantalWerkurenPerWeekMaximaal", "verwacht een geheel getal"),
    (lambda r: r["werktijden"].update(aantalWerkurenPerWeekMaximaal=100),
     "$[1].werktijden.aantalWerkurenPerWeekMaximaal", "te groot: ten hoogste 99"),
    (lambda r: r["arbeidsmarktkwalificatie"]["rijbewijs"].append({"codeSoortRijbewijs": "Z"}),
     "$[1].arbeidsmarktkwalificatie.rijbewijs[2].codeSoortRijbewijs",
     "geen code uit de waardelijst"),
    (lambda r: r.update(indicatieLdrRegistratie=True), "$[1].indicatieLdrRegistratie",
     "een ja/nee-waarde is geen code"),
    (lambda r: r["flexibiliteit"].update(datumAanvangBeschikbaarVoorWerk="2026-02-30"),
     "$[1].flexibiliteit.datumAanvangBeschikbaarVoorWerk", "geen bestaande datum"),
    (lambda r: r.update(persoonlijkePresentatie="x" * 2001), "$[1].persoonlijkePresentatie",
     "tekst te lang: ten hoogste 2000 tekens"),
    (lambda r: r.update(sector=None), "$[1]", "null is geen waarde (sector)"),
    (lambda r: r.update(sector={"codeSbi": 1}), "$[1].sector", "verwacht een lijst"),
    (lambda r: r.update(persoonlijkePresentatie="mijn BSN is 123456782"),
     "$[1].persoonlijkePresentatie", "elfproef"),
    (lambda r: r["mobiliteit"].update(bemiddelingspostcode="0999AA"),
     "$[1].mobiliteit.bemiddelingspostcode", "postcodegebied 0999 is onbekend"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "path", "reason"), VIOLATIONS)
def test_each_violation_is_reported_with_its_path_and_the_rest_lands(
    sessions: sessionmaker[Session], tmp_path: Path, change: Any, path: str, reason: str
) -> None:
    bad = _broken(change)
    bad["idWerkzoekende"] = "w-2"
    good = {**copy.deepcopy(PROFILE), "idWerkzoekende": "w-3"}
    report = import_paths(sessions, [_write(tmp_path, [PROFILE, bad, good])])
    (file,) = report.files
    assert (file.inserted, file.rejected) == (2, 1)
    (error,) = [e for e in file.errors if e.column == path]
    assert error.row == 2 and reason in error.reason and error.value is None
    assert "123456782" not in json.dumps(report.to_dict())
    with sessions() as session:
        assert set(session.scalars(select(m.Candidate.candidate_id))) == {"w-1", "w-3"}


def test_verbatim_documents_are_kept_counted_and_local_fields_survive_a_reimport(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    path = _write(tmp_path, [PROFILE])
    first = import_paths(sessions, [path]).files[0]
    assert first.kept_records == 1
    assert first.kept_verbatim["contractvorm.codeTypeArbeidscontract"] == 1
    assert "mobiliteit.maximaleReisafstand" not in first.kept_verbatim  # it has a place
    with sessions.begin() as session:
        documents = read_documents(session.connection(), "candidates")
        assert documents == {"w-1": PROFILE}
        session.execute(update(m.Candidate).values(ladder_step=3, consent_regional=True))
    again = import_paths(sessions, [path]).files[0]
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 1)
    with sessions() as session:
        stored = session.get(m.Candidate, "w-1")
        assert stored is not None and (stored.ladder_step, stored.consent_regional) == (3, True)


def test_a_file_that_breaks_off_stores_nothing(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "profielen.json"
    text = json.dumps([PROFILE, {**PROFILE, "idWerkzoekende": "w-2"}])
    path.write_text(text[: len(text) - 40], encoding="utf-8")  # cut in the second record
    with pytest.raises(UnreadableFile, match="record 2 is geen geldige JSON"):
        import_paths(sessions, [path], chunk_rows=1)  # the first record was already written
    with sessions() as session:
        assert session.scalars(select(m.Candidate)).first() is None
    not_a_list = _write(tmp_path, {"idWerkzoekende": "x"}, "los.json")  # type: ignore[arg-type]
    report = import_paths(sessions, [not_a_list])
    assert "verwacht één JSON-lijst" in (report.files[0].file_error or "")


@pytest.mark.skipif(not PROFILES.exists(), reason="../shared/data/vum not present")
def test_the_1000_accreditation_profiles_import_with_nothing_lost(
    sessions: sessionmaker[Session],
) -> None:
    report = import_paths(sessions, [PROFILES])
    (file,) = report.files
    assert (file.rows, file.inserted, file.rejected, file.kept_records) == (1000, 1000, 0, 1000)
    originals = json.loads(PROFILES.read_text(encoding="utf-8"))
    with sessions() as session:
        documents = read_documents(session.connection(), "candidates")
    assert documents == {p["idWerkzoekende"]: p for p in originals}

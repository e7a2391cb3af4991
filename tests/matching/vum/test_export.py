"""VUM export: valid against the published schema, and a re-import gives the same records."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from matching.exchange import import_paths
from matching.exchange.exporting import entity_cells
from matching.store import models as m
from matching.store.db import make_engine, make_session_factory
from matching.vum.building import municipality_pc4
from matching.vum.exporting import export_vum
from matching.vum.mapping import KEEP_CANDIDATE
from tests.matching.vum.contract import SHARED, VACATURES, WERKZOEKENDEN, violations

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # no SQL of its own
PROFILES = SHARED / "accreditatie" / "werkzoekenden" / "AccreditatieWerkzoekenden_upload.json"

CANDIDATES = """\
candidate_id,municipality_code,postcode4,birth_year,gender,ladder_step,target_group,benefit,\
hours_available,max_travel_km,driving_licence,education_level,languages,competences,occupations,\
sector_preferences,available_from,status,consent_regional
K1,GM0546,2311,1980,v,4,doelgroepregister,participatiewet,24,15,true,hbo,nl;en,\
heftruck rijden;VCA basis,schoonmaker;magazijnmedewerker,N;I,2026-02-01,active,true
K2,GM0575,,,,2,statushouder,none,40,,,,ar,,,,,inactive,false
K3,GM0546,2312,,,5,regulier,ww,32,60,false,mbo3,nl,,kok,Q,,placed,false
"""
EMPLOYERS = """\
employer_id,name,sbi_code,municipality_code,postcode4,employees
E1,Schoonmaak Duin,8121,GM0575,2201,40
E2,Hotel Zee,55,GM0575,,
"""
VACANCIES = """\
vacancy_id,employer_id,title,municipality_code,postcode4,hours_per_week,required_competences,\
optional_competences,education_min,languages_required,driving_licence_required,positions,\
opened_on,closes_on,status
V1,E1,Schoonmaker,GM0575,2201,32,,glazen wassen;ramen lappen,mbo2,nl,true,2,2026-01-05,\
2026-12-31,open
V2,E2,Kok,GM0575,,24,koken,afwassen,,,,1,2026-01-05,,open
"""
# What VUM cannot carry, each way (README "VUM"): the stated changes a round trip makes.
CANDIDATE_LOSSES = {
    "K2": {"postcode4": municipality_pc4()["GM0575"], "target_group": "regulier"},
    "K3": {"education_level": "mbo2", "driving_licence": ""},
}
VACANCY_LOSSES = {
    "V2": {"postcode4": municipality_pc4()["GM0575"], "required_competences": "",
           "optional_competences": "koken;afwassen"},
}  # fmt: skip
VACANCY_COLUMNS = ("title", "municipality_code", "postcode4", "hours_per_week",
                   "required_competences", "optional_competences", "education_min",
                   "languages_required", "driving_licence_required", "closes_on")  # fmt: skip


@pytest.fixture
def fresh(sqlite_template: Path, tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A second, empty store to import the export into."""
    path = tmp_path / "again.db"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(url=f"sqlite:///{path}")
    yield make_session_factory(engine)
    engine.dispose()


def _export(sessions: sessionmaker[Session], out: Path) -> dict[str, list[dict[str, Any]]]:
    with sessions.begin() as session:
        result = export_vum(session, out)
    assert result.skipped == []
    return {name: json.loads((out / name).read_text(encoding="utf-8")) for name in result.files
            if result.files[name]}  # fmt: skip


def _cells(sessions: sessionmaker[Session], entity: str) -> dict[str, dict[str, str]]:
    key = {"candidates": "candidate_id", "vacancies": "vacancy_id"}[entity]
    with sessions() as session:
        return {row[key]: row for row in entity_cells(session.connection(), entity)}


def _valid(files: dict[str, list[dict[str, Any]]]) -> None:
    problems = [
        f"{document.get('idWerkzoekende', document.get('idVacature'))}: {problem}"
        for name, contract, schema in (("werkzoekenden.json", WERKZOEKENDEN, "Werkzoekende"),
                                       ("vacatures.json", VACATURES, "Vacature"))
        for document in files.get(name, [])
        for problem in violations(contract, schema, document)
    ]  # fmt: skip
    assert problems == []


def test_our_records_go_out_valid_and_come_back_the_same_but_for_the_stated_losses(
    sessions: sessionmaker[Session], fresh: sessionmaker[Session], tmp_path: Path
) -> None:
    for name, text in (("candidates", CANDIDATES), ("employers", EMPLOYERS),
                       ("vacancies", VACANCIES)):  # fmt: skip
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    assert import_paths(sessions, [tmp_path / f"{n}.csv" for n in ("employers", "candidates",
                                                                  "vacancies")]).ok  # fmt: skip
    files = _export(sessions, tmp_path / "out")
    _valid(files)
    assert "ladder" not in json.dumps(files) and "1980" not in json.dumps(files)
    report = import_paths(fresh, [tmp_path / "out"])
    assert report.ok and report.total("inserted") == 3 + 2 + 2  # vacancies bring employers
    before, after = _cells(sessions, "candidates"), _cells(fresh, "candidates")
    for cid, cells in before.items():
        expected = {k: v for k, v in cells.items() if k not in KEEP_CANDIDATE}
        expected |= CANDIDATE_LOSSES.get(cid, {})
        assert {k: after[cid][k] for k in expected} == expected, cid
    jobs_before, jobs_after = _cells(sessions, "vacancies"), _cells(fresh, "vacancies")
    for vid, cells in jobs_before.items():
        expected = {k: cells[k] for k in VACANCY_COLUMNS} | VACANCY_LOSSES.get(vid, {})
        assert {k: jobs_after[vid][k] for k in VACANCY_COLUMNS} == expected, vid
    assert _export(fresh, tmp_path / "again") == files  # the export is a fixpoint


@pytest.mark.skipif(not PROFILES.exists(), reason="../shared/data/vum not present")
def test_accreditation_profiles_go_out_as_they_came_in_and_changes_go_with_them(
    sessions: sessionmaker[Session], fresh: sessionmaker[Session], tmp_path: Path
) -> None:
    sample = json.loads(PROFILES.read_text(encoding="utf-8"))[::10]
    (tmp_path / "profielen.json").write_text(json.dumps(sample), encoding="utf-8")
    assert import_paths(sessions, [tmp_path / "profielen.json"]).ok
    files = _export(sessions, tmp_path / "out")
    assert files["werkzoekenden.json"] == sorted(sample, key=lambda p: p["idWerkzoekende"])
    _valid(files)
    edited = next(p for p in sample if "contactpersoon" in p and "arbeidsmarktkwalificatie" in p)
    with sessions.begin() as session:
        session.execute(
            update(m.Candidate)
            .where(m.Candidate.candidate_id == edited["idWerkzoekende"])
            .values(hours_available=12, languages="nl;fr")
        )
    changed = _export(sessions, tmp_path / "changed")
    _valid(changed)
    (document,) = [d for d in changed["werkzoekenden.json"]
                   if d["idWerkzoekende"] == edited["idWerkzoekende"]]  # fmt: skip
    hours = document["werktijden"]
    assert (
        hours["aantalWerkurenPerWeekMaximaal"] == 12
        and "aantalWerkurenPerWeekMinimaal" not in hours
    )
    skills = document["arbeidsmarktkwalificatie"]
    assert skills["taalbeheersing"] == [{"codeTaal": "nld"}, {"codeTaal": "fra"}]
    kept = {k: v for k, v in edited["arbeidsmarktkwalificatie"].items() if k != "taalbeheersing"}
    assert {k: skills[k] for k in kept} == kept
    untouched = {k: v for k, v in edited.items()
                 if k not in ("werktijden", "arbeidsmarktkwalificatie")}  # fmt: skip
    assert {k: document[k] for k in untouched} == untouched
    assert import_paths(fresh, [tmp_path / "changed"]).ok
    assert _cells(fresh, "candidates") == _cells(sessions, "candidates")


def test_an_id_vum_cannot_carry_is_left_out_and_a_bsn_never_named(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions.begin() as session:
        for cid in ("123456782", "K 4", "K5"):  # written past the import's checks
            session.add(m.Candidate(candidate_id=cid, municipality_code="GM0546", ladder_step=4,
                                    target_group="regulier", hours_available=20, status="active",
                                    consent_regional=False))  # fmt: skip
    with sessions.begin() as session:
        result = export_vum(session, tmp_path)
    written = json.loads((tmp_path / "werkzoekenden.json").read_text(encoding="utf-8"))
    assert [d["idWerkzoekende"] for d in written] == ["K5"]
    assert not (tmp_path / "vacatures.json").exists()
    assert len(result.skipped) == 2 and "'K 4'" in result.skipped[1]
    assert "123456782" not in " ".join(result.skipped) and "BSN" in result.skipped[0]

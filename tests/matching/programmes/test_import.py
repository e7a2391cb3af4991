"""programmes.csv and enrolments.csv through the one import pipeline."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from matching.access.users import Principal
from matching.exchange import import_paths
from matching.programmes import list_programmes
from matching.store.programmes import Enrolment, Programme
from tests.matching.programmes.conftest import PROGRAMMES

ENROLMENT_HEADER = "programme_id,candidate_id,enrolled_on,phases,ended_on,outcome,exception_reason"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_three_example_programmes_load_as_data(organised: sessionmaker[Session]) -> None:
    report = import_paths(organised, [PROGRAMMES])
    assert report.ok, report.to_dict()
    with organised() as session:
        found = {
            p.programme_id: p for p in list_programmes(session, principal=Principal.command_line())
        }
    noord = found["noord-werkt"]
    assert noord.rules.postcode4 >= {"1021", "1033"} and noord.rules.age_max == 65
    assert noord.rules.benefits == {"participatiewet", "none"}
    assert noord.rules.languages == {"nl", "en"}
    assert (noord.rules.min_hours, noord.rules.min_hours_exception) == (32, 16)
    assert [(p.name, p.max_months) for p in noord.phases][2] == ("groepstraject", 12)
    assert noord.targets.phase_counts == {"groepstraject": 55, "werkervaringsplaats": 45}
    impuls = found["extra-impuls"]
    assert impuls.targets.appointment_pct == 20 and impuls.rules.ladder_steps == {5}
    assert [label for label, _ in impuls.moment_dates()] == [
        "1 maand", "3 maanden", "11 maanden", "einde", "12 maanden na het einde"
    ]  # fmt: skip
    assert impuls.moment_dates()[-1][1] == dt.date(2028, 2, 28)
    voortraject = found["voortraject"]
    assert voortraject.targets.participants_by == ((12, 20), (24, 50))
    assert voortraject.targets.continuation_pct == 80


def test_a_one_zero_set_without_programme_files_imports_as_before(
    organised: sessionmaker[Session],
) -> None:
    with organised() as session:
        assert session.scalar(select(func.count()).select_from(Programme)) == 0


def test_bad_programme_rows_name_file_row_column_and_store_nothing_of_them(
    organised: sessionmaker[Session], tmp_path: Path
) -> None:
    header = PROGRAMMES.read_text(encoding="utf-8").splitlines()[0]
    good = PROGRAMMES.read_text(encoding="utf-8").splitlines()[2]
    bad = [
        good.replace("extra-impuls,noordwijk", "p2,onbekend"),
        good.replace("extra-impuls", "p3").replace("intake:1;", "intake:een;"),
        good.replace("extra-impuls", "p4").replace(",1;3;11;eind+12,", ",1;later,"),
        good.replace("extra-impuls", "p5").replace("GM0575:25", "GM9999:25"),
        good.replace("extra-impuls", "p6").replace("01-03-2026", "01-03-2028"),
    ]
    path = _write(tmp_path, "programmes.csv", "\n".join([header, *bad]) + "\n")
    report = import_paths(organised, [path])
    errors = [(e.file, e.row, e.column) for e in report.files[0].errors]
    assert errors == [
        ("programmes.csv", 2, "organisation_id"),
        ("programmes.csv", 3, "phases"),
        ("programmes.csv", 4, "evaluation_moments"),
        ("programmes.csv", 5, "target_placements_per_municipality"),
        ("programmes.csv", 6, "end_date"),
    ]
    with organised() as session:
        assert session.scalar(select(func.count()).select_from(Programme)) == 0


def test_enrolments_are_checked_against_their_programme(
    organised: sessionmaker[Session], tmp_path: Path
) -> None:
    assert import_paths(organised, [PROGRAMMES]).ok
    rows = [
        "extra-impuls,K-0001,2026-03-02,intake:2026-03-02;jobhunting:2026-04-01,,,",
        "extra-impuls,K-0002,2026-03-02,intake:2026-03-02;sollicitatie:2026-04-01,,,",
        "extra-impuls,K-0008,2026-03-02,intake:2026-03-01,,,",
        "extra-impuls,K-0003,2026-03-02,intake:2026-03-02,,,",
        "extra-impuls,K-0001b,2026-03-02,intake:2026-03-02,,,",
        "voortraject,K-0001,2026-03-02,oriëntatie:2026-03-02,2026-05-01,,",
        "extra-impuls,K-0005,2026-03-02,intake:2026-04-02;jobhunting:2026-03-05,,,",
    ]
    path = _write(tmp_path, "enrolments.csv", "\n".join([ENROLMENT_HEADER, *rows]) + "\n")
    report = import_paths(organised, [path])
    file = report.files[0]
    assert (file.inserted, file.rejected) == (1, 6)
    reasons = {(e.row, e.column): e.reason for e in file.errors}
    assert "sollicitatie" in reasons[(3, "phases")]
    assert "vóór de inschrijving" in reasons[(4, "phases")]
    assert "organisatie" in reasons[(5, "candidate_id")]  # Leiden's candidate, Noordwijk's plan
    assert "bestaat niet" in reasons[(6, "candidate_id")]
    assert (7, "candidate_id") in reasons or (7, "outcome") in reasons
    assert "vóór de fase ervoor" in reasons[(8, "phases")]
    with organised() as session:
        assert session.scalars(select(Enrolment.candidate_id)).all() == ["K-0001"]


def test_an_export_imports_back_unchanged(organised: sessionmaker[Session], tmp_path: Path) -> None:
    from matching.exchange import export_all

    enrolment = "extra-impuls,K-0001,2026-03-02,intake:2026-03-02;jobhunting:2026-04-01,,,"
    path = _write(tmp_path, "enrolments.csv", f"{ENROLMENT_HEADER}\n{enrolment}\n")
    assert import_paths(organised, [PROGRAMMES, path]).ok
    with organised() as session:
        counts = export_all(session, tmp_path / "out")
    assert (counts["programmes"], counts["enrolments"]) == (3, 1)
    out = tmp_path / "out"
    report = import_paths(organised, [out / "programmes.csv", out / "enrolments.csv"])
    assert report.ok and report.total("unchanged") == 4 and report.total("updated") == 0

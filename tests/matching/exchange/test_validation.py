"""Bad input: every case of issue 2 gets a clear error and loses nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.exchange import ImportReport, import_paths
from matching.plausibility import DateWindow
from matching.settings import Settings
from matching.store import models as m
from tests.matching.exchange.conftest import (
    CANDIDATE_HEADER,
    EMPLOYER_HEADER,
    REGION_SMALL,
    VACANCY_HEADER,
    Write,
    count,
)

Sessions = sessionmaker[Session]
# Row validation does not depend on the database; the import, export and API tests run on both.
pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)


def reasons(report: ImportReport) -> list[tuple[int, str | None, str]]:
    """(row, column, reason) of every row error."""
    return [(e.row, e.column, e.reason) for f in report.files for e in f.errors]


def test_missing_required_column_rejects_the_file(sessions: Sessions, write: Write) -> None:
    path = write("candidates.csv", "candidate_id,municipality_code,status\nK1,GM0575,active\n")
    report = import_paths(sessions, [path, REGION_SMALL / "employers.csv"])
    rejected = report.files[1]
    assert rejected.file_error is not None and not rejected.unreadable
    assert "verplichte kolom(men) ontbreken: ladder_step, target_group, hours_available" in (
        rejected.file_error
    )
    assert report.files[0].inserted == 5  # the other file is still imported
    assert count(sessions, m.Candidate) == 0 and not report.ok


def test_unknown_column_is_a_warning(sessions: Sessions, write: Write) -> None:
    path = write(
        "candidates.csv", f"{CANDIDATE_HEADER},BSN_hash\nK1,GM0575,4,regulier,20,active,x\n"
    )
    report = import_paths(sessions, [path])
    assert report.ok and report.files[0].inserted == 1
    assert report.files[0].warnings == ["onbekende kolom(men) genegeerd: bsn_hash"]


def test_columns_of_its_own_are_named_when_required_ones_are_missing(
    sessions: Sessions, write: Write
) -> None:
    """A spreadsheet with Dutch column names: the refusal says which names were not read."""
    path = write("candidates.csv", "klantnummer,gemeente,,status\nK1,GM0575,x,active\n")
    (rejected,) = import_paths(sessions, [path]).files
    assert rejected.file_error is not None
    unread = "; niet herkend: klantnummer, gemeente, (kolom zonder naam)"
    assert rejected.file_error.endswith(unread)


def test_empty_file_is_a_clear_error(sessions: Sessions, write: Write) -> None:
    report = import_paths(sessions, [write("candidates.csv", "")])
    assert report.files[0].file_error == "leeg bestand: geen kopregel"
    header_only = import_paths(sessions, [write("employers.csv", EMPLOYER_HEADER + "\n")])
    assert header_only.ok and header_only.files[0].warnings == [
        "geen gegevensrijen onder de kopregel"
    ]


def test_semicolon_csv_from_dutch_excel(sessions: Sessions, write: Write) -> None:
    text = (
        "candidate_id;municipality_code;ladder_step;target_group;hours_available;status;"
        "competences;driving_licence\r\n"
        'K1;GM0575;4;Regulier;20;Actief;"schoonmaken; koken";Ja\r\n'
    )
    report = import_paths(sessions, [write("candidates.csv", text)])
    assert report.ok and report.files[0].delimiter == ";"
    with sessions() as session:
        k1 = session.get_one(m.Candidate, "K1")
        assert (k1.status, k1.target_group, k1.driving_licence) == ("active", "regulier", True)
        assert [c.text for c in k1.competences] == ["schoonmaken", "koken"]


def test_cp1252_file_is_read_with_a_warning(sessions: Sessions, write: Write) -> None:
    text = f"{EMPLOYER_HEADER}\nE1,Café ’t Hoekje,56,GM0546\n"
    report = import_paths(sessions, [write("employers.csv", text, encoding="cp1252")])
    assert report.ok and report.files[0].encoding == "cp1252"
    assert "geen UTF-8" in report.files[0].warnings[0]
    with sessions() as session:
        assert session.get_one(m.Employer, "E1").name == "Café ’t Hoekje"


def test_binary_file_is_rejected_as_unreadable(sessions: Sessions, write: Write) -> None:
    path = write("candidates.csv", "")
    path.write_bytes(bytes(range(256)) * 8)
    report = import_paths(sessions, [path])
    assert report.files[0].unreadable and "binaire" in (report.files[0].file_error or "")


def test_duplicate_ids_reject_the_later_rows(sessions: Sessions, write: Write) -> None:
    rows = "K1,GM0575,4,regulier,20,active\nK2,GM0575,4,regulier,20,active\n"
    path = write("candidates.csv", f"{CANDIDATE_HEADER}\n{rows}K1,GM0546,5,nug,30,active\n")
    report = import_paths(sessions, [path])
    assert report.files[0].inserted == 2
    assert reasons(report) == [(4, "candidate_id", "dubbele candidate_id 'K1': staat al in rij 2")]
    with sessions() as session:
        assert session.get_one(m.Candidate, "K1").municipality_code == "GM0575"


@pytest.mark.parametrize("written", ["31-02-2024", "2024/13/01", "2024-02-30", "03-12-26"])
def test_invalid_dates_are_rejected(sessions: Sessions, write: Write, written: str) -> None:
    path = write(
        "candidates.csv",
        f"{CANDIDATE_HEADER},available_from\nK1,GM0575,4,regulier,20,active,{written}\n",
    )
    report = import_paths(sessions, [path])
    [(row, column, reason)] = reasons(report)
    assert (row, column) == (2, "available_from") and written in reason
    assert "jjjj" in reason or "bestaat niet in de kalender" in reason


def test_numbers_out_of_range_are_rejected(sessions: Sessions, write: Write) -> None:
    rows = (
        "K1,GM0575,7,regulier,20,active\n"
        "K2,GM0575,4,regulier,0,active\n"
        "K3,GM0575,4,regulier,80,active\n"
    )
    report = import_paths(sessions, [write("candidates.csv", f"{CANDIDATE_HEADER}\n{rows}")])
    assert reasons(report) == [
        (2, "ladder_step", "7 valt buiten het bereik 1–6"),
        (3, "hours_available", "0 valt buiten het bereik 1–40"),
        (4, "hours_available", "80 valt buiten het bereik 1–40"),
    ]
    assert count(sessions, m.Candidate) == 0


def test_unknown_enum_values_are_rejected_and_dutch_words_accepted(
    sessions: Sessions, write: Write
) -> None:
    header = f"{CANDIDATE_HEADER},gender,education_level,consent_regional"
    rows = (
        "K1,GM0575,4,Regulier,20,actief,vrouw,MBO 2,ja\n"
        "K2,GM0575,4,nug,20,geplaatst,man,vmbo,nee\n"
        "K3,GM0575,4,vergunninghouder,20,inactief,x,hbo,0\n"
        "K4,GM0575,4,regulier,20,werkzoekend,v,,\n"
    )
    report = import_paths(sessions, [write("candidates.csv", f"{header}\n{rows}")])
    assert reasons(report) == [(5, "status", "'werkzoekend' is geen van: active, placed, inactive")]
    with sessions() as session:
        found = {
            c.candidate_id: (
                c.status,
                c.gender,
                c.education_level,
                c.consent_regional,
                c.target_group,
            )
            for c in session.query(m.Candidate)
        }
    assert found == {
        "K1": ("active", "v", "mbo2", True, "regulier"),
        "K2": ("placed", "m", "vo", False, "nug"),
        "K3": ("inactive", "x", "hbo", False, "statushouder"),
    }


def test_unknown_codes_are_rejected(sessions: Sessions, write: Write) -> None:
    header = f"{CANDIDATE_HEADER},postcode4"
    rows = (
        "K1,GM9999,4,regulier,20,active,2201\n"
        "K2,575,4,regulier,20,active,0999\n"
        "K3,0546,4,regulier,20,active,2311 AB\n"
    )
    employers = f"{EMPLOYER_HEADER}\nE1,A,04,GM0575\nE2,B,Z,GM0575\n"
    report = import_paths(
        sessions,
        [write("candidates.csv", f"{header}\n{rows}"), write("employers.csv", employers)],
    )
    assert reasons(report) == [
        (2, "sbi_code", "'04' is geen SBI-code: afdeling 04 bestaat niet"),
        (3, "sbi_code", "'Z' is geen SBI-sectie (A–U)"),
        (2, "municipality_code", "onbekende gemeentecode GM9999 (geen CBS-gemeente)"),
        (3, "postcode4", "'0999' is geen postcode van vier cijfers zoals 2201"),
    ]
    with sessions() as session:  # 0546 and a full postcode are read as GM0546 and 2311
        k3 = session.get_one(m.Candidate, "K3")
        assert (k3.municipality_code, k3.postcode4) == ("GM0546", "2311")


def test_vacancy_without_employer_is_rejected(sessions: Sessions, write: Write) -> None:
    employers = f"{EMPLOYER_HEADER}\nE1,Bakker,1071,GM0575\nE2,Broken,1071,GM9999\n"
    vacancies = (
        f"{VACANCY_HEADER}\n"
        "V1,E1,Bakker,GM0575,32,2024-01-01,open\n"
        "V2,E404,Kok,GM0575,32,2024-01-01,open\n"
        "V3,E2,Kok,GM0575,32,2024-01-01,open\n"
    )
    report = import_paths(
        sessions, [write("vacancies.csv", vacancies), write("employers.csv", employers)]
    )
    assert [f.inserted for f in report.files] == [1, 1]
    assert reasons(report)[1:] == [
        (
            3,
            "employer_id",
            "werkgever 'E404' bestaat niet: niet bij de werkgevers van deze import "
            "en niet in de opslag",
        ),
        (
            4,
            "employer_id",
            "werkgever 'E2' is in deze import afgekeurd (employers.csv rij 3): "
            "verbeter eerst die rij",
        ),
    ]


def test_bsn_like_candidate_id_is_rejected_and_never_echoed(
    sessions: Sessions, write: Write
) -> None:
    rows = "111222333,GM0575,4,regulier,20,active\n123456789,GM0575,4,regulier,20,active\n"
    report = import_paths(sessions, [write("candidates.csv", f"{CANDIDATE_HEADER}\n{rows}")])
    errors = report.files[0].errors
    assert [(e.row, e.column) for e in errors] == [(2, "candidate_id"), (3, "candidate_id")]
    assert "de elfproef van een BSN doorstaat" in errors[0].reason
    assert "de vorm van een BSN heeft" in errors[1].reason
    assert "111222333" not in str(report.to_dict()) and "123456789" not in str(report.to_dict())
    assert count(sessions, m.Candidate) == 0


def test_unknown_esco_uri_is_rejected(sessions: Sessions, write: Write) -> None:
    bad = "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"
    path = write(
        "candidates.csv",
        f"{CANDIDATE_HEADER},competences\nK1,GM0575,4,regulier,20,active,koken;{bad}\n",
    )
    report = import_paths(sessions, [path])
    assert reasons(report) == [
        (2, "competences", f"'{bad}' is geen bekende ESCO-URI van een competentie")
    ]


def test_dates_running_backwards_are_rejected(sessions: Sessions, write: Write) -> None:
    employers = write("employers.csv", f"{EMPLOYER_HEADER}\nE1,Bakker,1071,GM0575\n")
    vacancies = write(
        "vacancies.csv",
        f"{VACANCY_HEADER},closes_on\nV1,E1,Bakker,GM0575,32,2024-03-01,open,2024-02-01\n",
    )
    report = import_paths(sessions, [employers, vacancies])
    assert reasons(report) == [
        (2, "closes_on", "closes_on 2024-02-01 ligt vóór opened_on 2024-03-01")
    ]


def test_unrecognisable_file_is_rejected(sessions: Sessions, write: Write) -> None:
    report = import_paths(sessions, [write("export.csv", "id,naam\n1,x\n")])
    assert "niet te zien wat dit bestand bevat" in (report.files[0].file_error or "")


def test_rows_with_extra_cells_are_rejected(
    sessions: Sessions, write: Write, tmp_path: Path
) -> None:
    path = write("candidates.csv", f"{CANDIDATE_HEADER}\nK1,GM0575,4,regulier,20,active,oops\n")
    assert reasons(import_paths(sessions, [path])) == [
        (2, None, "7 cellen, de kopregel heeft er 6")
    ]


def test_duplicate_composite_ids_in_proposals(sessions: Sessions, write: Write) -> None:
    names = ["employers", "candidates", "vacancies"]
    proposals = write(
        "proposals.csv",
        "vacancy_id,candidate_id,proposed_on,outcome\n"
        "V-101,K-0001,2024-02-12,pending\nV-101,K-0002,2024-02-12,afgewezen\n"
        "V-101,K-0001,2024-02-13,aangenomen\n",
    )
    report = import_paths(sessions, [*(REGION_SMALL / f"{n}.csv" for n in names), proposals])
    assert report.files[-1].inserted == 2
    assert reasons(report) == [
        (4, "vacancy_id", "dubbele vacancy_id, candidate_id 'V-101/K-0001': staat al in rij 2")
    ]


def test_bsn_in_free_text_rejects_the_row_and_is_never_repeated(
    sessions: Sessions, write: Write
) -> None:
    employers = write(
        "employers.csv",
        f"{EMPLOYER_HEADER}\nE1,Bakkerij 1234.56.782,1071,GM0575\nE2,Bakkerij Duin,1071,GM0575\n",
    )
    header = f"{CANDIDATE_HEADER},competences,occupations,sector_preferences,max_travel_km"
    candidates = write(
        "candidates.csv",
        f"{header}\n"
        "K1,GM0575,4,regulier,20,active,BSN 123456782 heftruck rijden,,,\n"
        "K2,GM0575,4,regulier,20,active,,schoonmaker 111222333,,\n"
        "K3,GM0575,4,regulier,20,active,,,horeca;zorg 999999990,\n"
        "K4,GM0575,4,regulier,20,active,,,,123456782\n"
        "K5,GM0575,4,regulier,20,active,heftruck rijden,schoonmaker,horeca,10\n",
    )
    report = import_paths(sessions, [employers, candidates])
    assert [(e.file, e.row, e.column) for f in report.files for e in f.errors] == [
        ("employers.csv", 2, "name"),
        ("candidates.csv", 2, "competences"),
        ("candidates.csv", 3, "occupations"),
        ("candidates.csv", 4, "sector_preferences"),
        ("candidates.csv", 5, "max_travel_km"),
    ]
    assert all("elfproef van een BSN" in e.reason for f in report.files for e in f.errors)
    shown = str(report.to_dict())
    for number in ("123456782", "1234.56.782", "111222333", "999999990"):
        assert number not in shown
    assert count(sessions, m.Employer) == 1 and count(sessions, m.Candidate) == 1


def test_bsn_in_a_header_is_not_repeated(sessions: Sessions, write: Write) -> None:
    path = write(
        "candidates.csv", f"{CANDIDATE_HEADER},123456782\nK1,GM0575,4,regulier,20,active,x\n"
    )
    report = import_paths(sessions, [path])
    assert report.ok and "123456782" not in str(report.to_dict())


def test_implausible_values_are_refused_in_dutch(sessions: Sessions, write: Write) -> None:
    employers = write(
        "employers.csv",
        "employer_id,name,sbi_code,municipality_code,employees\n"
        "E1,Duin,1071,GM0575,99999999999\n"
        "E\u200b2,Duin,1071,GM0575,10\n"
        "E3,Bakkerij \u202eexe.doc,1071,GM0575,10\n"
        "E4,Duin,1071,GM0575,250000\n",
    )
    vacancies = write(
        "vacancies.csv",
        f"{VACANCY_HEADER}\nV1,E4,Kok,GM0575,32,0001-01-01,open\n"
        "V2,E4,Kok,GM0575,32,9999-12-31,open\nV3,E4,Kok,GM0575,32,2026-11-01,open\n",
    )
    report = import_paths(sessions, [employers, vacancies])
    found = reasons(report)
    assert [(row, column) for row, column, _ in found] == [
        (2, "employees"), (3, "employer_id"), (4, "name"), (2, "opened_on"), (3, "opened_on"),
    ]  # fmt: skip
    assert "U+200B" in found[1][2] and "U+202E" in found[2][2] and "onzichtbaar" in found[2][2]
    assert found[3][2].startswith("1 januari 1 ligt niet tussen 1 januari")
    assert found[4][2].startswith("31 december 9999 ligt niet tussen")
    assert count(sessions, m.Employer) == 1 and count(sessions, m.Vacancy) == 1


def test_the_date_window_is_configurable(sessions: Sessions, write: Write) -> None:
    path = write("vacancies.csv", f"{VACANCY_HEADER}\nV1,E1,Kok,GM0575,32,1990-05-01,open\n")
    narrow = DateWindow(years_back=5, years_ahead=1, today=dt.date(2026, 12, 3))
    report = import_paths(sessions, [path], dates=narrow)
    assert reasons(report)[0][1:] == (
        "opened_on", "1 mei 1990 ligt niet tussen 1 januari 2021 en 31 december 2027: een tikfout?"
    )  # fmt: skip
    assert Settings(plausible_years_back=5).date_window().years_back == 5


def test_dutch_dates_import(sessions: Sessions, write: Write) -> None:
    path = write(
        "candidates.csv",
        f"{CANDIDATE_HEADER},available_from\nK1,GM0575,4,regulier,20,active,3-12-2026\n",
    )
    report = import_paths(sessions, [path])
    assert reasons(report) == []
    with sessions() as session:
        assert session.get_one(m.Candidate, "K1").available_from == dt.date(2026, 12, 3)


PLACEMENT_HEADER = (
    "placement_id,candidate_id,employer_id,vacancy_id,start_date,end_date,hours_per_week,contract"
)


def test_impossible_placements_are_refused(
    sessions: Sessions, write: Write, tmp_path: Path
) -> None:
    assert import_paths(sessions, [REGION_SMALL]).ok  # V-102 has 1 place, taken by P-3 (K-0007)
    rows = [
        "P-10,K-0003,28011111,,2024-03-01,,20,regular",  # K-0003 runs P-2 since 2024-02-01
        "P-11,K-0001,28011111,V-102,2024-06-01,,32,regular",  # V-102's place is taken
        "P-12,K-0006,28011111,,2022-09-30,2023-01-31,16,trial",  # after P-4 (ends that day)
        "P-13,K-0006,28011111,,2023-01-01,,16,trial",  # overlaps P-12, a row above
        "P-3,K-0007,28011111,V-102,2024-03-01,2024-05-31,32,subsidised",  # P-3 itself, ended
        "P-14,K-0002,28011111,V-102,2024-06-01,,32,regular",  # free after P-3's new end
    ]
    path = write("placements.csv", PLACEMENT_HEADER + "\n" + "\n".join(rows) + "\n")
    report = import_paths(sessions, [path])
    found = reasons(report)
    assert [(row, column) for row, column, _ in found] == [
        (2, "start_date"), (3, "vacancy_id"), (5, "start_date"),
    ]  # fmt: skip
    assert found[0][2].startswith("de werkzoekende heeft dan al een plaatsing (vanaf 1 februari")
    assert found[1][2] == "de vacature is al vervuld: de plaats is dan bezet"
    assert report.files[0].inserted == 2 and report.files[0].updated == 1
    again = import_paths(sessions, [path])  # the stored rows do not conflict with themselves
    assert again.files[0].unchanged == 3 and again.files[0].rejected == 3

"""Reading files: encodings, delimiters, entity recognition, .xlsx, streaming."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from matching.exchange.reading import (
    UnreadableFile,
    detect_encoding,
    detect_entity,
    open_table,
    sniff_delimiter,
)
from tests.matching.exchange.conftest import Write


def rows_of(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    with open_table(path) as table:
        return table.header, [row for chunk in table.rows for row in chunk]


def test_utf8_bom_is_dropped_from_the_header(write: Write) -> None:
    path = write("employers.csv", "\ufeffEmployer ID,Name\nE1,Café\n")
    assert detect_encoding(path) == ("utf-8-sig", None)
    assert rows_of(path) == (["employer_id", "name"], [(2, ["E1", "Café"])])


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(write: Write, delimiter: str) -> None:
    text = delimiter.join(["employer_id", "name", "sbi_code"]) + "\n"
    text += delimiter.join(["E1", '"Bakker, De Korenschoof"', "1071"]) + "\n"
    header, rows = rows_of(write("employers.csv", text))
    assert header == ["employer_id", "name", "sbi_code"]
    assert rows == [(2, ["E1", "Bakker, De Korenschoof", "1071"])]


def test_excel_separator_hint_line_is_honoured(write: Write) -> None:
    header, rows = rows_of(write("employers.csv", "sep=;\r\nemployer_id;name\r\nE1;a,b\r\n"))
    assert (header, rows) == (["employer_id", "name"], [(2, ["E1", "a,b"])])


def test_quoted_delimiters_do_not_fool_the_sniffer() -> None:
    assert sniff_delimiter('"a,b,c,d";"e"\n') == ";"


def test_cp1252_is_detected_with_a_warning(write: Write) -> None:
    path = write(
        "employers.csv", "employer_id,name\n" + "E0,x\n" * 5000 + "E1,Café\n", encoding="cp1252"
    )
    encoding, warning = detect_encoding(path)
    assert encoding == "cp1252" and warning is not None and "Windows-1252" in warning
    assert rows_of(path)[1][-1] == (5002, ["E1", "Café"])


def test_other_encodings_are_rejected_clearly(write: Write) -> None:
    path = write("employers.csv", "")
    path.write_bytes(b"employer_id,name\nE1,\x81\x8d\x8f\x90\x9d\n")  # undefined in cp1252
    with pytest.raises(UnreadableFile, match="geen UTF-8- of Windows-1252-tekst"):
        detect_encoding(path)


def test_blank_lines_count_as_rows(write: Write) -> None:
    _header, rows = rows_of(write("employers.csv", "employer_id,name\n\nE1,a\n,\nE2,b\n"))
    assert rows == [(3, ["E1", "a"]), (5, ["E2", "b"])]


def test_empty_and_old_excel_files_are_unreadable(write: Write) -> None:
    with pytest.raises(UnreadableFile, match="leeg bestand"):
        open_table(write("candidates.csv", "\n\n"))
    with pytest.raises(UnreadableFile, match=r"oud Excel-formaat \(.xls\)"):
        open_table(write("candidates.xls", "whatever"))


def test_entity_by_name_then_by_header() -> None:
    assert detect_entity("candidates_mei-2024.csv", []) == "candidates"
    assert detect_entity("Vacancies.xlsx", []) == "vacancies"
    assert detect_entity("x.csv", ["vacancy_id", "candidate_id", "outcome"]) == "proposals"
    assert detect_entity("x.csv", ["placement_id", "candidate_id"]) == "placements"
    assert detect_entity("x.csv", ["naam"]) is None


@pytest.mark.parametrize(
    ("name", "entity"),
    [("kandidaten.csv", "candidates"), ("Vacatures mei.xlsx", "vacancies"),
     ("werkgevers.csv", "employers"), ("contacten.csv", "contacts"),
     ("voorstellen.csv", "proposals"), ("plaatsingen.csv", "placements"),
     ("instrumenten.csv", "instruments"), ("programma's.csv", "programmes"),
     ("programmas.xlsx", "programmes"), ("inschrijvingen.csv", "enrolments"),
     ("trajecten.csv", "enrolments")],
)  # fmt: skip
def test_dutch_file_names_tell_the_entity(name: str, entity: str) -> None:
    assert detect_entity(name, []) == entity
    assert detect_entity("kandidatenlijst.csv", []) is None  # a word, not a prefix


def test_a_dutch_csv_and_xlsx_of_candidates_are_recognised(tmp_path: Path) -> None:
    """``kandidaten.csv``, ``kandidaten.xlsx`` with sheet Blad1, and a workbook whose sheet
    ``Kandidaten`` is chosen over an explanation sheet: by name, as the header tells nothing."""
    from openpyxl import Workbook

    (tmp_path / "kandidaten.csv").write_text("klant,gemeente\nK1,GM0575\n")
    for name, sheets in (("kandidaten.xlsx", ["Blad1"]), ("export.xlsx", ["Uitleg", "Kandidaten"])):
        workbook = Workbook()
        for k, title in enumerate(sheets):
            sheet = workbook.active if k == 0 else workbook.create_sheet()
            assert sheet is not None
            sheet.title = title
            sheet.append(["klant", "gemeente"] if title != "Uitleg" else ["x"])
            sheet.append(["K1", "GM0575"])
        workbook.save(tmp_path / name)
    for name in ("kandidaten.csv", "kandidaten.xlsx", "export.xlsx"):
        table = open_table(tmp_path / name)
        table.close()
        assert table.header == ["klant", "gemeente"], name
        assert detect_entity(name, table.header, sheet=table.sheet) == "candidates", name
    assert detect_entity("x.csv", ["klant", "gemeente"]) is None


def test_xlsx_cells_read_as_csv_text(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Vacancy_ID", "opened_on", "hours_per_week", "driving_licence_required", None])
    sheet.append(["V1", dt.datetime(2024, 3, 1), 32.0, True, None])
    sheet.append([None, None, None, None, None])
    sheet.append(["V2", dt.date(2024, 3, 2), 16, False, None])
    path = tmp_path / "vacancies.xlsx"
    workbook.save(path)
    header, rows = rows_of(path)
    assert header == ["vacancy_id", "opened_on", "hours_per_week", "driving_licence_required"]
    assert rows == [
        (2, ["V1", "2024-03-01", "32", "true", ""]),
        (4, ["V2", "2024-03-02", "16", "false", ""]),
    ]


def test_large_file_streams_in_chunks(tmp_path: Path) -> None:
    path = tmp_path / "candidates.csv"
    line = "K{:07d},GM0575,4,regulier,20,active," + "schoonmaken;koken;" * 8 + "\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("candidate_id,municipality_code,ladder_step,target_group,"
                     "hours_available,status,competences\n")  # fmt: skip
        handle.writelines(line.format(i) for i in range(30_000))
    size = path.stat().st_size
    assert size > 5_000_000
    tracemalloc.start()
    chunks = rows = 0
    with open_table(path, chunk_rows=200) as table:
        for chunk in table.rows:
            chunks += 1
            rows += len(chunk)
            assert 0 < table.position() <= size
        _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert (chunks, rows) == (150, 30_000)
    assert peak < size / 10, f"peak {peak} bytes while reading {size} bytes"

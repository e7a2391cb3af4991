"""Cell parsers: dates, numbers, codes, BSN check."""

from __future__ import annotations

import datetime as dt

import pytest

from matching.columns import CANDIDATE_STATUS
from matching.exchange import values as v


def test_iso_dates_and_excel_midnights_read() -> None:
    assert v.parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert v.parse_date("2024-02-29 00:00:00") == dt.date(2024, 2, 29)


@pytest.mark.parametrize("written", ["03-12-2026", "3-12-2026", "3/12/2026", "03.12.2026"])
def test_dutch_dates_read_day_first(written: str) -> None:
    assert v.parse_date(written) == dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("31-02-2024", "bestaat niet in de kalender"),
        ("2024/13/01", "is geen datum: schrijf dd-mm-jjjj"),
        ("2023-02-29", "bestaat niet in de kalender"),
        ("2024-13-01", "bestaat niet in de kalender"),
        ("13-13-2024", "bestaat niet in de kalender"),
        ("03-12-26", "dubbelzinnig: schrijf het jaar met vier cijfers"),
        ("3-12/2026", "is geen datum"),
        ("december 2026", "is geen datum"),
    ],
)
def test_invalid_dates_say_why(written: str, reason: str) -> None:
    with pytest.raises(v.CellError, match=reason) as refused:
        v.parse_date(written)
    assert written in str(refused.value)


def test_whole_numbers_and_ranges() -> None:
    assert v.parse_int("32.0", minimum=1, maximum=40) == 32  # as Excel writes it
    assert v.parse_int("-3") == -3
    with pytest.raises(v.CellError, match="7 valt buiten het bereik 1–6"):
        v.parse_int("7", minimum=1, maximum=6)
    with pytest.raises(v.CellError, match="geen geheel getal"):
        v.parse_int("32,5")
    with pytest.raises(v.CellError, match=r"buiten het bereik \(ten minste 1\)"):
        v.parse_int("0", minimum=1)


def test_enum_synonyms_and_errors() -> None:
    assert v.parse_enum(" Actief ", CANDIDATE_STATUS) == "active"
    with pytest.raises(v.CellError, match="'nieuw' is geen van: active, placed, inactive"):
        v.parse_enum("nieuw", CANDIDATE_STATUS)


def test_codes_in_the_forms_users_write() -> None:
    assert v.parse_municipality("575") == "GM0575"
    assert v.parse_municipality("gm0546") == "GM0546"
    with pytest.raises(v.CellError, match="geen CBS-gemeentecode"):
        v.parse_municipality("Leiden")
    assert v.parse_pc4("2201") == ("2201", False)
    assert v.parse_pc4("2201 ab") == ("2201", True)
    assert v.parse_sbi("56.10") == "5610" and v.parse_sbi("i") == "I"
    with pytest.raises(v.CellError):
        v.parse_sbi("561012")
    assert v.parse_language("Nederlands") == "nl" and v.parse_language("EN") == "en"
    assert v.split_list(" a ;; b ;") == ["a", "b"]


def test_elfproef() -> None:
    # 1·9+1·8+1·7+2·6+2·5+2·4+3·3+3·2−3 = 66 = 6·11
    assert v.elfproef("111222333")
    # 1·9+2·8+3·7+4·6+5·5+6·4+7·3+8·2−9 = 147, not a multiple of 11
    assert not v.elfproef("123456789")
    assert not v.elfproef("000000000")


def test_bsn_like_ids() -> None:
    assert "elfproef" in (v.bsn_reason("111222333") or "")
    assert "vorm van een BSN" in (v.bsn_reason("123456789") or "")
    assert "elfproef" in (v.bsn_reason("111.222.333") or "")
    assert v.bsn_reason("12345678") is None  # a KvK number has 8 digits
    assert v.bsn_reason("K123456789") is None
    with pytest.raises(v.SensitiveCell):
        v.check_not_bsn("111222333")

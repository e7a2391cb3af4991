"""The generated region as files: determinism, exchange format, import, censoring, no BSNs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy.orm import Session, sessionmaker

from demo import generate_region
from matching.columns import ENTITIES, PLANNED
from matching.errors import InvalidInput

GENERATED = [name for name in ENTITIES if name not in PLANNED]
"""The files the generator writes (the demo's programmes come later: demo.programmes)."""
SCALE = 0.05
AS_OF = dt.date(2026, 10, 1)


@pytest.fixture(scope="module")
def region_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small Holland Rijnland, seed 7."""
    out = tmp_path_factory.mktemp("region")
    generate_region(seed=7, scale=SCALE, out_dir=out)
    return out


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _bytes(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*.*")}


def test_same_seed_gives_byte_identical_files(region_dir: Path, tmp_path: Path) -> None:
    generate_region(seed=7, scale=SCALE, out_dir=tmp_path)
    assert _bytes(tmp_path) == _bytes(region_dir)
    assert len(_bytes(tmp_path)) == 9  # seven exchange files, the truth and the parameters


def test_other_seed_gives_other_files(region_dir: Path, tmp_path: Path) -> None:
    generate_region(seed=8, scale=SCALE, out_dir=tmp_path)
    for name in GENERATED:
        assert (tmp_path / f"{name}.csv").read_bytes() != (region_dir / f"{name}.csv").read_bytes()


def test_files_have_exactly_the_exchange_columns(region_dir: Path) -> None:
    for name in GENERATED:
        entity = ENTITIES[name]
        header = (region_dir / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0]
        assert tuple(header.split(",")) == entity.column_names
        assert len(_read(region_dir / f"{name}.csv")) > 0


def test_every_file_imports_without_a_rejected_row(
    region_dir: Path, sessions: sessionmaker[Session]
) -> None:
    from matching.exchange import import_paths

    report = import_paths(sessions, [region_dir])
    by_entity = {f.entity: f for f in report.files}
    assert set(by_entity) == set(GENERATED)
    for name, file_report in by_entity.items():
        assert file_report.file_error is None, file_report.file_error
        assert file_report.rejected == 0, [str(e) for e in file_report.errors[:5]]
        assert file_report.inserted == len(_read(region_dir / f"{name}.csv"))


def test_censoring_at_the_export_date(region_dir: Path) -> None:
    placements = _read(region_dir / "placements.csv")
    start = pd.to_datetime(placements["start_date"])
    end = pd.to_datetime(placements["end_date"].replace("", None))
    assert (start <= pd.Timestamp(AS_OF)).all()
    assert (end.dropna() <= pd.Timestamp(AS_OF)).all()  # nothing ends after the export date
    assert (end.dropna() >= start[end.notna()]).all()
    pending_cut = pd.Timestamp(AS_OF) - pd.DateOffset(months=6) - pd.Timedelta(days=1)
    recent = start > pending_cut
    assert not (recent & (end > pd.Timestamp(AS_OF))).any()
    running = end.isna()
    assert running.any() and (~running).any()
    candidates = _read(region_dir / "candidates.csv").set_index("candidate_id")
    running_ids = placements.loc[running, "candidate_id"]
    assert (candidates.loc[running_ids, "status"] == "placed").all()
    assert (candidates["status"] == "placed").sum() == running_ids.nunique()


def test_nothing_looks_like_a_bsn(region_dir: Path) -> None:
    nine_digits = re.compile(r"(?<![0-9A-Za-z-])\d{9}(?![0-9A-Za-z-])")
    for path in region_dir.rglob("*.csv"):
        for column, values in _read(path).items():
            hits = [v for v in values if nine_digits.search(v.replace("http://data.europa.eu", ""))]
            assert not hits, f"{path.name}:{column}: {hits[:3]}"
    employers = _read(region_dir / "employers.csv")
    assert employers["employer_id"].str.fullmatch(r"[1-9]\d{7}").all()


@pytest.mark.parametrize("region", ["Groot Amsterdam", "Flevoland", "flevoland"])
def test_other_regions_use_their_own_municipalities(region: str, tmp_path: Path) -> None:
    from matching.reference import read_table

    summary = generate_region(region, scale=0.02, out_dir=tmp_path)
    regions = read_table("regions").set_index("name")
    codes = set(str(regions.loc[summary.region, "municipality_codes"]).split(";"))
    pc4 = read_table("pc4").set_index("pc4")["municipality_code"]
    for name in ("candidates", "employers", "vacancies"):
        table = _read(tmp_path / f"{name}.csv")
        assert set(table["municipality_code"]) <= codes
        assert (pc4.reindex(table["postcode4"]).to_numpy() == table["municipality_code"]).all()


def test_unknown_region_is_refused_with_close_names(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="Holland Rijnland"):
        generate_region("Holand Rijnland", out_dir=tmp_path)
    with pytest.raises(InvalidInput, match="scale"):
        generate_region(scale=0, out_dir=tmp_path)
    assert not any(tmp_path.iterdir())

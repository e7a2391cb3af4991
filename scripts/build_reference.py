"""Build the bundled reference data (matching/reference_data) from ../shared/data.

Run: ``.venv/bin/python scripts/build_reference.py [--source ../shared/data]
[--out matching/reference_data]``. The output is deterministic (sorted rows, gzip mtime 0), so a
rebuild from the same sources gives identical bytes; row counts are checked and the script fails
loudly when a source changed shape. Descriptions are dropped to keep the bundle small.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SEP = "|"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"
# VDAB competences mapped to an ESCO skill, strongest mapping first (order of the alt labels).
VDAB_RELATIONS = ("skos:exactMatch", "skos:closeMatch", "skos:narrowMatch", "skos:broadMatch")
VDAB_HEADER_ROWS = 16  # metadata block (project, classifications, versions) before the header

EXPECTED_ROWS = {
    "regions": 35,
    "municipalities": 342,
    "pc4": 4067,
    "sbi_sections": 21,
    "sbi_divisions": 86,
    "isco_groups": 619,
    "occupations": 3007,
    "skills": 13896,
    "skill_groups": 640,
    "occupation_skills": 123_788,  # 123,855 less 67 rows of an occupation outside v1.1.1
    "skill_broader": 20_656,
    "skill_relations": 5899,
    "occupation_broader": 3008,
}
KEYS = {
    "regions": ["name"],
    "municipalities": ["code"],
    "pc4": ["pc4"],
    "sbi_sections": ["code"],
    "sbi_divisions": ["code"],
    "isco_groups": ["code"],
    "occupations": ["uri"],
    "skills": ["uri"],
    "skill_groups": ["uri"],
    "occupation_skills": ["occupation_uri", "skill_uri"],
    "skill_broader": ["uri", "broader_uri"],
    "skill_relations": ["skill_uri", "related_uri"],
    "occupation_broader": ["uri", "broader_uri"],
}


def read_csv(path: Path, **kwargs: object) -> pd.DataFrame:
    """Every cell as a string, empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)


def split_labels(cell: str) -> list[str]:
    """ESCO packs label lists one per line; trim each and drop empties and stray ';'."""
    labels = (part.strip().rstrip(";").strip() for part in cell.splitlines())
    return [label for label in labels if label]


def join_labels(*lists: Iterable[str], exclude: str = "") -> str:
    """Union of label lists, de-duplicated in first-seen order, without ``exclude``."""
    seen: dict[str, None] = {}
    for labels in lists:
        for label in labels:
            assert SEP not in label, f"label with the list separator: {label!r}"
            if label != exclude:
                seen.setdefault(label, None)
    return SEP.join(seen)


def build_regions(source: Path) -> dict[str, pd.DataFrame]:
    """Labour-market regions, municipalities and PC4 areas from nl_regions/."""
    folder = source / "nl_regions"
    reg = read_csv(folder / "arbeidsmarktregios_2026.csv")
    gem = read_csv(folder / "gemeenten_2025.csv")
    pc4 = read_csv(folder / "pc4_centroids_2024.csv")
    regions = pd.DataFrame(
        {
            "name": reg["arbeidsmarktregio"],
            "provinces": reg["provincies"],
            "population": reg["inwoners"],
            "lat": reg["centroid_lat"],
            "lon": reg["centroid_lon"],
            "municipality_codes": reg["gemeentecodes"],
        }
    )
    municipalities = pd.DataFrame(
        {
            "code": gem["gemeentecode"],
            "name": gem["gemeentenaam"],
            "province": gem["provincie"],
            "region": gem["arbeidsmarktregio"],
            "lat": gem["centroid_lat"],
            "lon": gem["centroid_lon"],
            "population": gem["inwoners"],
            "area_km2": gem["oppervlakte_km2"],
        }
    )
    areas = pd.DataFrame(
        {
            "pc4": pc4["pc4"],
            "lat": pc4["centroid_lat"],
            "lon": pc4["centroid_lon"],
            "municipality_code": pc4["gemeentecode"],
            "population": pc4["inwoners"],
        }
    )
    return {"regions": regions, "municipalities": municipalities, "pc4": areas}


def build_sbi(source: Path) -> dict[str, pd.DataFrame]:
    """SBI 2008 sections and two-digit divisions (Dutch names)."""
    sections = read_csv(source / "sbi" / "sbi2008_sections.csv")
    divisions = read_csv(source / "sbi" / "sbi2008_divisions.csv")
    return {
        "sbi_sections": pd.DataFrame(
            {
                "code": sections["sectie"],
                "name": sections["sectie_omschrijving"],
            }
        ),
        "sbi_divisions": pd.DataFrame(
            {
                "code": divisions["afdeling"],
                "section": divisions["sectie"],
                "name": divisions["afdeling_omschrijving"],
            }
        ),
    }


def build_isco(esco: Path) -> pd.DataFrame:
    """ISCO-08 groups with Dutch labels from v1.2.0 and the parent code."""
    en = read_csv(esco / "en_v1.1.1" / "ISCOGroups_en.csv")
    nl = read_csv(esco / "nl_v1.2.0" / "ISCOGroups_nl.csv").set_index("conceptUri")
    codes = en["code"]
    return pd.DataFrame(
        {
            "code": codes,
            "uri": en["conceptUri"],
            "label_en": en["preferredLabel"],
            "label_nl": nl["preferredLabel"].reindex(en["conceptUri"]).fillna("").to_numpy(),
            "parent_code": [code[:-1] if len(code) > 1 else "" for code in codes],
        }
    )


def build_occupations(esco: Path) -> pd.DataFrame:
    """ESCO v1.1.1 occupations; Dutch labels from v1.1.1 plus v1.2.0 alt/hidden labels."""
    en = read_csv(esco / "en_v1.1.1" / "occupations_en.csv")
    nl = read_csv(esco / "nl_v1.1.1" / "occupations_nl.csv").set_index("conceptUri")
    nl2 = read_csv(esco / "nl_v1.2.0" / "occupations_nl.csv").set_index("conceptUri")
    uris = en["conceptUri"]
    nl = nl.reindex(uris)
    nl2 = nl2.reindex(uris).fillna("")

    def union(column: str) -> list[str]:
        pairs = zip(nl[column], nl2[column], nl["preferredLabel"], strict=True)
        return [join_labels(split_labels(a), split_labels(b), exclude=p) for a, b, p in pairs]

    return pd.DataFrame(
        {
            "uri": uris,
            "code": en["code"],
            "isco_group": en["iscoGroup"],
            "label_en": en["preferredLabel"],
            "label_nl": nl["preferredLabel"].to_numpy(),
            "alt_labels_en": [join_labels(split_labels(c)) for c in en["altLabels"]],
            "alt_labels_nl": union("altLabels"),
            "hidden_labels_en": [join_labels(split_labels(c)) for c in en["hiddenLabels"]],
            "hidden_labels_nl": union("hiddenLabels"),
        }
    )


def vdab_labels(source: Path) -> pd.Series:
    """Dutch VDAB competence names mapped to each ESCO skill URI, strongest mapping first."""
    path = source / "melo" / "raw_crosswalks" / "ESCO_skills_to_VDAB_competences_fr_nl.csv"
    raw = read_csv(path, skiprows=VDAB_HEADER_ROWS)
    assert raw.columns[0] == "Classification 1 URI", f"VDAB header moved: {list(raw.columns)}"
    assert set(raw["Mapping Relation"]) <= set(VDAB_RELATIONS), set(raw["Mapping Relation"])
    frame = pd.DataFrame(
        {
            "uri": ESCO_SKILL + raw["Classification 1 URI"],
            "label": raw["Classification 2 PrefLabel NL"].str.strip(),
            "rank": raw["Mapping Relation"].map({r: i for i, r in enumerate(VDAB_RELATIONS)}),
            "row": range(len(raw)),
        }
    )
    assert (frame["uri"] == raw["Classification 1 URL"]).all(), "VDAB URI and URL disagree"
    frame = frame.loc[frame["label"] != ""].sort_values(["uri", "rank", "row"], kind="stable")
    return frame.groupby("uri", sort=True)["label"].agg(list)


def build_skills(source: Path) -> pd.DataFrame:
    """ESCO v1.1.1 skills; Dutch preferred and alt labels where ESCO has them (the merged partial
    file: 50 % of skills), VDAB names as further Dutch alt labels."""
    esco = source / "esco"
    en = read_csv(esco / "en_v1.1.1" / "skills_en.csv")
    nl = read_csv(esco / "nl_v1.1.1" / "skills_nl_partial_merged.csv")
    nl = nl.loc[nl["in_esco_v1.1.1"] == "1"].set_index("conceptUri")
    uris = en["conceptUri"]
    label_nl = nl["preferredLabel"].reindex(uris).fillna("").to_numpy()
    esco_alt = nl["altLabels"].reindex(uris).fillna("").to_numpy()
    vdab = vdab_labels(source).reindex(uris)
    alt_nl = [
        join_labels(split_labels(alt), labels if isinstance(labels, list) else [], exclude=pref)
        for alt, labels, pref in zip(esco_alt, vdab, label_nl, strict=True)
    ]
    return pd.DataFrame(
        {
            "uri": uris,
            "skill_type": en["skillType"],
            "reuse_level": en["reuseLevel"],
            "label_en": en["preferredLabel"],
            "label_nl": label_nl,
            "alt_labels_en": [join_labels(split_labels(c)) for c in en["altLabels"]],
            "alt_labels_nl": alt_nl,
            "hidden_labels_en": [join_labels(split_labels(c)) for c in en["hiddenLabels"]],
        }
    )


def build_skill_groups(esco: Path) -> pd.DataFrame:
    """ESCO skill groups; Dutch labels (and codes the English file lacks) from v1.2.0."""
    en = read_csv(esco / "en_v1.1.1" / "skillGroups_en.csv")
    nl = read_csv(esco / "nl_v1.2.0" / "skillGroups_nl.csv").set_index("conceptUri")
    nl = nl.reindex(en["conceptUri"]).fillna("")
    codes = en["code"].where(en["code"] != "", nl["code"].to_numpy())
    return pd.DataFrame(
        {
            "uri": en["conceptUri"],
            "code": codes,
            "label_en": en["preferredLabel"],
            "label_nl": nl["preferredLabel"].to_numpy(),
        }
    )


def build_relations(esco: Path, occupations: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Occupation–skill, skill–skill and broader relations of ESCO v1.1.1."""
    rel = esco / "relations_v1.1.1"
    occ_skill = read_csv(rel / "occupationSkillRelations.csv")
    occ_skill = occ_skill.loc[occ_skill["occupationUri"].isin(occupations["uri"])]
    skill_skill = read_csv(rel / "skillSkillRelations.csv")
    skill_broader = read_csv(rel / "broaderRelationsSkillPillar.csv")
    occ_broader = read_csv(rel / "broaderRelationsOccPillar.csv")
    occ_broader = occ_broader.loc[occ_broader["conceptType"] == "Occupation"]
    return {
        "occupation_skills": pd.DataFrame(
            {
                "occupation_uri": occ_skill["occupationUri"],
                "skill_uri": occ_skill["skillUri"],
                "relation": occ_skill["relationType"],
            }
        ),
        "skill_broader": pd.DataFrame(
            {
                "uri": skill_broader["conceptUri"],
                "broader_uri": skill_broader["broaderUri"],
            }
        ),
        "skill_relations": pd.DataFrame(
            {
                "skill_uri": skill_skill["originalSkillUri"],
                "related_uri": skill_skill["relatedSkillUri"],
                "relation": skill_skill["relationType"],
            }
        ),
        "occupation_broader": pd.DataFrame(
            {
                "uri": occ_broader["conceptUri"],
                "broader_uri": occ_broader["broaderUri"],
            }
        ),
    }


def build_all(source: Path) -> dict[str, pd.DataFrame]:
    """Every reference table, keyed by file stem, rows sorted by key."""
    esco = source / "esco"
    tables = {**build_regions(source), **build_sbi(source)}
    tables["isco_groups"] = build_isco(esco)
    tables["occupations"] = build_occupations(esco)
    tables["skills"] = build_skills(source)
    tables["skill_groups"] = build_skill_groups(esco)
    tables.update(build_relations(esco, tables["occupations"]))
    return {
        name: frame.sort_values(KEYS[name], kind="stable").reset_index(drop=True)
        for name, frame in sorted(tables.items())
    }


def check_shapes(tables: dict[str, pd.DataFrame]) -> None:
    """Row counts, unique keys and no cell that would break the CSV/label format."""
    assert set(tables) == set(EXPECTED_ROWS), sorted(tables)
    for name, frame in tables.items():
        assert len(frame) == EXPECTED_ROWS[name], f"{name}: {len(frame)} rows"
        assert not frame.duplicated(KEYS[name]).any(), f"{name}: duplicate keys"
        for column in frame.columns:
            values = frame[column].astype(str)
            assert not values.str.contains("\n|\r", regex=True).any(), f"{name}.{column}: newline"
        labels = [c for c in frame.columns if c.startswith(("label_", "name"))]
        for column in labels:
            assert not frame[column].str.contains(SEP, regex=False).any(), f"{name}.{column}"


def check_links(tables: dict[str, pd.DataFrame]) -> None:
    """Foreign keys and coverage that the loader and the matcher rely on."""
    municipalities, pc4 = tables["municipalities"], tables["pc4"]
    assert municipalities["region"].isin(tables["regions"]["name"]).all()
    listed = {c for codes in tables["regions"]["municipality_codes"] for c in codes.split(";")}
    assert listed == set(municipalities["code"]), "region membership differs from municipalities"
    blank = pc4["municipality_code"] == ""
    assert blank.sum() == 2, f"{blank.sum()} PC4 areas without municipality"
    assert pc4.loc[~blank, "municipality_code"].isin(municipalities["code"]).all()
    assert tables["sbi_divisions"]["section"].isin(tables["sbi_sections"]["code"]).all()
    occupations, skills = tables["occupations"], tables["skills"]
    assert (occupations["label_nl"] != "").all(), "occupation without Dutch label"
    assert occupations["isco_group"].isin(tables["isco_groups"]["code"]).all()
    assert (skills["label_nl"] != "").sum() == 7008, "Dutch skill label coverage changed"
    assert (tables["isco_groups"]["label_nl"] != "").all()
    assert (tables["skill_groups"]["label_nl"] != "").all()
    assert (tables["skill_groups"]["code"] != "").all()
    assert tables["occupation_skills"]["skill_uri"].isin(skills["uri"]).all()
    assert set(tables["occupation_skills"]["relation"]) == {"essential", "optional"}


def to_gzip_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row, '\\n' line ends, gzip level 9 with mtime 0 (no name)."""
    text = frame.to_csv(index=False, lineterminator="\n")
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


ATTRIBUTION = Path(__file__).with_name("reference_attribution.md")


def write_all(tables: dict[str, pd.DataFrame], out: Path) -> None:
    """Write every table and ATTRIBUTION.md; remove stale gzip files."""
    out.mkdir(parents=True, exist_ok=True)
    wanted = {f"{name}.csv.gz" for name in tables}
    for stale in out.glob("*.csv.gz"):
        if stale.name not in wanted:
            stale.unlink()
    for name, frame in tables.items():
        (out / f"{name}.csv.gz").write_bytes(to_gzip_csv(frame))
    (out / "ATTRIBUTION.md").write_bytes(ATTRIBUTION.read_bytes())


def main(argv: list[str] | None = None) -> int:
    """Build, check and write the reference data; print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "matching" / "reference_data")
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        parser.error(f"source folder not found: {args.source}")
    tables = build_all(args.source)
    check_shapes(tables)
    check_links(tables)
    write_all(tables, args.out)
    total = sum(p.stat().st_size for p in args.out.iterdir())
    for name, frame in tables.items():
        print(f"{name:20} {len(frame):>8,} rows")
    print(f"{args.out}: {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

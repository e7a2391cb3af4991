"""What the generator takes from the reference data: a region's geography and the ESCO pool."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from demo.catalogue import OCCUPATION_POOL, SECTOR_KEYS, SECTORS
from matching.errors import InvalidInput
from matching.reference import read_table

# Written forms of a skill or occupation, in column order of the ``forms`` arrays.
FORMS = ("uri", "label", "alt", "lower", "typo_swap", "typo_drop")


@dataclass(frozen=True)
class Geography:
    """The PC4 areas of one labour-market region with population weights and centroids."""

    region: str
    pc4: np.ndarray  # str codes
    municipality: np.ndarray  # str GM codes, per PC4
    place: np.ndarray  # municipality name, per PC4
    lat: np.ndarray
    lon: np.ndarray
    weight: np.ndarray  # population share, sums to 1


@dataclass(frozen=True)
class Taxonomy:
    """The occupation pool with its ESCO skills, as index arrays and written forms."""

    occ_uri: np.ndarray
    occ_isco: np.ndarray
    occ_minor: np.ndarray  # ISCO minor group (first three digits)
    occ_sector: np.ndarray  # index into SECTOR_KEYS
    occ_weight: np.ndarray  # sums to 1
    occ_forms: np.ndarray  # object (n_occ, len(FORMS))
    occ_titles: tuple[tuple[str, ...], ...]  # Dutch base titles per occupation
    skill_uri: np.ndarray
    skill_forms: np.ndarray  # object (n_skill, len(FORMS))
    rel_occ: np.ndarray  # occupation index per relation, sorted
    rel_skill: np.ndarray  # skill index per relation
    rel_essential: np.ndarray  # bool per relation
    rel_start: np.ndarray  # (n_occ + 1,) offsets into the relation arrays
    unrelated: np.ndarray  # skill indices used as unrelated noise
    divisions: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]  # per sector: codes, p, sec


def region_names() -> list[str]:
    """The names of the labour-market regions in the reference data."""
    return sorted(read_table("regions")["name"].astype(str))


def resolve_region(region: str) -> str:
    """The reference spelling of ``region`` (case-insensitive); InvalidInput listing close names."""
    names = region_names()
    by_fold = {name.casefold(): name for name in names}
    if region.casefold() in by_fold:
        return by_fold[region.casefold()]
    close = difflib.get_close_matches(region, names, n=4, cutoff=0.4)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise InvalidInput(f"Unknown labour-market region {region!r}.{hint} Known: {', '.join(names)}")


@lru_cache(maxsize=8)
def load_geography(region: str) -> Geography:
    """The populated PC4 areas of ``region``."""
    name = resolve_region(region)
    regions = read_table("regions")
    codes = str(regions.loc[regions["name"] == name, "municipality_codes"].iloc[0]).split(";")
    municipalities = read_table("municipalities").set_index("code")["name"]
    pc4 = read_table("pc4")
    pc4 = pc4.loc[pc4["municipality_code"].isin(codes)].sort_values("pc4")
    population = pd.to_numeric(pc4["population"]).fillna(0).to_numpy(dtype=float)
    keep = population > 0
    if not keep.any():
        raise InvalidInput(f"Region {name!r} has no populated PC4 areas in the reference data.")
    pc4 = pc4.loc[keep]
    weight = population[keep] / population[keep].sum()
    municipality = pc4["municipality_code"].astype(str).to_numpy()
    return Geography(
        region=name,
        pc4=pc4["pc4"].astype(str).to_numpy(),
        municipality=municipality,
        place=municipalities.reindex(municipality).fillna("").astype(str).to_numpy(),
        lat=pc4["lat"].to_numpy(dtype=float),
        lon=pc4["lon"].to_numpy(dtype=float),
        weight=weight,
    )


def _split(cell: object) -> list[str]:
    """The labels of a ``|``-separated cell, without list separators inside them."""
    if not isinstance(cell, str) or not cell:
        return []
    return [part.strip().replace(";", ",") for part in cell.split("|") if part.strip()]


def _plain(text: str) -> str:
    """Lower case without diacritics, as people type in a hurry."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _typo_swap(text: str) -> str:
    """Two neighbouring letters swapped in the middle of the text."""
    i = len(text) // 2
    return text if len(text) < 5 else text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def _typo_drop(text: str) -> str:
    """One letter dropped a third of the way in."""
    i = len(text) // 3
    return text if len(text) < 6 else text[:i] + text[i + 1 :]


def written_forms(uri: str, label: str, alt: str) -> list[str]:
    """The written forms of one concept, in ``FORMS`` order."""
    label = " ".join(label.split())
    forms = [uri, label, alt or label, _plain(label), _typo_swap(label), _typo_drop(label)]
    return [" ".join(form.split()) for form in forms]


def _pool_occupations() -> pd.DataFrame:
    """The ESCO occupations of ``OCCUPATION_POOL`` with sector index and weight."""
    occupations = read_table("occupations")
    frames = []
    for entry in OCCUPATION_POOL:
        group = occupations.loc[occupations["isco_group"] == entry.isco_group]
        chosen = group.loc[group["label_en"].isin(entry.labels_en)] if entry.labels_en else group
        if chosen.empty:  # labels renamed in another ESCO version: fall back to the group
            chosen = group
        chosen = chosen.assign(
            sector=SECTOR_KEYS.index(entry.sector), weight=entry.weight / max(len(chosen), 1)
        )
        frames.append(chosen)
    pool = pd.concat(frames).drop_duplicates("uri").sort_values("uri").reset_index(drop=True)
    if pool.empty:
        raise InvalidInput("The reference data holds none of the demo occupation pool.")
    return pool


def _occupation_titles(row: pd.Series) -> tuple[str, ...]:
    """Dutch base titles of an occupation: its label and its first Dutch alternative labels."""
    label = str(row["label_nl"]) if isinstance(row["label_nl"], str) else str(row["label_en"])
    alts = [alt for alt in _split(row["alt_labels_nl"]) if alt != label and len(alt) <= 40]
    return (label, *alts[:6])


def _skill_table(pool: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The occupation–skill relations of the pool and the skills they and the noise use."""
    relations = read_table("occupation_skills")
    relations = relations.loc[relations["occupation_uri"].isin(pool["uri"])]
    skills = read_table("skills")
    cross = skills.loc[
        skills["reuse_level"].isin(["cross-sector", "transversal"])
        & skills["label_nl"].notna()
        & ~skills["uri"].isin(relations["skill_uri"])
    ].sort_values("uri")
    noise = cross.iloc[:: max(len(cross) // 300, 1)]
    used = skills.loc[skills["uri"].isin(relations["skill_uri"]) | skills["uri"].isin(noise["uri"])]
    return relations, used.sort_values("uri").reset_index(drop=True).assign(
        noise=lambda frame: frame["uri"].isin(noise["uri"])
    )


def _forms(frame: pd.DataFrame, alt_column: str, fallback_alt: str) -> np.ndarray:
    """Written forms per row: URI, Dutch (else English) label, an alternative, variants."""
    rows = []
    for uri, nl, en, alt_nl, alt_en in frame[
        ["uri", "label_nl", "label_en", alt_column, fallback_alt]
    ].itertuples(index=False):
        label = (nl if isinstance(nl, str) and nl else str(en)).replace(";", ",")
        alts = [a for a in _split(alt_nl) + _split(alt_en) if a.casefold() != label.casefold()]
        rows.append(written_forms(str(uri), label, alts[0] if alts else ""))
    return np.array(rows, dtype=object).reshape(len(rows), len(FORMS))


def _divisions() -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]:
    """Per sector: its SBI divisions present in the reference data, probabilities, sections."""
    table = read_table("sbi_divisions").set_index("code")["section"]
    out = []
    for sector in SECTORS:
        codes = [code for code, _ in sector.divisions if code in table.index]
        weights = np.array([w for code, w in sector.divisions if code in table.index])
        if not codes:
            raise InvalidInput(f"No SBI division of sector {sector.key!r} in the reference data.")
        sections = table.reindex(codes).astype(str).to_numpy()
        out.append((np.array(codes), weights / weights.sum(), sections))
    return tuple(out)


@lru_cache(maxsize=1)
def load_taxonomy() -> Taxonomy:
    """The occupation pool, its skills and their written forms."""
    pool = _pool_occupations()
    relations, skills = _skill_table(pool)
    occ_index = pd.Series(np.arange(len(pool)), index=pool["uri"])
    skill_index = pd.Series(np.arange(len(skills)), index=skills["uri"])
    rel_occ = occ_index.reindex(relations["occupation_uri"]).to_numpy()
    order = np.lexsort((skill_index.reindex(relations["skill_uri"]).to_numpy(), rel_occ))
    relations = relations.iloc[order]
    rel_occ = occ_index.reindex(relations["occupation_uri"]).to_numpy().astype(np.int32)
    weight = pool["weight"].to_numpy(dtype=float)
    return Taxonomy(
        occ_uri=pool["uri"].astype(str).to_numpy(),
        occ_isco=pool["isco_group"].astype(str).to_numpy(),
        occ_minor=pool["isco_group"].astype(str).str[:3].to_numpy(),
        occ_sector=pool["sector"].to_numpy(dtype=np.int32),
        occ_weight=weight / weight.sum(),
        occ_forms=_forms(pool, "alt_labels_nl", "alt_labels_nl"),
        occ_titles=tuple(_occupation_titles(row) for _, row in pool.iterrows()),
        skill_uri=skills["uri"].astype(str).to_numpy(),
        skill_forms=_forms(skills, "alt_labels_nl", "alt_labels_en"),
        rel_occ=rel_occ,
        rel_skill=skill_index.reindex(relations["skill_uri"]).to_numpy().astype(np.int32),
        rel_essential=(relations["relation"] == "essential").to_numpy(),
        rel_start=np.searchsorted(rel_occ, np.arange(len(pool) + 1)).astype(np.int64),
        unrelated=np.flatnonzero(skills["noise"].to_numpy()),
        divisions=_divisions(),
    )

"""Candidates (job seekers): attributes, work history, true skills and what the files say."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from demo import proportions as share
from demo.catalogue import SECTORS
from demo.mechanisms import Recording
from demo.sampling import draw, draw_given, expand_ranges, join_by_owner, weighted_index
from demo.sources import FORMS, Geography, Taxonomy

MAX_HISTORY = 3


@dataclass
class Candidates:
    """Candidates as parallel arrays; latent fields are what the files do not show exactly."""

    pc4: np.ndarray  # index into Geography
    birth_year: np.ndarray
    gender: np.ndarray
    target_group: np.ndarray
    benefit: np.ndarray
    ladder: np.ndarray
    hours: np.ndarray
    licence: np.ndarray
    reach_km: np.ndarray  # latent travel reach; written as max_travel_km unless missing
    education: np.ndarray
    languages: np.ndarray
    consent: np.ndarray
    occ: np.ndarray  # (n, MAX_HISTORY) occupation indices, -1 padded
    years: np.ndarray  # (n, MAX_HISTORY) years of experience per occupation
    pref: np.ndarray  # (n, 2) preferred sector indices, -1 padded
    skill_start: np.ndarray  # CSR offsets of the true skills
    skill: np.ndarray  # true skill indices, sorted per candidate
    unobserved: np.ndarray  # latent N(0, 1) factor (motivation, health, network)

    @property
    def size(self) -> int:
        """Number of candidates."""
        return len(self.ladder)


def _ladder(rng: np.random.Generator, target_group: np.ndarray, benefit: np.ndarray) -> np.ndarray:
    """Participation-ladder steps by target group; WW recipients by their own table."""
    ladder = draw_given(rng, share.LADDER_BY_TARGET_GROUP, target_group).astype(np.int64)
    ww = np.flatnonzero(benefit == "ww")
    ladder[ww] = draw(rng, share.LADDER_WW, len(ww)).astype(np.int64)
    return ladder


def _birth_years(rng: np.random.Generator, n: int, as_of: dt.date) -> np.ndarray:
    """Birth years from the age bands, uniform within a band."""
    bands = draw(rng, share.AGE_BANDS, n)
    low = np.array([band[0] for band in bands], dtype=np.int64)
    high = np.array([band[1] for band in bands], dtype=np.int64)
    return as_of.year - rng.integers(low, high + 1)


def _languages(rng: np.random.Generator, target_group: np.ndarray) -> np.ndarray:
    """``;``-joined ISO 639-1 codes: Dutch, English, a home language by target group."""
    n = len(target_group)
    dutch = rng.random(n) < np.vectorize(share.DUTCH_SPEAKING.get)(target_group)
    english = rng.random(n) < share.ENGLISH_SPEAKING
    other = rng.random(n) < np.vectorize(share.OTHER_LANGUAGE.get)(target_group)
    other |= ~(dutch | english)
    home = draw(rng, share.OTHER_LANGUAGES, n)
    parts = [np.where(dutch, "nl;", ""), np.where(english, "en;", ""), np.where(other, home, "")]
    return np.char.rstrip(np.char.add(np.char.add(parts[0], parts[1]), parts[2].astype(str)), ";")


def _history(rng: np.random.Generator, tax: Taxonomy, n: int) -> np.ndarray:
    """(n, MAX_HISTORY) occupation indices; later ones often from the first one's sector."""
    count = draw(rng, share.N_OCCUPATIONS, n).astype(np.int64)
    occ = np.full((n, MAX_HISTORY), -1, dtype=np.int64)
    occ[:, 0] = weighted_index(rng, tax.occ_weight, n)
    for j in range(1, MAX_HISTORY):
        fresh = weighted_index(rng, tax.occ_weight, n)
        same = rng.random(n) < share.SAME_SECTOR_NEXT_OCCUPATION
        for s in np.unique(tax.occ_sector):
            in_sector = np.flatnonzero(tax.occ_sector == s)
            rows = np.flatnonzero(same & (tax.occ_sector[occ[:, 0]] == s))
            picks = weighted_index(rng, tax.occ_weight[in_sector], len(rows))
            fresh[rows] = in_sector[picks]
        duplicate = (occ[:, :j] == fresh[:, None]).any(axis=1)
        occ[:, j] = np.where((j < count) & ~duplicate, fresh, -1)
    return occ


def _skills(
    rng: np.random.Generator, tax: Taxonomy, occ: np.ndarray, recording: Recording
) -> np.ndarray:
    """CSR pairs (candidate, skill) of true skills, as a sorted unique key array."""
    n_skill = len(tax.skill_uri)
    rows, cols = np.nonzero(occ >= 0)
    o = occ[rows, cols]
    rel, owner = expand_ranges(tax.rel_start[o], tax.rel_start[o + 1])
    p = np.where(
        tax.rel_essential[rel], recording.skill_held_essential, recording.skill_held_optional
    )
    kept = rng.random(len(rel)) < p
    keys = rows[owner[kept]].astype(np.int64) * n_skill + tax.rel_skill[rel[kept]]
    extra = rng.binomial(2, share.UNRELATED_SKILLS_MEAN / 2, len(occ))
    owners = np.repeat(np.arange(len(occ)), extra)
    noise = tax.unrelated[rng.integers(0, len(tax.unrelated), len(owners))]
    keys = np.sort(np.concatenate([keys, owners * n_skill + noise]))
    return keys[np.r_[True, keys[1:] != keys[:-1]]]


def _preferences(rng: np.random.Generator, tax: Taxonomy, occ: np.ndarray) -> np.ndarray:
    """(n, 2) preferred sector indices: mostly from the work history, else any sector."""
    n = len(occ)
    shares = np.array([sector.share for sector in SECTORS])
    pref = np.full((n, 2), -1, dtype=np.int64)
    for j in range(2):
        source = occ[:, j] if j < occ.shape[1] else occ[:, 0]
        from_history = tax.occ_sector[np.maximum(source, 0)]
        anywhere = weighted_index(rng, shares, n)
        use_history = (source >= 0) & (rng.random(n) < share.PREFERENCE_FROM_HISTORY)
        pref[:, j] = np.where(use_history, from_history, anywhere)
    second = (rng.random(n) < share.SECOND_PREFERENCE) & (pref[:, 1] != pref[:, 0])
    pref[~second, 1] = -1
    return pref


def make_candidates(
    rng: np.random.Generator, geo: Geography, tax: Taxonomy, n: int, as_of: dt.date,
    recording: Recording | None = None,
) -> Candidates:  # fmt: skip
    """``n`` candidates living in ``geo``, population-weighted."""
    target_group = draw(rng, share.TARGET_GROUP, n).astype(str)
    benefit = draw_given(rng, share.BENEFIT_BY_TARGET_GROUP, target_group).astype(str)
    ladder = _ladder(rng, target_group, benefit)
    licence = rng.random(n) < np.vectorize(share.DRIVING_LICENCE.get)(target_group)
    reach = np.where(
        licence,
        rng.choice([10, 15, 20, 25, 30, 40], n),
        rng.choice([3, 5, 8, 10, 15, 20], n),
    )
    education = draw(rng, share.EDUCATION, n)
    refugee = np.flatnonzero(target_group == "statushouder")
    education[refugee] = draw(rng, share.EDUCATION_STATUSHOUDER, len(refugee))
    occ = _history(rng, tax, n)
    years = np.where(occ >= 0, np.round(rng.gamma(1.5, 1.8, occ.shape), 1), 0.0)
    keys = _skills(rng, tax, occ, recording or Recording())
    owners = keys // len(tax.skill_uri)
    return Candidates(
        pc4=weighted_index(rng, geo.weight, n),
        birth_year=_birth_years(rng, n, as_of),
        gender=draw(rng, share.GENDER, n).astype(str),
        target_group=target_group,
        benefit=benefit,
        ladder=ladder,
        hours=draw_given(
            rng, share.HOURS_BY_LADDER_BAND, np.where(ladder <= 3, "low", "high")
        ).astype(np.int64),
        licence=licence,
        reach_km=reach,
        education=education.astype(str),
        languages=_languages(rng, target_group),
        consent=rng.random(n) < share.CONSENT_REGIONAL,
        occ=occ,
        years=years,
        pref=_preferences(rng, tax, occ),
        skill_start=np.searchsorted(owners, np.arange(n + 1)),
        skill=(keys % len(tax.skill_uri)).astype(np.int64),
        unobserved=rng.standard_normal(n),
    )


def render_items(
    rng: np.random.Generator, forms: np.ndarray, index: np.ndarray, table: dict[str, float]
) -> np.ndarray:
    """The written text of concepts ``index``, each in a form drawn from ``table``."""
    codes = np.array([FORMS.index(name) for name in table], dtype=np.int64)
    form = codes[rng.choice(len(codes), size=len(index), p=np.fromiter(table.values(), float))]
    return forms[index, form] if len(index) else np.array([], dtype=object)


def written_competences(
    rng: np.random.Generator, tax: Taxonomy, people: Candidates, recording: Recording | None = None
) -> np.ndarray:
    """The competences cell: a shuffled, partial, mixed-form list of the true skills."""
    recording = recording or Recording()
    owner = np.repeat(np.arange(people.size), np.diff(people.skill_start))
    keep = rng.random(len(owner)) < recording.skill_recorded
    owner, skill = owner[keep], people.skill[keep]
    order = np.lexsort((rng.random(len(owner)), owner))
    owner, skill = owner[order], skill[order]
    rank = np.arange(len(owner)) - np.searchsorted(owner, owner)
    keep = rank < share.MAX_WRITTEN_COMPETENCES
    texts = render_items(rng, tax.skill_forms, skill[keep], dict(share.SKILL_FORM))
    cells = join_by_owner(owner[keep], texts, people.size)
    cells[rng.random(people.size) < recording.competences_missing] = ""
    return cells


def written_occupations(rng: np.random.Generator, tax: Taxonomy, people: Candidates) -> np.ndarray:
    """The occupations cell: the work history, each as URI or Dutch title."""
    rows, cols = np.nonzero(people.occ >= 0)
    texts = render_items(rng, tax.occ_forms, people.occ[rows, cols], dict(share.OCCUPATION_FORM))
    cells = join_by_owner(rows, texts, people.size)
    cells[rng.random(people.size) < share.OCCUPATIONS_MISSING] = ""
    return cells


def written_sectors(rng: np.random.Generator, tax: Taxonomy, people: Candidates) -> np.ndarray:
    """The sector_preferences cell: SBI section letters or Dutch sector names."""
    rows, cols = np.nonzero(people.pref >= 0)
    sectors = people.pref[rows, cols]
    as_name = rng.random(len(rows)) < share.SECTOR_AS_NAME
    texts = np.empty(len(rows), dtype=object)
    for s, sector in enumerate(SECTORS):
        hit = np.flatnonzero(sectors == s)
        names = sector.names if sector.names else ("",)
        name = np.asarray(names, dtype=object)[rng.integers(0, len(names), len(hit))]
        _, p, sections = tax.divisions[s]
        texts[hit] = np.where(as_name[hit] & (name != ""), name, sections[int(np.argmax(p))])
    repeated = np.r_[False, (rows[1:] == rows[:-1]) & (texts[1:] == texts[:-1])]
    cells = join_by_owner(rows[~repeated], texts[~repeated], people.size)
    cells[rng.random(people.size) < share.SECTOR_PREFERENCES_MISSING] = ""
    return cells

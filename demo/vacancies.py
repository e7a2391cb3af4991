"""Vacancies: occupation, messy Dutch titles, required and optional skills, requirements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from demo import proportions as share
from demo.catalogue import (
    CROSS_SECTOR_KEYS,
    CROSS_SECTOR_SHARE,
    SECTOR_KEYS,
    SECTORS,
    TITLE_PREFIXES,
    TITLE_SUFFIXES,
)
from demo.employers import Employers
from demo.sampling import draw, draw_given, expand_ranges, weighted_index
from demo.sources import Geography, Taxonomy

DRIVING_GROUPS = frozenset({"8322", "8332"})
EDUCATION_BY_MAJOR: dict[str, dict[str, float]] = {
    "9": {"none": 40, "vo": 45, "mbo1": 15},
    "5": {"vo": 35, "mbo1": 25, "mbo2": 40},
    "8": {"vo": 30, "mbo2": 70},
    "7": {"mbo2": 60, "mbo3": 40},
    "6": {"vo": 40, "mbo2": 60},
    "4": {"mbo2": 40, "mbo3": 40, "mbo4": 20},
}


@dataclass
class Vacancies:
    """Vacancies as parallel arrays; the skill lists are CSR (start offsets, skill indices)."""

    employer: np.ndarray  # index into Employers
    occ: np.ndarray  # index into Taxonomy occupations
    pc4: np.ndarray
    hours: np.ndarray
    positions: np.ndarray
    opened: np.ndarray  # datetime64[D]
    closes: np.ndarray  # datetime64[D], NaT when open-ended
    education_min: np.ndarray
    languages: np.ndarray
    licence_required: np.ndarray  # "true" / "false" / ""
    req_start: np.ndarray
    req_skill: np.ndarray
    opt_start: np.ndarray
    opt_skill: np.ndarray
    title: np.ndarray
    acquired_by: np.ndarray

    @property
    def size(self) -> int:
        """Number of vacancies."""
        return len(self.occ)


def _employers_of(rng: np.random.Generator, firms: Employers, n: int) -> np.ndarray:
    """Employer index per vacancy: every hiring employer at least once, bigger ones more."""
    hiring = np.flatnonzero(firms.hiring)
    weight = firms.employees[hiring].astype(float) ** 0.6
    base = hiring[: min(n, len(hiring))]
    rest = hiring[weighted_index(rng, weight, n - len(base))]
    return np.sort(np.concatenate([base, rest]))


def _occupations(rng: np.random.Generator, tax: Taxonomy, sector: np.ndarray) -> np.ndarray:
    """The vacancy's occupation: mostly from its employer's sector, else a cross-sector one."""
    cross = np.isin(tax.occ_sector, [SECTOR_KEYS.index(k) for k in CROSS_SECTOR_KEYS])
    occ = np.flatnonzero(cross)[weighted_index(rng, tax.occ_weight[cross], len(sector))]
    own = rng.random(len(sector)) >= CROSS_SECTOR_SHARE
    for s in range(len(SECTORS)):
        pool = np.flatnonzero(tax.occ_sector == s)
        rows = np.flatnonzero(own & (sector == s))
        if len(pool) and len(rows):
            occ[rows] = pool[weighted_index(rng, tax.occ_weight[pool], len(rows))]
    return np.asarray(occ)


def _skill_lists(
    rng: np.random.Generator, tax: Taxonomy, occ: np.ndarray, essential: bool, mean: float
) -> tuple[np.ndarray, np.ndarray]:
    """CSR skill lists: about ``mean`` of each occupation's essential (or optional) skills."""
    rel, owner = expand_ranges(tax.rel_start[occ], tax.rel_start[occ + 1])
    match = tax.rel_essential[rel] == essential
    rel, owner = rel[match], owner[match]
    available = np.bincount(owner, minlength=len(occ))
    p = np.minimum(mean / np.maximum(available[owner], 1), 1.0)
    keep = rng.random(len(rel)) < p
    if essential:  # a vacancy states at least one requirement when its occupation has any
        first = np.r_[True, owner[1:] != owner[:-1]] if len(owner) else np.array([], bool)
        none_kept = np.bincount(owner[keep], minlength=len(occ)) == 0
        keep |= first & none_kept[owner]
    return np.searchsorted(owner[keep], np.arange(len(occ) + 1)), tax.rel_skill[rel[keep]]


def _compound(title: str, flip: bool) -> str:
    """``medewerker magazijn`` <-> ``magazijnmedewerker`` when ``flip``."""
    words = title.split(" ")
    if not flip:
        return title
    if len(words) == 2 and words[0] == "medewerker":
        return words[1] + "medewerker"
    if len(words) == 1 and title.endswith("medewerker") and len(title) > 10:
        return "medewerker " + title[: -len("medewerker")]
    return title


def titles(
    rng: np.random.Generator, tax: Taxonomy, occ: np.ndarray, hours: np.ndarray, place: np.ndarray
) -> np.ndarray:
    """Messy Dutch vacancy titles built from the occupation's Dutch labels."""
    n = len(occ)
    prefix = draw(rng, dict(TITLE_PREFIXES), n)
    suffix = draw(rng, dict(TITLE_SUFFIXES), n)
    base_pick, flip, upper = rng.random(n), rng.random(n) < 0.3, rng.random(n) < 0.7
    out = []
    for i in range(n):
        options = tax.occ_titles[occ[i]]
        base = options[0] if base_pick[i] < 0.4 else options[int(base_pick[i] * 1e6) % len(options)]
        text = prefix[i] + _compound(base, bool(flip[i])) + suffix[i]
        text = text.format(hours=int(hours[i]), place=place[i])
        out.append(text[:1].upper() + text[1:] if upper[i] else text)
    return np.array(out, dtype=object)


def staff_ids(prefix: str, surnames: tuple[str, ...], count: int) -> tuple[str, ...]:
    """``count`` user ids like ``am-jansen``; numbered once the surnames run out."""
    return tuple(
        f"{prefix}-{surnames[k % len(surnames)]}{'' if k < len(surnames) else k // len(surnames)}"
        for k in range(count)
    )


def _licence_required(rng: np.random.Generator, tax: Taxonomy, occ: np.ndarray) -> np.ndarray:
    """Driving licence required: always for drivers, sometimes for care and trades, else rarely."""
    group = tax.occ_isco[occ]
    p = np.where(np.isin(group, list(DRIVING_GROUPS)), 1.0, 0.05)
    p = np.where(np.isin(group, ["5322", "7126", "7115", "6113"]), 0.35, p)
    out = np.where(rng.random(len(occ)) < p, "true", "false").astype(object)
    out[(rng.random(len(occ)) < 0.2) & (p < 1.0)] = ""
    return out


def make_vacancies(
    rng: np.random.Generator,
    geo: Geography,
    tax: Taxonomy,
    firms: Employers,
    n: int,
    *,
    as_of: dt.date,
    account_managers: tuple[str, ...],
) -> Vacancies:
    """``n`` vacancies at the hiring employers over the last ``HISTORY_YEARS`` years."""
    employer = _employers_of(rng, firms, n)
    sector = firms.sector[employer]
    occ = _occupations(rng, tax, sector)
    elsewhere = rng.random(n) < 0.1
    pc4 = np.where(elsewhere, weighted_index(rng, geo.weight, n), firms.pc4[employer])
    band = np.where([SECTORS[s].parttime for s in sector.tolist()], "parttime", "fulltime")
    hours = draw_given(rng, share.VACANCY_HOURS, band).astype(np.int64)
    end = np.datetime64(as_of, "D")
    opened = end - rng.integers(1, 365 * share.HISTORY_YEARS + 1, n).astype("timedelta64[D]")
    closes = opened + rng.integers(21, 91, n).astype("timedelta64[D]")
    closes[rng.random(n) < 0.3] = np.datetime64("NaT")
    major = np.array([group[0] for group in tax.occ_isco[occ]], dtype=object)
    tables = {m: share.probabilities(table) for m, table in EDUCATION_BY_MAJOR.items()}
    education = draw_given(rng, tables, major)
    education[(rng.random(n) < share.VACANCY_EDUCATION_MISSING) | (education == None)] = ""  # noqa: E711
    req_start, req_skill = _skill_lists(rng, tax, occ, essential=True, mean=6.0)
    opt_start, opt_skill = _skill_lists(rng, tax, occ, essential=False, mean=2.5)
    return Vacancies(
        employer=employer,
        occ=occ,
        pc4=pc4,
        hours=hours,
        positions=draw(rng, share.POSITIONS, n).astype(np.int64),
        opened=opened,
        closes=closes,
        education_min=education,
        languages=draw(rng, share.VACANCY_LANGUAGES, n),
        licence_required=_licence_required(rng, tax, occ),
        req_start=req_start,
        req_skill=req_skill,
        opt_start=opt_start,
        opt_skill=opt_skill,
        title=titles(rng, tax, occ, hours, geo.place[pc4]),
        acquired_by=np.asarray(account_managers, dtype=object)[
            rng.integers(0, len(account_managers), n)
        ],
    )


# Titles as employers write them (issue #19): hours, gender tags, "regio …", "- place",
# a sector word, exclamation, typos. ``{t}`` is a Dutch label of the occupation.
EMPLOYER_PATTERNS: tuple[tuple[str, float], ...] = (
    ("{t} ({hours}u) regio {place}", 12), ("{t} M/V/X", 10), ("{t} (v/m)", 10),
    ("{t} M/V/X regio {place}", 8), ("Allround {t} - {place}", 8), ("{t} - {place}", 10),
    ("{t} {sector}", 10), ("{t} {sector} ({hours}u)", 6), ("Wij zoeken een {t}!", 5),
    ("{t} {hours}-{hours_to} uur", 6), ("Ervaren {t} gezocht", 5), ("{t} (m/v/x) | {place}", 5),
    ("Vacature: {t} in {place}", 5),
)  # fmt: skip
TYPO_SHARE = 0.25


def _typo(rng: np.random.Generator, text: str) -> str:
    """One slip of the keyboard in a longer word: two letters swapped or one doubled."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return text
    i = long[int(rng.integers(len(long)))]
    w, at = words[i], int(rng.integers(2, len(words[i]) - 2))
    swapped = w[: at - 1] + w[at] + w[at - 1] + w[at + 1 :]
    words[i] = swapped if rng.random() < 0.6 and swapped != w else w[:at] + w[at] + w[at:]
    return " ".join(words)


def employer_titles(
    rng: np.random.Generator, tax: Taxonomy, jobs: Vacancies, sector: np.ndarray,
    place: np.ndarray, share_written: float,
) -> np.ndarray:  # fmt: skip
    """``jobs.title`` with ``share_written`` of them rewritten the way employers write titles."""
    out = jobs.title.copy()
    rows = np.flatnonzero(rng.random(jobs.size) < share_written)
    pattern = draw(rng, share.probabilities(dict(EMPLOYER_PATTERNS)), len(rows))
    for i, form in zip(rows.tolist(), pattern.tolist(), strict=True):
        options = tax.occ_titles[jobs.occ[i]]
        base = options[int(rng.integers(min(len(options), 3)))]
        names = SECTORS[int(sector[i])].names
        text = str(form).format(
            t=base, hours=int(jobs.hours[i]), hours_to=min(int(jobs.hours[i]) + 4, 40),
            place=place[i], sector=names[0] if names else "",
        ).strip()  # fmt: skip
        text = _typo(rng, text) if rng.random() < TYPO_SHARE else text
        out[i] = text[:1].upper() + text[1:]
    return out

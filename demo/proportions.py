"""The documented target proportions of the demo region (sources in ``docs/demo-region.md``).

Every probability table the generator samples from lives here, so that the documentation and the
tests check the very numbers the generator uses. Tables are ``{value: probability}``; conditional
tables are keyed by the conditioning value.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

K = TypeVar("K")


def probabilities(weights: Mapping[K, float]) -> Mapping[K, float]:
    """Normalise weights to probabilities (read-only)."""
    total = float(sum(weights.values()))
    return MappingProxyType({key: value / total for key, value in weights.items()})


# Amsterdam-Noord, Waterlandpleinbuurt: 300/297/124/77/28 job seekers on steps 1–5 of the local
# 5-step ladder. Mapped one-to-one on national steps 1–5 (the local ladder has no step for paid
# work without support); used for regular Participatiewet candidates.
WATERLANDPLEIN_COUNTS = (300, 297, 124, 77, 28)
LADDER_BY_TARGET_GROUP: Mapping[str, Mapping[int, float]] = MappingProxyType(
    {
        "regulier": probabilities(dict(zip(range(1, 7), (*WATERLANDPLEIN_COUNTS, 0), strict=True))),
        "statushouder": probabilities({1: 10, 2: 30, 3: 30, 4: 20, 5: 10, 6: 0}),
        "doelgroepregister": probabilities({1: 5, 2: 15, 3: 30, 4: 30, 5: 20, 6: 0}),
        "nug": probabilities({1: 5, 2: 10, 3: 20, 4: 20, 5: 25, 6: 20}),
    }
)
# WW recipients are close to the labour market whatever their target group.
LADDER_WW: Mapping[int, float] = probabilities({1: 0, 2: 0, 3: 5, 4: 10, 5: 35, 6: 50})

TARGET_GROUP: Mapping[str, float] = probabilities(
    {"regulier": 62, "statushouder": 14, "doelgroepregister": 12, "nug": 12}
)
BENEFIT_BY_TARGET_GROUP: Mapping[str, Mapping[str, float]] = MappingProxyType(
    {
        "regulier": probabilities({"participatiewet": 85, "ww": 15, "none": 0}),
        "statushouder": probabilities({"participatiewet": 97, "ww": 0, "none": 3}),
        "doelgroepregister": probabilities({"participatiewet": 60, "ww": 10, "none": 30}),
        "nug": probabilities({"participatiewet": 0, "ww": 0, "none": 100}),
    }
)
GENDER: Mapping[str, float] = probabilities({"v": 51, "m": 48, "x": 1})
# Age bands (inclusive) of people on social assistance; the AOW age ends the range.
AGE_BANDS: Mapping[tuple[int, int], float] = probabilities(
    {(18, 26): 12, (27, 44): 38, (45, 54): 22, (55, 66): 28}
)
EDUCATION: Mapping[str, float] = probabilities(
    {"none": 12, "vo": 33, "mbo1": 10, "mbo2": 20, "mbo3": 10, "mbo4": 9, "hbo": 5, "wo": 1}
)
EDUCATION_MISSING = 0.08
HOURS_BY_LADDER_BAND: Mapping[str, Mapping[int, float]] = MappingProxyType(
    {
        "low": probabilities({8: 15, 12: 20, 16: 25, 20: 20, 24: 12, 32: 8}),  # steps 1–3
        "high": probabilities({16: 10, 20: 15, 24: 20, 32: 30, 36: 10, 40: 15}),  # steps 4–6
    }
)
DRIVING_LICENCE: Mapping[str, float] = MappingProxyType(
    {"regulier": 0.38, "statushouder": 0.10, "doelgroepregister": 0.30, "nug": 0.55}
)
DRIVING_LICENCE_MISSING = 0.10
MAX_TRAVEL_MISSING = 0.10
CONSENT_REGIONAL = 0.60
DUTCH_SPEAKING: Mapping[str, float] = MappingProxyType(
    {"regulier": 0.93, "statushouder": 0.55, "doelgroepregister": 0.97, "nug": 0.90}
)
ENGLISH_SPEAKING = 0.35
# Home languages besides Dutch/English, for the share of candidates with a migration background.
OTHER_LANGUAGES: Mapping[str, float] = probabilities(
    {"ar": 30, "tr": 15, "ti": 12, "pl": 10, "so": 6, "fa": 8, "uk": 8, "es": 4, "fr": 4, "ru": 3}
)
OTHER_LANGUAGE: Mapping[str, float] = MappingProxyType(
    {"regulier": 0.25, "statushouder": 0.98, "doelgroepregister": 0.10, "nug": 0.35}
)
INACTIVE = 0.08  # of candidates not in a running placement
N_OCCUPATIONS: Mapping[int, float] = probabilities({1: 50, 2: 35, 3: 15})
OCCUPATIONS_MISSING = 0.04
COMPETENCES_MISSING = 0.06

# Employers.
WHITE_SPOT = 0.65  # share of employers with no contact, vacancy or placement
WITH_VACANCIES = 0.45  # of the employers that are not white spots
EMPLOYEE_PARETO_ALPHA = 1.1  # employees ~ 2 · Pareto(alpha), capped; many small employers
EMPLOYEE_CAP = 5000

# Vacancies.
POSITIONS: Mapping[int, float] = probabilities({1: 80, 2: 12, 3: 5, 4: 2, 5: 1})
VACANCY_HOURS: Mapping[str, Mapping[int, float]] = MappingProxyType(
    {
        "parttime": probabilities({12: 10, 16: 15, 20: 20, 24: 20, 28: 10, 32: 15, 36: 5, 40: 5}),
        "fulltime": probabilities({16: 3, 20: 5, 24: 10, 32: 25, 36: 20, 38: 12, 40: 25}),
    }
)
VACANCY_OCCUPATION_FILLED = 0.35  # share of vacancies whose `occupation` column holds the URI
VACANCY_EDUCATION_MISSING = 0.40
VACANCY_LANGUAGES: Mapping[str, float] = probabilities({"nl": 70, "nl;en": 10, "": 20})
HISTORY_YEARS = 3  # vacancies, contacts and placements span this many years before as_of

# Proposals and placements.
PROPOSALS_PER_VACANCY: Mapping[int, float] = probabilities(
    {0: 15, 1: 20, 2: 25, 3: 20, 4: 12, 5: 8}
)
WITHDRAWN = 0.08
CONTRACT_BY_LADDER: Mapping[int, Mapping[str, float]] = MappingProxyType(
    {
        1: probabilities({"work_experience": 60, "subsidised": 30, "trial": 10, "regular": 0}),
        2: probabilities({"work_experience": 55, "subsidised": 30, "trial": 10, "regular": 5}),
        3: probabilities({"work_experience": 45, "subsidised": 35, "trial": 15, "regular": 5}),
        4: probabilities({"work_experience": 25, "subsidised": 35, "trial": 20, "regular": 20}),
        5: probabilities({"work_experience": 5, "subsidised": 30, "trial": 20, "regular": 45}),
        6: probabilities({"work_experience": 0, "subsidised": 10, "trial": 15, "regular": 75}),
    }
)
EDUCATION_STATUSHOUDER: Mapping[str, float] = probabilities(
    {"none": 30, "vo": 25, "mbo1": 10, "mbo2": 10, "mbo3": 5, "mbo4": 5, "hbo": 12, "wo": 3}
)

# Work history and competences (see the generative model in docs/demo-region.md).
SKILL_KEPT_ESSENTIAL = 0.55  # an essential skill of an occupation one has worked in
SKILL_KEPT_OPTIONAL = 0.15
SKILL_WRITTEN = 0.70  # a skill one has is written down by the intake
UNRELATED_SKILLS_MEAN = 0.8  # unrelated skills per candidate (binomial(2, 0.4))
MAX_WRITTEN_COMPETENCES = 15
SAME_SECTOR_NEXT_OCCUPATION = 0.60
PREFERENCE_FROM_HISTORY = 0.70
SECOND_PREFERENCE = 0.40
SECTOR_PREFERENCES_MISSING = 0.15
SECTOR_AS_NAME = 0.50  # written as a Dutch sector name rather than an SBI section letter
AVAILABLE_FROM_FILLED = 0.20
# How a competence or occupation is written: ESCO URI, Dutch label (English where ESCO has no
# Dutch one), an alternative label, lower case without accents, two kinds of typo.
SKILL_FORM: Mapping[str, float] = probabilities(
    {"uri": 40, "label": 35, "alt": 8, "lower": 7, "typo_swap": 5, "typo_drop": 5}
)
OCCUPATION_FORM: Mapping[str, float] = probabilities(
    {"uri": 40, "label": 35, "alt": 15, "lower": 5, "typo_swap": 5, "typo_drop": 0}
)

"""The mechanisms of a generated world: what decides a lasting placement, what the files record,
and how the old process chose whom to propose.

``Mechanisms()`` holds today's values: the plain demo (``werkmatch demo``, ``generate_region``
without ``mechanisms``) uses them and stays byte-identical. ``draw_mechanisms(seed)`` draws a
member of the *family* around them, so that a modelling choice tuned on one world can be checked
on worlds whose causes differ (``werkmatch bench quality``; ``docs/demo-region.md``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from demo import proportions as share
from matching.errors import InvalidInput


@dataclass(frozen=True)
class DurableModel:
    """Coefficients of the true logit of a durable placement (6 months + 1 day)."""

    intercept: float = -0.6
    competence_fit: float = 2.0  # × (share of required skills the candidate has − 0.5)
    optional_fit: float = 0.5  # × (share of optional skills − 0.3)
    experience: float = 1.2  # × years in the occupation (related ones: a share) / cap
    distance: float = 0.3  # − × km beyond distance_free_km / 10, × licence_distance with licence
    beyond_reach: float = 0.8  # − × km beyond the candidate's own travel reach / 10
    hours_short: float = 0.8  # − × hours the vacancy asks beyond availability / 8
    hours_long: float = 0.25  # − × hours of availability left unused / 16
    readiness: float = 0.35  # × (ladder step − 4)
    sector_preference: float = 0.6  # + when the employer's sector is one the candidate prefers
    candidate_unobserved: float = 0.8  # × latent N(0, 1) of the candidate
    employer_unobserved: float = 0.5  # × latent N(0, 1) of the employer (retention)
    # Added for the family; today's values leave the demo unchanged.
    distance_free_km: float = 0.0  # distance hurts only beyond this many km (0: from the first)
    licence_distance: float = 0.5  # factor on the distance penalty for a licence holder
    group_experience: float = 0.5  # share of years in the same ISCO unit group that counts
    minor_group_experience: float = 0.0  # share of years in the same ISCO minor group
    experience_cap_years: float = 5.0  # experience saturates here
    low_readiness: float = 0.0  # − extra on ladder steps 1–2
    language_missing: float = 0.0  # − when the job truly needs Dutch and the candidate lacks it
    licence_missing: float = 0.0  # − when the job truly needs a licence and there is none
    education_below: float = 0.0  # − when below the vacancy's stated minimum education
    employer_size: float = 0.0  # × log(employees / 3): bigger employers keep people longer


@dataclass(frozen=True)
class HireModel:
    """Coefficients of the employer's decision on a proposed candidate (logit)."""

    intercept: float = -0.9
    competence_fit: float = 1.0
    has_occupation: float = 0.8
    readiness: float = 0.3
    distance: float = 0.1
    candidate_unobserved: float = 0.4


@dataclass(frozen=True)
class Selection:
    """How an account manager judged the pooled candidates (higher is proposed first)."""

    occupation: float = 2.0  # did this occupation
    isco_group: float = 1.0  # an occupation of the same ISCO unit group
    sector: float = 0.8  # prefers the vacancy's sector
    km: float = 0.08  # − per km
    ladder: float = 0.5  # × (step − 3)
    low_ladder: float = 2.5  # − on steps 1–2
    short_hours: float = 1.0  # − under 16 h for a job of 32 h or more
    known_skills: float = 0.0  # × share of required skills the manager knows the person has
    noise: float = 1.0  # sd of personal judgement


@dataclass(frozen=True)
class Recording:
    """How completely the files show what people can do, and how vacancies are written."""

    skill_held_essential: float = share.SKILL_KEPT_ESSENTIAL  # of a history occupation's skills
    skill_held_optional: float = share.SKILL_KEPT_OPTIONAL
    skill_recorded: float = share.SKILL_WRITTEN  # a held skill written down at intake
    competences_missing: float = share.COMPETENCES_MISSING  # empty competence cell
    vacancy_occupation_filled: float = share.VACANCY_OCCUPATION_FILLED  # URI in the file
    employer_titles: float = 0.0  # titles written as employers write them (hours, regio, typos)


@dataclass(frozen=True)
class Mechanisms:
    """One world's causes: the durable model, the old selection, what the files record and how
    employers decide on a proposal."""

    durable: DurableModel = field(default_factory=DurableModel)
    selection: Selection = field(default_factory=Selection)
    recording: Recording = field(default_factory=Recording)
    hire: HireModel = field(default_factory=HireModel)

    @property
    def is_default(self) -> bool:
        """True for today's values (the plain demo)."""
        return self == Mechanisms()

    def as_dict(self) -> dict[str, dict[str, float]]:
        """JSON-ready values per part (``from_dict`` reads them back)."""
        return {
            part.name: dataclasses.asdict(getattr(self, part.name))
            for part in dataclasses.fields(self)
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Mechanisms:
        """The mechanisms ``as_dict`` wrote (missing fields: today's); InvalidInput on unknown
        parts or fields."""
        kinds: dict[str, Any] = {
            "durable": DurableModel,
            "selection": Selection,
            "recording": Recording,
            "hire": HireModel,
        }
        if set(values) - set(kinds):
            raise InvalidInput(
                f"Onbekende onderdelen: {', '.join(sorted(set(values) - set(kinds)))}."
            )
        parts: dict[str, Any] = {}
        for name, kind in kinds.items():
            given = dict(values.get(name, {}))
            unknown = set(given) - {f.name for f in dataclasses.fields(kind)}
            if unknown:
                raise InvalidInput(
                    f"Onbekende mechanismen in {name}: {', '.join(sorted(unknown))}."
                )
            parts[name] = kind(**{k: float(v) for k, v in given.items()})
        return cls(**parts)


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    """A uniform draw rounded to 3 decimals (readable, and exact through JSON)."""
    return round(float(rng.uniform(low, high)), 3)


def _durable(rng: np.random.Generator) -> DurableModel:
    """A durable model around today's coefficients; some effects absent, some strong."""
    threshold = rng.random() < 0.5  # distance hurts only beyond a threshold in half the worlds
    return DurableModel(
        intercept=_u(rng, -1.3, 0.1),
        competence_fit=_u(rng, 0.6, 3.4),
        optional_fit=_u(rng, 0.0, 1.0),
        experience=_u(rng, 0.2, 2.4),
        distance=_u(rng, 0.05, 0.7),
        beyond_reach=_u(rng, 0.2, 1.6),
        hours_short=_u(rng, 0.2, 1.6),
        hours_long=_u(rng, 0.0, 0.5),
        readiness=_u(rng, 0.05, 0.6),
        sector_preference=_u(rng, 0.0, 1.3),
        candidate_unobserved=_u(rng, 0.4, 1.2),
        employer_unobserved=_u(rng, 0.2, 1.0),
        distance_free_km=_u(rng, 3.0, 12.0) if threshold else 0.0,
        licence_distance=_u(rng, 0.2, 1.0),
        group_experience=_u(rng, 0.0, 0.9),
        minor_group_experience=_u(rng, 0.0, 0.4),
        experience_cap_years=_u(rng, 2.0, 8.0),
        low_readiness=_u(rng, 0.0, 1.2),
        language_missing=_u(rng, 0.0, 1.5),
        licence_missing=_u(rng, 0.0, 1.5),
        education_below=_u(rng, 0.0, 0.8),
        employer_size=_u(rng, -0.2, 0.3),
    )


SELECTION_STYLES = ("occupation", "nearness", "known_skills", "ladder", "mixed")


def _selection(rng: np.random.Generator) -> Selection:
    """The old process: one dominant habit (occupation, nearness, skills, ladder) or a mix."""
    style = SELECTION_STYLES[int(rng.integers(len(SELECTION_STYLES)))]
    boost = {name: 3.0 if name == style else 1.0 for name in SELECTION_STYLES}
    return Selection(
        occupation=round(_u(rng, 0.5, 2.5) * boost["occupation"], 3),
        isco_group=_u(rng, 0.0, 1.5),
        sector=_u(rng, 0.0, 1.2),
        km=round(_u(rng, 0.02, 0.12) * boost["nearness"], 3),
        ladder=round(_u(rng, 0.1, 0.6) * boost["ladder"], 3),
        low_ladder=_u(rng, 0.5, 3.0),
        short_hours=_u(rng, 0.0, 1.5),
        known_skills=round(_u(rng, 0.0, 1.5) * boost["known_skills"], 3),
        noise=_u(rng, 0.5, 2.0),
    )


def _recording(rng: np.random.Generator) -> Recording:
    """How complete the files are, and whether titles are written the employer's way."""
    return Recording(
        skill_held_essential=_u(rng, 0.4, 0.8),
        skill_held_optional=_u(rng, 0.05, 0.3),
        skill_recorded=_u(rng, 0.3, 0.9),
        competences_missing=_u(rng, 0.02, 0.25),
        vacancy_occupation_filled=_u(rng, 0.0, 0.5),
        employer_titles=_u(rng, 0.3, 0.9),
    )


def _hire(rng: np.random.Generator) -> HireModel:
    """The employers' decision: what they look at when someone is proposed."""
    return HireModel(
        intercept=_u(rng, -1.4, -0.5),
        competence_fit=_u(rng, 0.2, 1.6),
        has_occupation=_u(rng, 0.2, 1.6),
        readiness=_u(rng, 0.05, 0.5),
        distance=_u(rng, 0.0, 0.3),
        candidate_unobserved=_u(rng, 0.1, 0.9),
    )


def draw_mechanisms(seed: int) -> Mechanisms:
    """The mechanisms of family member ``seed`` (deterministic; independent of people drawn).

    >>> draw_mechanisms(1) == draw_mechanisms(1), draw_mechanisms(1) == draw_mechanisms(2)
    (True, False)
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, 19]))
    durable, selection, recording = _durable(rng), _selection(rng), _recording(rng)
    return Mechanisms(durable, selection, recording, hire=_hire(rng))

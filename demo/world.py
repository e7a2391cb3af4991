"""The generated region in memory: every latent and written field, and the true oracle."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from demo import proportions as share
from demo.catalogue import STAFF_SURNAMES
from demo.contacts import Contacts, make_contacts
from demo.employers import Employers, make_employers
from demo.history import (
    History,
    candidate_status,
    decide_and_place,
    propose,
    vacancy_status,
)
from demo.mechanisms import Mechanisms
from demo.outcome import durable_logit, hire_logit, pair_features, sigmoid
from demo.people import Candidates, make_candidates
from demo.sampling import id_strings
from demo.sources import Geography, Taxonomy, load_geography, load_taxonomy
from demo.vacancies import Vacancies, employer_titles, make_vacancies, staff_ids
from matching.errors import InvalidInput, NotFound

CANDIDATES_PER_SCALE, EMPLOYERS_PER_SCALE, VACANCIES_PER_SCALE = 6000, 1500, 1500
DEFAULT_AS_OF = dt.date(2026, 10, 1)


@dataclass
class World:
    """A generated region: reference slices, entities, history and their ids."""

    region: str
    seed: int
    scale: float
    as_of: dt.date
    geo: Geography
    tax: Taxonomy
    people: Candidates
    firms: Employers
    jobs: Vacancies
    history: History
    contacts: Contacts
    candidate_ids: np.ndarray
    vacancy_ids: np.ndarray
    candidate_status: np.ndarray
    vacancy_status: np.ndarray
    vacancy_closes: np.ndarray
    account_managers: tuple[str, ...]
    job_hunters: tuple[str, ...]
    mechanisms: Mechanisms


def sizes(scale: float) -> tuple[int, int, int]:
    """Numbers of candidates, employers and vacancies at ``scale``."""
    if not math.isfinite(scale) or scale <= 0:
        raise InvalidInput(f"scale must be a positive number, not {scale!r}.")
    return (
        max(20, round(CANDIDATES_PER_SCALE * scale)),
        max(20, round(EMPLOYERS_PER_SCALE * scale)),
        max(10, round(VACANCIES_PER_SCALE * scale)),
    )


def build_world(
    region: str = "Holland Rijnland",
    *,
    seed: int = 0,
    scale: float = 1.0,
    as_of: dt.date | None = None,
    mechanisms: Mechanisms | None = None,
) -> World:
    """Generate a region in memory; the same arguments give the same world.

    ``mechanisms`` (default: today's, the plain demo) are the world's causes; see
    ``demo.mechanisms.draw_mechanisms`` for the family.
    """
    as_of, mechanisms = as_of or DEFAULT_AS_OF, mechanisms or Mechanisms()
    n_candidates, n_employers, n_vacancies = sizes(scale)
    geo, tax = load_geography(region), load_taxonomy()
    # Streams 8 and 9 are the family's; the first eight are the demo's, drawn as they always were.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(10)]
    staff = max(1.0, math.sqrt(scale))
    managers = staff_ids("am", STAFF_SURNAMES, max(3, round(5 * staff)))
    hunters = staff_ids("jh", STAFF_SURNAMES[::-1], max(2, round(3 * staff)))
    people = make_candidates(streams[0], geo, tax, n_candidates, as_of, mechanisms.recording)
    firms = make_employers(streams[1], geo, tax, n_employers)
    jobs = make_vacancies(
        streams[2], geo, tax, firms, n_vacancies, as_of=as_of, account_managers=managers
    )
    if mechanisms.recording.employer_titles:
        titles = employer_titles(
            streams[8], tax, jobs, firms.sector[jobs.employer], geo.place[jobs.pc4],
            mechanisms.recording.employer_titles,
        )  # fmt: skip
        jobs = dataclasses.replace(jobs, title=titles)
    proposals = propose(
        streams[3], geo, tax, people, jobs, as_of, mechanisms=mechanisms, known_rng=streams[9]
    )
    history = decide_and_place(
        streams[4], geo, tax, people, jobs, firms, proposals, as_of, mechanisms
    )
    contacts = make_contacts(streams[5], firms, jobs, as_of, hunters, managers)
    status, closes = vacancy_status(jobs, history, as_of)
    chronological = np.argsort(np.argsort(jobs.opened, kind="stable"), kind="stable")
    return World(
        region=geo.region, seed=seed, scale=scale, as_of=as_of, geo=geo, tax=tax,
        people=people, firms=firms, jobs=jobs, history=history, contacts=contacts,
        candidate_ids=id_strings("KND", np.arange(1, people.size + 1)),
        vacancy_ids=id_strings("VAC", chronological + 1),
        candidate_status=candidate_status(streams[6], people.size, history),
        vacancy_status=status, vacancy_closes=closes,
        account_managers=managers, job_hunters=hunters, mechanisms=mechanisms,
    )  # fmt: skip


def _indices(known: np.ndarray, wanted: np.ndarray, what: str) -> np.ndarray:
    """Positions of ``wanted`` ids in ``known``; NotFound naming the first unknown one."""
    order = np.argsort(known)
    pos = np.searchsorted(known[order], wanted)
    pos = np.minimum(pos, len(known) - 1)
    found = known[order][pos] == wanted
    if not found.all():
        raise NotFound(f"Unknown {what} id {wanted[~found][0]!r} in this generated region.")
    return order[pos]


def _pair_ids(vacancy_ids: object, candidate_ids: object) -> tuple[np.ndarray, np.ndarray]:
    """The two id lists as 1-D string arrays of equal length (InvalidInput otherwise)."""
    wanted_v = np.asarray(vacancy_ids, dtype=object).astype(str)
    wanted_c = np.asarray(candidate_ids, dtype=object).astype(str)
    if wanted_v.shape != wanted_c.shape or wanted_v.ndim != 1:
        raise InvalidInput("vacancy_ids and candidate_ids must be 1-D and of equal length.")
    return wanted_v, wanted_c


@dataclass(frozen=True)
class TruePairs:
    """What the generator knows of pairs: the truth, its attainable part, and plain facts."""

    p_durable: np.ndarray  # true P(durable | placed)
    p_attainable: np.ndarray  # the same without the unobservable candidate term
    p_proposal: np.ndarray  # about P(a proposal ends in a durable placement): see true_pairs
    coverage: np.ndarray  # share of the vacancy's required skills truly held
    has_occupation: np.ndarray  # the vacancy's occupation is in the work history
    distance_km: np.ndarray


def true_pairs(world: World, vacancy_ids: object, candidate_ids: object) -> TruePairs:
    """The truth and plain facts of the pairs ``(vacancy_ids[i], candidate_ids[i])``.

    ``p_proposal`` = (1 − withdrawn share) × P(the employer would hire) × P(durable | placed):
    what a proposal is worth, leaving out the competition for the positions and the rule that
    a candidate starts one job at a time (so it is somewhat high).
    """
    wanted_v, wanted_c = _pair_ids(vacancy_ids, candidate_ids)
    v = _indices(world.vacancy_ids.astype(str), wanted_v, "vacancy")
    c = _indices(world.candidate_ids.astype(str), wanted_c, "candidate")
    m, people, jobs, firms = world.mechanisms.durable, world.people, world.jobs, world.firms
    f = pair_features(world.geo, world.tax, people, jobs, c, v, m)
    p_durable = sigmoid(durable_logit(f, people, jobs, firms, c, v, m))
    return TruePairs(
        p_durable=p_durable,
        p_proposal=(1 - share.WITHDRAWN)
        * sigmoid(hire_logit(f, people, c, world.mechanisms.hire))
        * p_durable,
        p_attainable=sigmoid(durable_logit(f, people, jobs, firms, c, v, m, with_candidate=False)),
        coverage=f.coverage,
        has_occupation=f.has_occupation,
        distance_km=f.distance_km,
    )


def true_durable_probability(
    world: World, vacancy_ids: object, candidate_ids: object, *, chunk: int = 500_000
) -> np.ndarray:
    """True P(durable | placed) of the pairs ``(vacancy_ids[i], candidate_ids[i])``.

    Any pair, proposed or not; ids are arrays or sequences of equal length (for a full
    vacancy × candidate grid pass ``np.repeat`` / ``np.tile`` of the two id lists).
    Values lie in (0, 1).
    """
    wanted_v, wanted_c = _pair_ids(vacancy_ids, candidate_ids)
    out = np.empty(len(wanted_v), dtype=float)
    for lo in range(0, len(wanted_v), chunk):
        part = slice(lo, lo + chunk)
        out[part] = true_pairs(world, wanted_v[part], wanted_c[part]).p_durable
    return out

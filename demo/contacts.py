"""Acquisition contacts: job hunters write and call, account managers visit; the funnel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from demo import proportions as share
from demo.employers import Employers
from demo.sampling import draw, draw_given
from demo.vacancies import Vacancies

CHAIN_LENGTH = share.probabilities({1: 40, 2: 35, 3: 25})
KIND_BY_STEP = {
    0: share.probabilities({"letter": 60, "call": 40}),
    1: share.probabilities({"call": 60, "visit": 40}),
    2: share.probabilities({"visit": 60, "meeting": 40}),
}
OUTCOME_BY_KIND = {
    "letter": share.probabilities({"none": 60, "interest": 30, "no_interest": 10}),
    "call": share.probabilities({"appointment": 45, "interest": 35, "none": 20}),
    "visit": share.probabilities({"interest": 50, "appointment": 30, "no_interest": 20}),
    "meeting": share.probabilities({"interest": 60, "appointment": 25, "no_interest": 15}),
}
VACANCY_CONTACT = 0.6  # share of vacancies announced in a recorded contact
VACANCY_CONTACT_KIND = share.probabilities({"visit": 40, "meeting": 30, "call": 30})


@dataclass
class Contacts:
    """Contacts as parallel arrays, sorted by employer and date."""

    employer: np.ndarray
    date: np.ndarray  # datetime64[D]
    kind: np.ndarray
    outcome: np.ndarray
    by: np.ndarray


def _chains(
    rng: np.random.Generator, firms: Employers, first_vacancy: np.ndarray, as_of: dt.date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first acquisition steps with each known employer: employer, step, date."""
    known = np.flatnonzero(firms.known)
    length = draw(rng, CHAIN_LENGTH, len(known)).astype(np.int64)
    employer = np.repeat(known, length)
    step = np.arange(len(employer)) - np.repeat(np.cumsum(length) - length, length)
    today = np.datetime64(as_of, "D")
    window = 365 * share.HISTORY_YEARS
    anchor = np.where(
        np.isnat(first_vacancy[known]),
        today - rng.integers(30, window, len(known)).astype("timedelta64[D]"),
        first_vacancy[known] - rng.integers(20, 200, len(known)).astype("timedelta64[D]"),
    )
    gaps = rng.integers(5, 41, len(employer)).astype("timedelta64[D]") * step
    date = np.minimum(np.repeat(anchor, length) + gaps, today)
    return employer, step, date


def make_contacts(
    rng: np.random.Generator, firms: Employers, jobs: Vacancies, as_of: dt.date,
    job_hunters: tuple[str, ...], account_managers: tuple[str, ...],
) -> Contacts:  # fmt: skip
    """Acquisition chains with every known employer plus the talks that brought vacancies."""
    first_vacancy = np.full(firms.size, np.datetime64("NaT"), dtype="datetime64[D]")
    order = np.argsort(jobs.opened, kind="stable")[::-1]
    first_vacancy[jobs.employer[order]] = jobs.opened[order]  # earliest wins (written last)
    employer, step, date = _chains(rng, firms, first_vacancy, as_of)
    kind = draw_given(rng, KIND_BY_STEP, step)
    outcome = draw_given(rng, OUTCOME_BY_KIND, kind)
    hunters = np.asarray(job_hunters, dtype=object)[rng.integers(0, len(job_hunters), len(kind))]
    managers = np.asarray(account_managers, dtype=object)[
        rng.integers(0, len(account_managers), len(kind))
    ]
    desk = np.isin(kind, ["letter", "call"]) | (rng.random(len(kind)) < 0.5)
    by = np.where(desk, hunters, managers)
    announced = np.flatnonzero(rng.random(jobs.size) < VACANCY_CONTACT)
    v_date = jobs.opened[announced] - rng.integers(0, 11, len(announced)).astype("timedelta64[D]")
    employer = np.concatenate([employer, jobs.employer[announced]])
    date = np.concatenate([date, v_date])
    kind = np.concatenate([kind, draw(rng, VACANCY_CONTACT_KIND, len(announced))])
    outcome = np.concatenate([outcome, np.full(len(announced), "vacancy", dtype=object)])
    by = np.concatenate([by, jobs.acquired_by[announced]])
    order = np.lexsort((kind.astype(str), date, employer))
    return Contacts(employer[order], date[order], kind[order], outcome[order], by[order])

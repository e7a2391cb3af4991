"""Candidate and employer proportions stay within sampling tolerance of the documented targets."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest

from demo import World, build_world
from demo import proportions as share
from demo.catalogue import SECTORS
from demo.people import written_competences, written_occupations

SCALE = 0.5  # 3,000 candidates, 750 employers


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(seed=11, scale=SCALE)


def _tolerance(p: float, n: int) -> float:
    """Four standard errors of a proportion, plus a count's rounding."""
    return 4 * float(np.sqrt(p * (1 - p) / n)) + 1 / n


def _assert_shares(values: np.ndarray, target: Mapping[object, float]) -> None:
    n = len(values)
    for value, p in target.items():
        observed = float(np.mean(values == value))
        assert abs(observed - p) <= _tolerance(p, n), (value, observed, p)


def _expected_ladder() -> dict[int, float]:
    out = dict.fromkeys(range(1, 7), 0.0)
    for group, p_group in share.TARGET_GROUP.items():
        p_ww = share.BENEFIT_BY_TARGET_GROUP[group]["ww"]
        for step in out:
            ladder = share.LADDER_BY_TARGET_GROUP[group]
            out[step] += p_group * (p_ww * share.LADDER_WW[step] + (1 - p_ww) * ladder[step])
    return out


def test_waterlandplein_counts_map_onto_the_regular_ladder() -> None:
    regular = share.LADDER_BY_TARGET_GROUP["regulier"]
    assert regular[1] == pytest.approx(300 / 826)
    assert regular[5] == pytest.approx(28 / 826)
    assert regular[6] == 0
    assert sum(_expected_ladder().values()) == pytest.approx(1)


def test_candidate_proportions(world: World) -> None:
    people = world.people
    _assert_shares(people.target_group, share.TARGET_GROUP)
    _assert_shares(people.gender, share.GENDER)
    _assert_shares(people.ladder, _expected_ladder())
    _assert_shares(people.consent, {True: share.CONSENT_REGIONAL})
    nug = people.target_group == "nug"
    assert (people.benefit[nug] == "none").all()
    regular = people.target_group == "regulier"
    _assert_shares(people.benefit[regular], share.BENEFIT_BY_TARGET_GROUP["regulier"])
    _assert_shares(people.licence[regular], {True: share.DRIVING_LICENCE["regulier"]})
    ages = world.as_of.year - people.birth_year
    assert ages.min() >= 18 and ages.max() <= 66
    _assert_shares((ages >= 55), {True: share.AGE_BANDS[(55, 66)]})


def test_employer_proportions(world: World) -> None:
    firms = world.firms
    assert (~firms.known).sum() == round(firms.size * share.WHITE_SPOT)
    assert not (firms.hiring & ~firms.known).any()
    _assert_shares(firms.sector, {s: sector.share for s, sector in enumerate(SECTORS)})
    assert np.median(firms.employees) < 6 < firms.employees.max()
    with_history = set(world.jobs.employer) | set(world.contacts.employer)
    assert with_history == set(np.flatnonzero(firms.known))  # white spots have no history


def test_written_lists_mix_uris_and_free_text(world: World) -> None:
    rng = np.random.default_rng(0)
    cells = written_competences(rng, world.tax, world.people)
    items = [item for cell in cells for item in cell.split(";") if item]
    uri_share = np.mean([item.startswith("http://data.europa.eu/esco/skill/") for item in items])
    assert abs(uri_share - share.SKILL_FORM["uri"]) < 0.05
    assert all(";" not in item and item == item.strip() for item in items)
    _assert_shares(cells == "", {True: share.COMPETENCES_MISSING})
    occupations = written_occupations(rng, world.tax, world.people)
    titles = [t for cell in occupations for t in cell.split(";") if t and not t.startswith("http")]
    assert len(titles) > len(occupations) / 3
    assert "magazijnmedewerker" in titles or "schoonmaker gebouwen" in titles

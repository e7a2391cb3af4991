"""The true durable-placement oracle: any pair, same values as the truth file, fair by design."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from demo import World, build_world, generate_region, load_world, true_durable_probability
from demo.mechanisms import draw_mechanisms
from demo.outcome import durable_logit, pair_features
from matching.errors import NotFound


@pytest.fixture(scope="module")
def world() -> World:
    return build_world("Flevoland", seed=3, scale=0.05)


def test_oracle_equals_the_truth_file(tmp_path: Path) -> None:
    generate_region("Flevoland", seed=3, scale=0.05, out_dir=tmp_path)
    truth = pd.read_csv(tmp_path / "_truth" / "truth.csv", dtype={"p_durable_true": float})
    rebuilt = load_world(tmp_path)
    p = true_durable_probability(rebuilt, truth["vacancy_id"], truth["candidate_id"])
    assert np.allclose(p, truth["p_durable_true"], atol=1e-6)


def test_oracle_scores_any_pair(world: World) -> None:
    v = np.repeat(world.vacancy_ids[:5], 40)
    c = np.tile(world.candidate_ids[:40], 5)
    p = true_durable_probability(world, v, c, chunk=64)
    assert p.shape == (200,) and ((p > 0) & (p < 1)).all()
    assert np.log(p / (1 - p)).std() > 0.5  # pairs differ, not one constant
    with pytest.raises(NotFound):
        true_durable_probability(world, ["VAC999999"], [world.candidate_ids[0]])


def test_outcome_ignores_gender_age_and_origin(world: World) -> None:
    people = world.people
    c = np.arange(people.size)
    v = np.arange(people.size) % world.jobs.size
    features = pair_features(world.geo, world.tax, people, world.jobs, c, v)
    before = durable_logit(features, people, world.jobs, world.firms, c, v)
    shuffled = dataclasses.replace(
        people,
        gender=people.gender[::-1].copy(),
        birth_year=people.birth_year[::-1].copy(),
        target_group=people.target_group[::-1].copy(),
        languages=people.languages[::-1].copy(),
    )
    after = durable_logit(features, shuffled, world.jobs, world.firms, c, v)
    assert np.array_equal(before, after)
    better = dataclasses.replace(features, coverage=np.minimum(features.coverage + 0.3, 1.3))
    assert (durable_logit(better, people, world.jobs, world.firms, c, v) > before).all()


@pytest.fixture(scope="module")
def family_world() -> World:
    return build_world("Flevoland", seed=3, scale=0.05, mechanisms=draw_mechanisms(3))


def test_family_outcome_ignores_gender_age_and_target_group(family_world: World) -> None:
    world, people = family_world, family_world.people
    c = np.arange(people.size)
    v = np.arange(people.size) % world.jobs.size
    m = world.mechanisms.durable
    features = pair_features(world.geo, world.tax, people, world.jobs, c, v, m)
    before = durable_logit(features, people, world.jobs, world.firms, c, v, m)
    shuffled = dataclasses.replace(
        people,
        gender=people.gender[::-1].copy(),
        birth_year=people.birth_year[::-1].copy(),
        target_group=people.target_group[::-1].copy(),
    )
    assert np.array_equal(
        before, durable_logit(features, shuffled, world.jobs, world.firms, c, v, m)
    )
    default = durable_logit(features, people, world.jobs, world.firms, c, v)
    assert not np.allclose(before, default)  # the family's mechanisms change the truth


def test_family_world_round_trips_through_its_files(tmp_path: Path) -> None:
    mechanisms = draw_mechanisms(3)
    generate_region("Flevoland", seed=3, scale=0.05, out_dir=tmp_path, mechanisms=mechanisms)
    rebuilt = load_world(tmp_path)
    assert rebuilt.mechanisms == mechanisms
    truth = pd.read_csv(tmp_path / "_truth" / "truth.csv", dtype={"p_durable_true": float})
    p = true_durable_probability(rebuilt, truth["vacancy_id"], truth["candidate_id"])
    assert np.allclose(p, truth["p_durable_true"], atol=1e-6)


def test_family_titles_are_written_the_way_employers_write_them(
    world: World, family_world: World
) -> None:
    employer = re.compile(r"M/V/X|\(v/m\)|regio |\(\d+u\)| - |!|gezocht|Vacature:")
    plain = sum(bool(employer.search(t)) for t in world.jobs.title.tolist())
    written = sum(bool(employer.search(t)) for t in family_world.jobs.title.tolist())
    assert written > 0.25 * family_world.jobs.size
    assert written > 2 * plain

"""The quality bench on a tiny family of two worlds (real import, training and shortlists)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from demo.mechanisms import Mechanisms, draw_mechanisms
from evaluation.quality_bench import QualityBench, run_quality_bench, summarise, to_markdown
from evaluation.quality_metrics import _ndcg, policy_list
from evaluation.quality_worlds import DEV_WORLDS, FINAL_WORLDS, WorldSpec
from matching.cli import app
from matching.errors import InvalidInput
from matching.shortlist.policy import FallbackPolicy

TINY = (WorldSpec("Flevoland", 11), WorldSpec("Zeeland", 12))
TINY_FINAL = (WorldSpec("Drenthe", 13),)


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("quality")


@pytest.fixture(scope="module")
def bench(work_dir: Path) -> QualityBench:
    return run_quality_bench(scale=0.04, worlds=TINY, final_worlds=TINY_FINAL, work_dir=work_dir)


def test_oracle_is_perfect_and_random_far_below(bench: QualityBench) -> None:
    assert [row["world"] for row in bench.dev] == ["Flevoland #11", "Zeeland #12"]
    for row in bench.dev:
        assert row["scored_vacancies"] > 0
        assert row["ndcg_oracle"] == pytest.approx(1.0)
        assert row["ndcg_random"] < row["ndcg_oracle"] - 0.3
        assert row["ndcg_random"] < row["ndcg_attainable"]
        assert row["expected_werkmatch"] <= row["expected_oracle"]
        assert row["expected_oracle_policy"] <= row["expected_oracle"]


def test_every_figure_is_in_range_and_lists_are_clean(bench: QualityBench) -> None:
    for row in bench.dev:
        shares = [v for k, v in row.items() if k.startswith(("ndcg_", "coverage_", "has_occ"))]
        shares += [row["ratio_to_oracle"], row["ece"], row["full_lists"], row["mean_shown"]]
        shares += [v for k, v in row.items() if k.startswith(("vacancy_occ", "history_occ"))]
        assert all(0.0 <= v <= 1.0 for v in shares), row
        assert 0 <= row["expected_werkmatch"] <= 10
        assert row["ineligible_listed"] == 0 and row["outside_eligible"] == 0
        assert row["model"] in ("learned", "prior")
        assert row["history_occupation_recall"] > 0.3  # URIs alone are 40 % of the forms


def test_final_worlds_are_not_run_without_the_flag(bench: QualityBench, work_dir: Path) -> None:
    assert bench.final is None
    assert sorted(p.name for p in work_dir.iterdir()) == ["Flevoland-11", "Zeeland-12"]
    assert "Final worlds" not in to_markdown(bench)
    assert not set(DEV_WORLDS) & set(FINAL_WORLDS)
    assert len(DEV_WORLDS) >= 8 and len({w.region for w in DEV_WORLDS}) >= 5


def test_summary_takes_mean_and_worst_case() -> None:
    rows: list[dict[str, Any]] = [
        {"ndcg_werkmatch": 0.6, "ece": 0.02, "vacancy_occupation_missing": 0.1},
        {"ndcg_werkmatch": 0.4, "ece": 0.10, "vacancy_occupation_missing": 0.3},
    ]
    figures = summarise(rows)
    assert figures["mean"]["ndcg_werkmatch"] == pytest.approx(0.5)
    assert figures["worst"] == {
        "ndcg_werkmatch": 0.4,
        "ece": 0.1,
        "vacancy_occupation_missing": 0.3,
    }


def test_markdown_has_a_row_per_world_and_the_summary(bench: QualityBench) -> None:
    text = to_markdown(bench)
    assert "| Flevoland #11 |" in text and "| **worst** |" in text and "| **mean** |" in text


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"scale": 0.0}, "schaal"),
        ({"scale": float("nan")}, "schaal"),
        ({"workers": 0}, "processen"),
        ({"worlds": (WorldSpec("Atlantis", 1),)}, "Onbekende arbeidsmarktregio"),
        ({"worlds": ()}, "Geen werelden"),
    ],
)
def test_bad_input_gives_a_clear_dutch_error(options: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        run_quality_bench(**{"scale": 0.05, "worlds": TINY, **options})


def test_the_command_refuses_a_bad_scale_in_dutch() -> None:
    result = CliRunner().invoke(app, ["bench", "quality", "--scale", "-1"])
    assert result.exit_code == 1
    assert "De schaal moet groter dan 0" in result.output


def test_mechanisms_differ_across_seeds_and_today_is_the_default() -> None:
    family = [draw_mechanisms(w.seed) for w in DEV_WORLDS]
    assert len(set(family)) == len(family)
    assert draw_mechanisms(101) == draw_mechanisms(101)
    assert not any(m.is_default for m in family) and Mechanisms().is_default
    competence = [m.durable.competence_fit for m in family]
    assert max(competence) > 1.5 * min(competence)
    free = [m.durable.distance_free_km for m in family]
    assert 0.0 in free and max(free) > 0  # from the first km in some worlds, a threshold in others
    assert Mechanisms.from_dict(family[0].as_dict()) == family[0]


def test_unknown_mechanisms_are_refused() -> None:
    with pytest.raises(InvalidInput, match="Onbekende mechanismen"):
        Mechanisms.from_dict({"durable": {"luck": 1.0}})


def test_policy_list_keeps_own_municipality_first() -> None:
    truth = np.array([0.9, 0.2, 0.5, 0.8, 0.3])
    level = np.array(["region", "own", "own", "region", "own"])
    policy = FallbackPolicy(threshold=0.4)
    # own reaching 0.4: row 2; list not full, so region: rows 0, 3; then own below: 4, 1
    assert policy_list(truth, level, policy).tolist() == [2, 0, 3, 4, 1]
    assert policy_list(truth, level, dataclasses.replace(policy, levels=("own",))).tolist() == [
        2,
        4,
        1,
    ]


def test_empty_places_and_ineligible_picks_gain_nothing() -> None:
    gains = [np.array([0.5, 0.25])]
    perfect = _ndcg([np.array([0, 1])], gains)
    short = _ndcg([np.array([0])], gains)
    wrong = _ndcg([np.array([-1, 0])], gains)
    assert perfect == pytest.approx(1.0)
    # short: 0.5 / (0.5 + 0.25 / log2(3)); ineligible first: (0.5 / log2(3)) / the same ideal
    ideal = 0.5 + 0.25 / np.log2(3)
    assert short == pytest.approx(0.5 / ideal)
    assert wrong == pytest.approx(0.5 / np.log2(3) / ideal)

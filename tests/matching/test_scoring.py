"""Scorers, labels with censoring, persistence and version checks (pure and on small data)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from features.pairwise import COLUMN, FEATURE_NAMES
from matching.errors import ModelMismatch, ModelNotTrained
from matching.metrics import ndcg_at_k
from matching.scoring import model_versions as registry
from matching.scoring.fitting import worse_than_prior
from matching.scoring.metrics import evaluate, temporal_split
from matching.scoring.model import DurablePlacementModel, fit_durable_model, recalibrated
from matching.scoring.model_versions import (
    ACTIVE_FILE,
    SIDECAR_FILE,
    ActivePointer,
    activate,
    active_version,
    describe_active,
    load_model,
    load_scorer,
    save_model,
)
from matching.scoring.prior import PriorScorer
from matching.scoring.training_rows import label_proposals


def perfect_and_empty() -> np.ndarray:
    perfect = [0.0 if n == "distance_km" else 1.0 for n in FEATURE_NAMES]
    empty = [0.0] * len(FEATURE_NAMES)
    empty[COLUMN["distance_km"]] = 80.0
    return np.array([empty, perfect], dtype=np.float32)


def test_prior_ranks_perfect_fit_above_no_fit() -> None:
    prior = PriorScorer()
    scores = prior.score(perfect_and_empty())
    assert scores.score[1] > scores.score[0] and scores.p_durable[1] > scores.p_durable[0]
    contributions = prior.contributions(perfect_and_empty())
    np.testing.assert_allclose(contributions.sum(axis=1) + prior.intercept, scores.score, atol=1e-4)
    assert prior.weights["required_coverage"] >= prior.weights["essential_share"]
    assert prior.weights["required_coverage"] >= prior.weights["required_experience"]


def test_prior_weights_keep_the_domain_signs() -> None:
    from matching.scoring.signed import SIGNS

    for name, weight in PriorScorer().weights.items():
        assert weight * SIGNS[name] >= 0 or SIGNS[name] == 0, name


def test_level_moves_the_probability_not_the_ranking() -> None:
    import dataclasses

    from matching.scoring.level import placement_offset

    x = synthetic(200, 5)[0]
    prior = PriorScorer()
    higher = dataclasses.replace(prior, offset=1.0)
    np.testing.assert_array_equal(prior.score(x).score, higher.score(x).score)
    assert (higher.score(x).p_durable > prior.score(x).p_durable).all()
    scores = prior.score(x).score
    labels = (np.arange(200) % 4 == 0).astype(float)  # a quarter lasted
    offset = placement_offset(scores, labels)
    mean = (1 / (1 + np.exp(-(scores + offset)))).mean()
    assert mean == pytest.approx(0.25, abs=1e-6)
    assert placement_offset(scores, np.ones(200)) == 6.0  # bounded: only successes


def test_levelled_prior_round_trips_through_the_registry(tmp_path: Path) -> None:
    import dataclasses

    levelled = dataclasses.replace(PriorScorer(), offset=-0.4, scale=0.8)
    sidecar = save_model(levelled, model_dir=tmp_path, metadata={"as_of": "2026-11-01"})
    activate(tmp_path, sidecar["version"])
    loaded = load_scorer(tmp_path)
    x = synthetic(50, 6)[0]
    assert loaded.kind == "prior" and loaded.version == sidecar["version"]
    np.testing.assert_allclose(loaded.score(x).p_durable, levelled.score(x).p_durable)


def synthetic(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose label follows required_coverage and readiness (a learnable signal)."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, len(FEATURE_NAMES))).astype(np.float32)
    x[:, COLUMN["distance_km"]] *= 40
    logit = -2 + 3 * x[:, COLUMN["required_coverage"]] + 2 * x[:, COLUMN["readiness"]]
    return x, (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8)


@pytest.fixture(scope="module")
def model() -> DurablePlacementModel:
    x, y = synthetic(1500, 0)
    cal = synthetic(400, 1)
    return fit_durable_model(x, y, calibration=cal, background=synthetic(300, 2)[0])


def test_learned_model_scores_and_contributions(model: DurablePlacementModel) -> None:
    x, y = synthetic(600, 3)
    scores = model.score(x)
    assert scores.p_durable.min() >= 0 and scores.p_durable.max() <= 1
    assert evaluate(scores.score, scores.p_durable, y, np.arange(len(y)) // 10)["auc"] > 0.65
    z = model.scaler.transform(x)
    parts = sum(part.decision_function(z) for part in model.parts)
    np.testing.assert_allclose(scores.score, parts, atol=1e-4)
    intercept = model.intercept
    np.testing.assert_allclose(model.contributions(x).sum(axis=1) + intercept, scores.score,
                               atol=1e-4)  # fmt: skip
    assert model.coefficients[COLUMN["required_coverage"]] > 0


def test_save_load_round_trip_and_refusals(model: DurablePlacementModel, tmp_path: Path) -> None:
    with pytest.raises(ModelNotTrained):
        load_model(tmp_path)
    assert isinstance(load_scorer(tmp_path), PriorScorer)
    assert describe_active(tmp_path)["kind"] == "prior"
    sidecar = save_model(model, model_dir=tmp_path, metadata={"as_of": "2026-10-01"})
    activate(tmp_path, sidecar["version"])
    loaded = load_model(tmp_path)
    x, _ = synthetic(50, 4)
    np.testing.assert_array_equal(loaded.score(x).p_durable, model.score(x).p_durable)
    assert loaded.version == sidecar["version"]
    assert describe_active(tmp_path)["usable"] is True
    path = tmp_path / sidecar["version"] / SIDECAR_FILE
    edited = json.loads(path.read_text())
    edited["libraries"]["scikit-learn"] = "0.24.2"
    path.write_text(json.dumps(edited))
    with pytest.raises(
        ModelMismatch, match=r"scikit-learn 0\.24\.2, this is .*run werkmatch train"
    ):
        load_model(tmp_path)
    with pytest.raises(ModelMismatch):
        load_scorer(tmp_path)  # never silently replaced by the prior
    assert describe_active(tmp_path)["usable"] is False
    edited = {**json.loads(path.read_text()), "features": ["required_coverage"]}
    edited["libraries"] = sidecar["libraries"]
    path.write_text(json.dumps(edited))
    with pytest.raises(ModelMismatch, match="features"):
        load_model(tmp_path)


def test_label_proposals_censors_instead_of_failing() -> None:
    as_of = dt.date(2026, 10, 1)
    old, new = dt.date(2025, 1, 10), dt.date(2026, 8, 1)
    proposals = pd.DataFrame(
        [("V1", "durable", old, "hired"), ("V1", "failed", old, "hired"),
         ("V1", "running", old, "hired"), ("V1", "rejected", old, "rejected"),
         ("V1", "pending", old, "pending"), ("V1", "unrecorded", old, "hired"),
         ("V2", "young_failed", new, "hired"), ("V2", "young_rejected", new, "rejected")],
        columns=["vacancy_id", "candidate_id", "proposed_on", "outcome"],
    )  # fmt: skip
    placements = pd.DataFrame(
        [("V1", "durable", dt.date(2025, 2, 1), dt.date(2025, 8, 2)),  # 6 months + 1 day
         ("V1", "failed", dt.date(2025, 2, 1), dt.date(2025, 8, 1)),  # exactly 6 months
         ("V1", "running", dt.date(2026, 5, 1), None),  # running, 5 months old
         ("V2", "young_failed", dt.date(2026, 8, 15), dt.date(2026, 9, 1))],
        columns=["vacancy_id", "candidate_id", "start_date", "end_date"],
    )  # fmt: skip
    out = label_proposals(proposals, placements, as_of=as_of).set_index("candidate_id")
    assert out.loc["durable", "label"] == 1
    assert out.loc["failed", "label"] == 0 and out.loc["rejected", "label"] == 0
    for censored in ("running", "pending", "unrecorded", "young_failed", "young_rejected"):
        assert pd.isna(out.loc[censored, "label"]), censored
    assert out.loc["running", "status"] == "running"
    assert out.loc["young_failed", "status"] == "immature"


def test_metrics_by_hand() -> None:
    assert ndcg_at_k(np.array([3.0, 2.0, 1.0]), np.array([1, 0, 0])) == 1.0
    assert ndcg_at_k(np.array([0.9, 0.5, 0.1]), np.array([0, 1, 0])) == pytest.approx(
        1 / np.log2(3)
    )
    opened = np.array(["2025-01-01"] * 3 + ["2025-06-01"] * 2, dtype="datetime64[D]")
    assert temporal_split(opened, later_share=0.2).tolist() == [False] * 3 + [True] * 2
    metrics = {
        "learned": {"ndcg_at_10": 0.7, "auc": 0.8},
        "prior": {"ndcg_at_10": 0.75, "auc": 0.6},
    }
    assert worse_than_prior(metrics) == ["ndcg_at_10 0.7 < prior 0.75"]


def test_background_rows_carry_the_prior_where_proposals_are_silent() -> None:
    x, y = synthetic(800, 5)
    recorded = [COLUMN["required_coverage"], COLUMN["required_recorded"]]
    x[:, recorded] = 1.0  # every proposed candidate covers the vacancy
    cal = synthetic(400, 6)
    background = synthetic(400, 7)[0]
    alone = fit_durable_model(x, y, calibration=cal)
    anchored = fit_durable_model(x, y, calibration=cal, background=background, prior_strength=5)
    assert alone.coefficients[recorded] == pytest.approx([0.0, 0.0], abs=1e-6)
    assert (
        anchored.coefficients[recorded].sum() > 0.05
    )  # the prior lends them weight (0.09 with the prior of 2026-12-03)
    assert anchored.coefficients[COLUMN["readiness"]] > 0  # the data still speak
    prior = PriorScorer().score(background).score
    corr = [np.corrcoef(m.score(background).score, prior)[0, 1] for m in (alone, anchored)]
    assert corr[1] > corr[0] + 0.1


def test_the_active_pointer_follows_activation_and_reads_the_file_only_when_it_changed(
    model: DurablePlacementModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pointer = ActivePointer(tmp_path)
    assert pointer.version() is None
    first = save_model(model, model_dir=tmp_path, metadata={"as_of": "2026-10-01"})["version"]
    second = save_model(model, model_dir=tmp_path, metadata={"as_of": "2026-11-01"})["version"]
    reads: list[Path] = []

    def counted(model_dir: Path) -> str | None:
        reads.append(model_dir)
        return active_version(model_dir)

    monkeypatch.setattr(registry, "active_version", counted)
    activate(tmp_path, first)
    assert [pointer.version() for _ in range(3)] == [first] * 3 and len(reads) == 1
    activate(tmp_path, second)
    assert pointer.version() == second and pointer.version() == second and len(reads) == 2
    (tmp_path / ACTIVE_FILE).unlink()
    assert pointer.version() is None


def test_recalibration_keeps_the_ranking_and_learns_from_the_later_placements(
    model: DurablePlacementModel,
) -> None:
    x, y = synthetic(800, 8)
    placed = np.arange(len(y)) % 2 == 0
    again = recalibrated(model, ((x, y, placed),))
    np.testing.assert_array_equal(again.score(x).score, model.score(x).score)
    p = again.score(x[placed]).p_durable
    assert abs(p.mean() - y[placed].mean()) < 0.02  # Platt matches the base rate it saw
    assert recalibrated(model, ((x, np.zeros_like(y), placed),)) is model  # one outcome: kept


def test_the_training_message_writes_the_level_shift_the_dutch_way() -> None:
    from matching.dutch import signed

    assert (signed(-0.09, 2), signed(0.12, 2), signed(0.0, 2)) == ("-0,09", "+0,12", "+0,00")

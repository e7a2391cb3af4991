"""GET /model: the prior when nothing is trained, the active model's sidecar otherwise."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import numpy as np
from fastapi.testclient import TestClient

from features.pairwise import FEATURE_NAMES
from matching.access.users import ROLES
from matching.scoring.model import fit_durable_model
from matching.scoring.model_versions import activate, save_model
from matching.settings import Settings


def test_model_shows_prior_then_active(client: TestClient, test_settings: Settings) -> None:
    answer = client.get("/model")
    assert answer.status_code == 200
    body = answer.json()
    assert body["kind"] == "prior" and body["prior_weights"]["required_coverage"] > 0
    assert body["features"] == list(FEATURE_NAMES)
    rng = np.random.default_rng(0)
    x = rng.random((300, len(FEATURE_NAMES))).astype(np.float32)
    y = (x[:, 0] + rng.random(300) > 1).astype(np.int8)
    model = fit_durable_model(x[:200], y[:200], calibration=(x[200:], y[200:]))
    model_dir = test_settings.resolved_model_dir()
    sidecar = save_model(model, model_dir=model_dir, metadata={"as_of": "2026-10-01"})
    activate(model_dir, sidecar["version"])
    body = client.get("/model").json()
    assert body["kind"] == "learned" and body["version"] == sidecar["version"]
    assert body["usable"] is True and body["versions"] == [sidecar["version"]]
    assert body["libraries"]["scikit-learn"]


def test_model_card_served_and_shown_for_the_active_version(
    client: TestClient, test_settings: Settings, client_as: Callable[..., TestClient]
) -> None:
    assert client.get("/model/card").status_code == 404  # the prior scores: nothing to show
    assert "nog geen getraind model" in client.get("/over-het-model").text
    model_dir = test_settings.resolved_model_dir()
    version = "20261203-test"
    (model_dir / version).mkdir(parents=True)
    (model_dir / version / "model-card.md").write_text("# Modelkaart <proef>\n")
    (model_dir / version / "algoritmeregister.md").write_text("# Algoritmeregister\n")
    (model_dir / "active").write_text(version)
    card = client.get("/model/card")
    assert card.status_code == 200 and card.headers["content-type"].startswith("text/markdown")
    assert card.text == "# Modelkaart <proef>\n"
    assert client.get("/model/algoritmeregister").text == "# Algoritmeregister\n"


def _sidecar(version: str) -> dict[str, object]:
    """A trained version's sidecar as ``werkmatch train`` writes it (made at 23:30 UTC)."""
    scores = {"rows": 120, "positives": 31, "brier": 0.1712, "auc": 0.4288, "ndcg_at_10": 0.61}
    return {
        "version": version,
        "kind": "prior",
        "as_of": "2026-12-01",
        "created_at": "2026-12-03T23:30:00+00:00",
        "rows": {"fit": 400, "calibration": 130, "holdout": 120, "positives": 160},
        "split": {
            "fit": ["2024-01-02", "2025-06-30"],
            "calibration": ["2025-07-01", "2025-12-31"],
            "holdout": ["2026-01-02", "2026-05-31"],
        },
        "metrics": {
            "learned": {**scores, "calibration": [[0.2, 0.3, 40, 0.2512, 0.225]]},
            "prior": {**scores, "auc": 0.5521},
        },
        "coefficients": {name: 0.1234 for name in FEATURE_NAMES},
        "worse_than_prior": ["auc 0.4288 < prior 0.5521"],
        "level_offset": -0.4123,
    }


def test_model_page_is_dutch_for_every_role(
    test_settings: Settings, client_as: Callable[..., TestClient]
) -> None:
    model_dir = test_settings.resolved_model_dir()
    version = "20261201-20261203T233000-a1b2c3"
    (model_dir / version).mkdir(parents=True)
    (model_dir / version / "model.json").write_text(json.dumps(_sidecar(version)))
    (model_dir / "active").write_text(version)
    for role in ROLES:
        page = client_as(role).get("/over-het-model", headers={"Accept": "text/html"})
        assert page.status_code == 200, role
        text = page.text
        assert "**" not in text and "`" not in text and version not in text
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text) and "0.4288" not in text
        assert "4 december 2026 om 00:30" in text and "1 december 2026" in text
        assert "0,43" in text and "22,5\u00a0%" in text and "-0,41" in text
        assert "Vereiste competenties" in text and "required_coverage" not in text
        assert "Wettelijke grondslag" in text and "Participatiewet" in text


def test_the_register_entry_says_what_ranks_and_writes_figures_the_dutch_way() -> None:
    from matching.scoring.card import render_algorithm_register

    entry = render_algorithm_register(_sidecar("20261201-20261203T233000-a1b2c3"))
    working = entry.split("## Werking")[1].split("\n## ")[0]
    assert "beginweging" in working and "alleen ter vergelijking" in working
    assert "regressie (scikit-learn), getraind" not in working  # it does not rank
    assert "AUC 0,4288 tegen 0,5521" in entry and "0.4288" not in entry

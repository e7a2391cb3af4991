"""GET /model: the prior when nothing is trained, the active model's sidecar otherwise."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from fastapi.testclient import TestClient

from features.pairwise import FEATURE_NAMES
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
    page = client_as("jobhunter").get("/over-het-model")
    assert page.status_code == 200 and "# Modelkaart &lt;proef&gt;" in page.text

"""Learn the normaliser's signal weights from ESCO's own labels; writes normalisation_weights.json.

Run ``python -m matching.normalisation_training`` after the reference data changes. Seeded and
built only from the bundled reference tables, so it reproduces exactly; it takes about a minute.
No benchmark data is read.
"""

from __future__ import annotations

import json
import platform
from dataclasses import replace
from typing import get_args

import sklearn

from features.taxonomy_learning import add_noise, fit_weights, holdout_mrr, holdout_queries
from matching.normalisation import (
    WEIGHTS_PATH,
    Kind,
    TableReader,
    _default_reader,
    _places,
    build_concept_index,
)

TRAIN_QUERIES = {"occupation": 8000, "skill": 8000}
TEST_QUERIES = 2000
SEED = 20240601


def learn(kind: Kind, read: TableReader) -> dict[str, object]:
    """Learned weights for one kind plus held-out MRR before and after learning."""
    concepts = build_concept_index(kind, read, weights=False)
    index = concepts.index
    places = _places(read)
    train = holdout_queries(index, n=TRAIN_QUERIES[kind], verbatim_share=0.3, seed=SEED)
    train = replace(train, texts=add_noise(train.texts, places=places, seed=SEED))
    test = holdout_queries(index, n=TEST_QUERIES, seed=SEED + 1)
    test = replace(test, texts=add_noise(test.texts, places=places, seed=SEED + 1))
    before = holdout_mrr(index, test)
    index.weights = fit_weights(index, train)
    return {
        "weights": index.weights,
        "holdout_mrr_default_weights": round(before, 4),
        "holdout_mrr_learned_weights": round(holdout_mrr(index, test), 4),
        "train_queries": len(train.texts),
        "test_queries": len(test.texts),
    }


def main(read: TableReader | None = None) -> None:
    """Learn both kinds and write the JSON next to this module."""
    reader = read or _default_reader()
    result: dict[str, object] = {
        "about": "written by python -m matching.normalisation_training; do not edit by hand",
        "seed": SEED,
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__},
    }
    for kind in get_args(Kind):
        learned = learn(kind, reader)
        result[kind] = learned.pop("weights")
        result[f"{kind}_report"] = learned
        print(kind, learned)
    WEIGHTS_PATH.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

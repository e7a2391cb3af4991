"""Learn the normaliser's signal weights from ESCO's own labels; writes weights.json.

Run ``python -m matching.normalisation.training`` after the reference data changes. Seeded and
built only from the bundled reference tables, so it reproduces exactly; it takes about a minute.
No benchmark data is read.

The title weights are fitted on the lexical candidates alone: the ISCO groups an occupation
index adds as candidates (``features.taxonomy.with_parent_candidates``) are left out while
fitting, as fitting with them cost the held-out MRR (0.7434 → 0.7321); the reported held-out
MRR is measured with them.
"""

from __future__ import annotations

import argparse
import json
import platform
from dataclasses import replace
from typing import get_args

import sklearn

from features.taxonomy_learning import (
    HoldoutQueries,
    add_noise,
    fit_evidence,
    fit_weights,
    holdout_mrr,
    holdout_queries,
    sample_evidence,
)
from matching.normalisation.labels import TableReader, occupation_table
from matching.normalisation.normaliser import (
    EVIDENCE_WEIGHTS,
    WEIGHTS_PATH,
    ConceptIndex,
    Kind,
    _default_reader,
    _places,
    build_concept_index,
    evidence_model,
)

TRAIN_QUERIES = {"occupation": 8000, "skill": 8000}
TEST_QUERIES = 2000
SEED = 20240601
EVIDENCE_SEED = SEED + 10
"""The evidence model's queries are drawn apart from the title weights' (and the title bench's)."""


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
    parents, index.parents = index.parents, None  # learned on the lexical candidates (module doc)
    index.weights = fit_weights(index, train)
    index.parents = parents
    return {
        "weights": index.weights,
        "holdout_mrr_default_weights": round(before, 4),
        "holdout_mrr_learned_weights": round(holdout_mrr(index, test), 4),
        "train_queries": len(train.texts),
        "test_queries": len(test.texts),
    }


def _noisy_queries(
    read: TableReader, concepts: ConceptIndex, *, n: int, seed: int
) -> HoldoutQueries:
    """Held-out occupation labels with real-title noise (30 % verbatim)."""
    queries = holdout_queries(concepts.index, n=n, verbatim_share=0.3, seed=seed)
    return replace(queries, texts=add_noise(queries.texts, places=_places(read), seed=seed))


def learn_evidence(read: TableReader) -> dict[str, object]:
    """Evidence weights over the learned title weights, and held-out MRR without / with them."""
    concepts = build_concept_index("occupation", read)
    model, _ = evidence_model(occupation_table(read), read, {})
    train = _noisy_queries(read, concepts, n=TRAIN_QUERIES["occupation"], seed=EVIDENCE_SEED)
    observed = sample_evidence(train.concepts, model.essential, model.optional, seed=EVIDENCE_SEED)
    parents, concepts.index.parents = concepts.index.parents, None
    weights = fit_evidence(concepts.index, train, observed, model)
    concepts.index.parents = parents
    test = _noisy_queries(read, concepts, n=TEST_QUERIES, seed=EVIDENCE_SEED + 1)
    test_observed = sample_evidence(
        test.concepts, model.essential, model.optional, seed=EVIDENCE_SEED + 1
    )
    concepts.index.evidence = None
    before = holdout_mrr(concepts.index, test)
    concepts.index.evidence = replace(model, weights=weights)
    return {
        "weights": weights,
        "holdout_mrr_title_only": round(before, 4),
        "holdout_mrr_with_evidence": round(
            holdout_mrr(concepts.index, test, observed=test_observed), 4
        ),
        "train_queries": len(train.texts),
        "test_queries": len(test.texts),
    }


def main(
    read: TableReader | None = None, *, parts: tuple[str, ...] = ("titles", "evidence")
) -> None:
    """Learn the title weights of both kinds and/or the evidence weights; update the JSON.

    Parts not learned keep their stored weights (the evidence weights sit on top of the
    occupation title weights, so learn them again whenever those change).
    """
    reader = read or _default_reader()
    result: dict[str, object] = (
        json.loads(WEIGHTS_PATH.read_text(encoding="utf-8")) if WEIGHTS_PATH.exists() else {}
    )
    result.update(
        about="written by python -m matching.normalisation.training; do not edit by hand",
        seed=SEED,
        versions={"python": platform.python_version(), "scikit-learn": sklearn.__version__},
    )
    if "titles" in parts:
        for kind in get_args(Kind):
            learned = learn(kind, reader)
            result[kind] = learned.pop("weights")
            result[f"{kind}_report"] = learned
            print(kind, learned)
            _write(result)
    if "evidence" in parts:
        learned = learn_evidence(reader)
        result[EVIDENCE_WEIGHTS] = learned.pop("weights")
        result[f"{EVIDENCE_WEIGHTS}_report"] = learned
        print(EVIDENCE_WEIGHTS, learned)
    _write(result)


def _write(result: dict[str, object]) -> None:
    """Write the weights JSON (sorted, so diffs stay small)."""
    WEIGHTS_PATH.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Learn the normaliser's weights from ESCO.")
    parser.add_argument(
        "--only", choices=["titles", "evidence"], help="learn one part, keep the other's weights"
    )
    only = parser.parse_args().only
    main(parts=(only,) if only else ("titles", "evidence"))

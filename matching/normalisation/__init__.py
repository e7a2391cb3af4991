"""Free text to ESCO concepts: the normaliser, its on-disk index cache, its labels, its training.

``from matching import normalisation`` is itself a text normaliser: ``normalisation.best`` and
``normalisation.rank`` (``matching.exchange.normalising.TextNormaliser``). The weights are in
``weights.json``, written by ``python -m matching.normalisation.training``.
"""

from matching.normalisation.normaliser import (
    EVIDENCE_WEIGHTS,
    WEIGHTS_PATH,
    ConceptIndex,
    Kind,
    Match,
    NormalisedText,
    Normaliser,
    best,
    build_concept_index,
    candidates_json,
    concept_index,
    evidence_model,
    rank,
)

__all__ = [
    "EVIDENCE_WEIGHTS",
    "WEIGHTS_PATH",
    "ConceptIndex",
    "Kind",
    "Match",
    "NormalisedText",
    "Normaliser",
    "best",
    "build_concept_index",
    "candidates_json",
    "concept_index",
    "evidence_model",
    "rank",
]

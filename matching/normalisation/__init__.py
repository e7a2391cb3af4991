"""Free text to ESCO concepts: the normaliser, its on-disk index cache, its labels, its training.

``from matching import normalisation`` is itself a text normaliser: ``normalisation.best`` and
``normalisation.rank`` (``matching.exchange.normalising.TextNormaliser``), and
``normalisation.for_organisation`` gives one over an organisation's synonyms as aliases
(``aliases``). The weights are in
``weights.json``, written by ``python -m matching.normalisation.training``.
"""

from matching.normalisation.aliases import AliasIndexes, alias_key, for_organisation
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
    "AliasIndexes",
    "ConceptIndex",
    "Kind",
    "Match",
    "NormalisedText",
    "Normaliser",
    "alias_key",
    "best",
    "build_concept_index",
    "candidates_json",
    "concept_index",
    "evidence_model",
    "for_organisation",
    "rank",
]

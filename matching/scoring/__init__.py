"""Scoring: the transparent prior, the learned durable-placement model, training and storage."""

from matching.scoring.base import Scorer, Scores
from matching.scoring.model import DurablePlacementModel, fit_durable_model
from matching.scoring.model_versions import load_model, load_scorer
from matching.scoring.prior import PRIOR_WEIGHTS, PriorScorer

__all__ = [
    "PRIOR_WEIGHTS",
    "DurablePlacementModel",
    "PriorScorer",
    "Scorer",
    "Scores",
    "fit_durable_model",
    "load_model",
    "load_scorer",
]

"""Evidence for a vacancy's skills beyond what intake recorded: the candidate's work history.

Intake records a fraction of what people can do. A required skill the candidate has no record
of is *likely present* (evidence level ``experience``) when it is an essential ESCO skill of an
occupation in their history, and *possibly present* (level ``related``) when it is an optional
skill of one. A recorded skill is always the stronger evidence: a skill counts at one level
only, the highest that applies (recorded > experience > related). Vectorised over the pool.
"""

from __future__ import annotations

import numpy as np

from features.pool import CandidateArrays
from features.skills import bit_chunks, bit_words, gather, mark, own_masks, popcount

RECORDED, EXPERIENCE, RELATED = 3, 2, 1
"""Evidence levels of a (candidate, skill) pair; 0 is no evidence."""


def evidence_levels(pool: CandidateArrays, skills: np.ndarray) -> np.ndarray:
    """N × K int8: the evidence level of each candidate for each of the skill columns."""
    return _levels(pool, skills)[0]


def _levels(
    pool: CandidateArrays, skills: np.ndarray
) -> tuple[np.ndarray, dict[int, tuple[np.ndarray, np.ndarray]]]:
    """The N × K levels and, per level, the (rows, positions) that were written for it."""
    level = np.zeros((len(pool), len(skills)), dtype=np.int8)
    written = {}
    for matrix, value in (
        (pool.optional, RELATED),
        (pool.essential, EXPERIENCE),
        (pool.skills_csc, RECORDED),
    ):
        rows, position = gather(matrix.indptr, matrix.indices, skills)
        level[rows, position] = value
        written[value] = (rows, position)
    return level, written


def inferred_shares(
    pool: CandidateArrays, skills: np.ndarray, experience: np.ndarray, related: np.ndarray
) -> None:
    """Share of ``skills`` at level experience / related into ``experience`` and ``related``.

    Both are 0 when ``skills`` is empty. Per chunk of skills three bit words per candidate
    (``features.skills``: bit j for ``chunk[j]``), recorded, essential and optional to their
    history; a level keeps the bits no stronger level has. Cost: the non-zeros of the touched
    columns plus a few passes over N narrow words (no loop per candidate).
    """
    k = len(skills)
    if k == 0:
        experience[:] = 0
        related[:] = 0
        return
    n = len(pool)
    at_experience, at_related = [], []
    for chunk in bit_chunks(skills):
        masks = own_masks(chunk)
        recorded, essential, optional = (bit_words(n, chunk) for _ in range(3))
        mark(recorded, pool.skills_csc, masks)
        mark(essential, pool.essential, masks)
        mark(optional, pool.optional, masks)
        at_experience.append(essential & ~recorded)
        at_related.append(optional & ~(essential | recorded))
    for out, words in ((experience, at_experience), (related, at_related)):
        np.multiply(popcount(words), np.float32(1 / k), out=out, casting="unsafe")

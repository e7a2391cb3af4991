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
from features.skills import gather

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

    Both are 0 when ``skills`` is empty. Cost: a memset of N × K bytes plus the non-zeros of
    the touched columns (no loop per candidate).
    """
    k = len(skills)
    if k == 0:
        experience[:] = 0
        related[:] = 0
        return
    level, written = _levels(pool, skills)
    n = len(pool)
    for out, value in ((experience, EXPERIENCE), (related, RELATED)):
        rows, position = written[value]
        kept = rows[level[rows, position] == value]  # not overwritten by stronger evidence
        np.multiply(np.bincount(kept, minlength=n), np.float32(1 / k), out=out, casting="unsafe")

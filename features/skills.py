"""The skill space: a column per ESCO skill and the partial credit between related skills.

Partial credit says how much holding skill ``s`` counts towards a required skill ``r``:
1 when ``s == r``; ``partial_credit`` (default 0.5) when ``s`` and ``r`` share a skill group of
level 2 or 3 of the ESCO skill hierarchy (the nearest group above each skill; level 0–1 groups
such as "skills" or "languages" are too broad to say anything) or are linked by an ESCO
skill–skill relation (either direction); 0 otherwise. A candidate's credit for ``r`` is the
maximum over their skills, so one close skill is enough and nothing adds up beyond 1.

Pairwise features count a vacancy's skills per candidate with bit masks: the vacancy's K skill
columns are split into chunks of at most 64 (``bit_chunks``), and each candidate gets one
unsigned word per chunk, as narrow as the chunk allows (uint8 up to 8 skills, … uint64), in
which bit j stands for ``chunk[j]``. ``mark`` sets the bits from the candidates' CSC columns
(recorded, close, essential to their history, …, as the caller chooses), and a count is a
popcount of the words (``np.bitwise_count``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

import numpy as np
import pandas as pd
from scipy import sparse

PARTIAL_CREDIT = 0.5
"""Credit for a skill in the same level-2/3 skill group or linked by an ESCO relation."""

GROUP_LEVELS = (2, 3)
"""Skill-group levels that count as 'closely related' for partial credit."""


def skill_group_level(code: str) -> int:
    """Level (0–3) of an ESCO skill-group code: ``S``→0, ``S1.2``→2, ``0413`` (ISCED-F)→3."""
    if code.isdigit():
        return len(code) - 1
    return 0 if len(code) == 1 else code.count(".") + 1


@dataclass(frozen=True)
class SkillSpace:
    """ESCO skills as matrix columns, their groups and their relations.

    ``groups`` is S × G binary (skill → its nearest level-2/3 group(s)); ``related`` is S × S
    binary and symmetric without diagonal (ESCO skill–skill relations).
    """

    uris: tuple[str, ...]
    index: Mapping[str, int]
    group_uris: tuple[str, ...]
    groups: sparse.csr_matrix
    related: sparse.csr_matrix
    partial_credit: float = PARTIAL_CREDIT

    @property
    def size(self) -> int:
        """Number of skills S."""
        return len(self.uris)

    @cached_property
    def group_lists(self) -> tuple[tuple[int, ...], ...]:
        """The groups of each skill as tuples: per-skill lookups without sparse slicing."""
        return _row_tuples(self.groups)

    @cached_property
    def related_lists(self) -> tuple[tuple[int, ...], ...]:
        """The related skills of each skill as tuples."""
        return _row_tuples(self.related)

    def columns(self, uris: Iterable[str | None]) -> np.ndarray:
        """Column indices of the known URIs among ``uris``, unique, in first-seen order."""
        seen = dict.fromkeys(self.index[u] for u in uris if u is not None and u in self.index)
        return np.fromiter(seen, dtype=np.int32, count=len(seen))

    def partial_credit_matrix(self) -> sparse.csr_matrix:
        """S × S credit matrix: 1 on the diagonal, ``partial_credit`` for close skills, else 0."""
        close = (self.groups @ self.groups.T + self.related).tocsr()
        close.data[:] = self.partial_credit
        eye = sparse.identity(self.size, dtype=np.float32, format="csr")
        credit = close.maximum(eye).tocsr().astype(np.float32)
        credit.sort_indices()
        return credit


def binary_csr(
    rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int], dtype: type = np.float32
) -> sparse.csr_matrix:
    """A binary CSR matrix with ones at (rows, cols); duplicates collapse to 1."""
    data: np.ndarray = np.ones(len(rows), dtype=dtype)
    matrix = sparse.csr_matrix((data, (rows, cols)), shape=shape)
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def gather(
    indptr: np.ndarray, indices: np.ndarray, select: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Concatenated minor indices of the major slices ``select`` and each entry's position."""
    starts = indptr[select]
    lengths = indptr[select + 1] - starts
    total = int(lengths.sum())
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    position = np.repeat(np.arange(len(select)), lengths)
    return indices[offsets + np.arange(total)], position


WORD_BITS = 64
"""Skills per bit-mask word: longer skill lists are split into chunks of this many."""


def bit_chunks(skills: np.ndarray) -> list[np.ndarray]:
    """``skills`` in consecutive chunks of at most WORD_BITS columns (a word per candidate each)."""
    return [skills[i : i + WORD_BITS] for i in range(0, len(skills), WORD_BITS)]


def bit_words(n: int, chunk: np.ndarray) -> np.ndarray:
    """N zero words of the narrowest unsigned type with a bit per skill of ``chunk`` (≤ 64)."""
    return np.zeros(n, dtype=np.min_scalar_type((1 << len(chunk)) - 1))


def own_masks(chunk: np.ndarray) -> dict[int, int]:
    """Each column of ``chunk`` and its bit: bit j for ``chunk[j]``."""
    return {column: 1 << j for j, column in enumerate(chunk.tolist())}


def reached_masks(relation: sparse.csr_matrix, chunk: np.ndarray) -> dict[int, int]:
    """Each column the skills of ``chunk`` reach in ``relation`` (skill → related skills or
    groups, S × ·) and the mask of the bits that reach it: bit j when ``chunk[j]`` does."""
    indptr, indices = relation.indptr, relation.indices
    masks: dict[int, int] = {}
    for j, skill in enumerate(chunk.tolist()):
        for column in indices[indptr[skill] : indptr[skill + 1]].tolist():
            masks[column] = masks.get(column, 0) | 1 << j
    return masks


def mark(words: np.ndarray, matrix: sparse.csc_matrix, masks: Mapping[int, int]) -> None:
    """``words[i] |= mask`` for every row i of each column of ``matrix`` in ``masks``.

    A column's rows are a slice of the CSC indices, so no index arrays are built; within one
    column a row appears once, and ORing one mask is idempotent anyway.
    """
    indptr, indices, word = matrix.indptr, matrix.indices, words.dtype.type
    for column, mask in masks.items():
        words[indices[indptr[column] : indptr[column + 1]]] |= word(mask)


def column_rows(matrix: sparse.csc_matrix, columns: np.ndarray) -> np.ndarray:
    """The row indices of ``columns`` of a CSC matrix, concatenated (a row once per column)."""
    indptr, indices = matrix.indptr, matrix.indices
    return np.concatenate([indices[indptr[c] : indptr[c + 1]] for c in columns.tolist()])


def popcount(words: Sequence[np.ndarray]) -> np.ndarray:
    """Bits set per candidate over the words of all chunks (uint8 for one chunk, else int64)."""
    if len(words) == 1:
        count: np.ndarray = np.bitwise_count(words[0])
        return count
    total = np.zeros(len(words[0]), dtype=np.int64)
    for w in words:
        total += np.bitwise_count(w)
    return total


def _nearest_groups(
    skills: np.ndarray, broader: pd.DataFrame, group_level: Mapping[str, int]
) -> dict[str, set[str]]:
    """For each skill URI, the nearest skill-group ancestors (through broader skills)."""
    parents: dict[str, list[str]] = {}
    for uri, up in zip(broader["uri"].tolist(), broader["broader_uri"].tolist(), strict=True):
        parents.setdefault(uri, []).append(up)
    nearest: dict[str, set[str]] = {}
    for skill in skills.tolist():
        found: set[str] = set()
        stack, seen = [skill], {skill}
        while stack:
            for up in parents.get(stack.pop(), []):
                if up in seen:
                    continue
                seen.add(up)
                if up in group_level:
                    found.add(up)
                else:
                    stack.append(up)
        nearest[skill] = found
    return nearest


def build_skill_space(
    skills: pd.DataFrame,
    skill_groups: pd.DataFrame,
    skill_broader: pd.DataFrame,
    skill_relations: pd.DataFrame,
    *,
    partial_credit: float = PARTIAL_CREDIT,
) -> SkillSpace:
    """Build the skill space from the reference tables (``skills``, ``skill_groups``, …)."""
    uris = np.sort(skills["uri"].dropna().unique())
    index = {uri: i for i, uri in enumerate(uris.tolist())}
    level = {
        u: skill_group_level(c)
        for u, c in zip(skill_groups["uri"].tolist(), skill_groups["code"].tolist(), strict=True)
        if isinstance(c, str) and re.fullmatch(r"[A-Z]?[\d.]*", c)
    }
    nearest = _nearest_groups(uris, skill_broader, level)
    kept = sorted({g for gs in nearest.values() for g in gs if level[g] in GROUP_LEVELS})
    group_index = {g: i for i, g in enumerate(kept)}
    pairs = [
        (index[s], group_index[g]) for s, gs in nearest.items() for g in gs if g in group_index
    ]
    rows, cols = (np.array(x, dtype=np.int64) for x in zip(*pairs, strict=True))
    groups = binary_csr(rows, cols, (len(uris), len(kept)))
    rel = skill_relations[
        skill_relations["skill_uri"].isin(index) & skill_relations["related_uri"].isin(index)
    ]
    a = rel["skill_uri"].map(index).to_numpy(dtype=np.int64)
    b = rel["related_uri"].map(index).to_numpy(dtype=np.int64)
    keep = a != b
    related = binary_csr(
        np.concatenate([a[keep], b[keep]]), np.concatenate([b[keep], a[keep]]), (len(uris),) * 2
    )
    return SkillSpace(
        uris=tuple(uris.tolist()),
        index=index,
        group_uris=tuple(kept),
        groups=groups,
        related=related,
        partial_credit=partial_credit,
    )


def _row_tuples(matrix: sparse.csr_matrix) -> tuple[tuple[int, ...], ...]:
    """The column indices of each row of a CSR matrix."""
    indices, bounds = matrix.indices.tolist(), matrix.indptr.tolist()
    return tuple(tuple(indices[a:b]) for a, b in pairwise(bounds))

"""Vectorised sampling helpers shared by the generator's modules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np


def draw(rng: np.random.Generator, table: Mapping[Any, float], size: int) -> np.ndarray:
    """``size`` values drawn from a ``{value: probability}`` table."""
    values = list(table)
    index = rng.choice(len(values), size=size, p=np.fromiter(table.values(), dtype=float))
    return np.asarray(values, dtype=object)[index] if size else np.asarray([], dtype=object)


def draw_given(
    rng: np.random.Generator, tables: Mapping[Any, Mapping[Any, float]], given: np.ndarray
) -> np.ndarray:
    """One value per element of ``given``, drawn from the table of that element's condition."""
    out = np.empty(len(given), dtype=object)
    for condition, table in tables.items():
        rows = np.flatnonzero(given == condition)
        out[rows] = draw(rng, table, len(rows))
    return out


def weighted_index(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """``size`` indices drawn with probability proportional to ``weights``."""
    cumulative = np.cumsum(weights, dtype=float)
    picks = rng.random(size) * cumulative[-1]
    index = np.searchsorted(cumulative, picks, side="right")
    return np.asarray(np.minimum(index, len(weights) - 1))


def expand_ranges(starts: np.ndarray, stops: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every index in the ranges ``[starts[i], stops[i])`` and the ``i`` it came from."""
    lengths = np.maximum(stops - starts, 0)
    owner = np.repeat(np.arange(len(starts)), lengths)
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum())), owner


def join_by_owner(owner: np.ndarray, texts: np.ndarray, size: int) -> np.ndarray:
    """``;``-joined texts per owner ``0..size-1`` (in the given order per owner), ``""`` if none."""
    out = np.full(size, "", dtype=object)
    if len(owner):
        order = np.argsort(owner, kind="stable")
        owner = owner[order]
        items = np.asarray(texts, dtype=object)[order] + ";"
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        joined = np.add.reduceat(items, starts)
        out[owner[starts]] = [text[:-1] for text in joined.tolist()]
    return out


def iso_dates(days: np.ndarray) -> np.ndarray:
    """ISO date strings of ``datetime64[D]`` values; NaT becomes ``""``."""
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[np.isnat(days)] = ""
    return text


def id_strings(prefix: str, numbers: np.ndarray, width: int = 6) -> np.ndarray:
    """Identifiers like ``KND000123``: a letter prefix keeps them from looking like a BSN."""
    digits = max(width, len(str(int(numbers.max())))) if len(numbers) else width
    return np.array([f"{prefix}{n:0{digits}d}" for n in numbers.tolist()], dtype=object)


def bools(values: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """``true``/``false`` strings, ``""`` where not ``known``."""
    out = np.where(values, "true", "false").astype(object)
    if known is not None:
        out[~known] = ""
    return out


def ints(values: np.ndarray, known: np.ndarray | None = None) -> np.ndarray:
    """Integer strings, ``""`` where not ``known``."""
    out = np.asarray(values).astype(np.int64).astype(str).astype(object)
    if known is not None:
        out[~known] = ""
    return out


def pick_sequence(rng: np.random.Generator, options: Sequence[str], size: int) -> np.ndarray:
    """``size`` elements picked uniformly from ``options``."""
    return np.asarray(options, dtype=object)[rng.integers(0, len(options), size)]

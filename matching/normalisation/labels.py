"""The label tables the normaliser's indexes are built from: ESCO occupations and the ISCO
groups ranked next to them (broad titles), the labels as rows, head-word labels left out, and
an organisation's synonyms added as aliases."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from features.occupations import isco_code
from features.taxonomy import ALTERNATIVE, DUTCH, ENGLISH, HIDDEN, PREFERRED

TableReader = Callable[[str], pd.DataFrame]
Level = Literal["occupation", "group"]
GENERIC_CONCEPTS = 50
"""A one-word label that is a word of this many other concepts' labels is a head word."""
_LABEL_COLUMNS: tuple[tuple[str, int, int], ...] = (
    ("label_nl", PREFERRED, DUTCH),
    ("alt_labels_nl", ALTERNATIVE, DUTCH),
    ("hidden_labels_nl", HIDDEN, DUTCH),
    ("label_en", PREFERRED, ENGLISH),
    ("alt_labels_en", ALTERNATIVE, ENGLISH),
    ("hidden_labels_en", HIDDEN, ENGLISH),
)


def label_frame(table: pd.DataFrame) -> pd.DataFrame:
    """All labels of a concept table, one row each: concept, text, kind, lang."""
    frames = []
    for column, kind, lang in _LABEL_COLUMNS:
        if column not in table.columns:
            continue
        cells = table[column].fillna("").astype(str).str.split("|")
        frame = pd.DataFrame({"concept": np.arange(len(table)), "text": cells}).explode("text")
        frame = frame.loc[frame["text"].str.strip().str.len() > 0]
        frames.append(frame.assign(kind=kind, lang=lang))
    labels = pd.concat(frames, ignore_index=True)
    return labels.astype({"concept": np.int64, "text": str})


def without_generic(labels: pd.DataFrame, *, min_concepts: int = GENERIC_CONCEPTS) -> pd.DataFrame:
    """The labels minus one-word alternative and hidden labels that are a word of the labels of
    at least ``min_concepts`` other concepts: ESCO gives a few occupations bare head words
    ("medewerker", "operator", "manager") as labels, which would make every "Medewerker …"
    title match them. Preferred labels always stay.
    """
    words = labels["text"].str.lower().str.findall(r"[^\W\d_]+")
    pairs = pd.DataFrame({"concept": labels["concept"], "word": words}).explode("word")
    spread = pairs.drop_duplicates().groupby("word")["concept"].size()
    single = words.str.len() == 1
    head = words.str[0].where(single)
    others = head.map(spread).fillna(0) - 1
    generic = single & (labels["kind"] != PREFERRED) & (others >= min_concepts)
    return labels.loc[~generic].reset_index(drop=True)


def concept_level(uri: str) -> Level:
    """Whether an occupation URI names one ESCO occupation or an ISCO group of them.

    >>> concept_level("http://data.europa.eu/esco/isco/C8121")
    'group'
    """
    return "group" if isco_code(uri) is not None else "occupation"


def group_display(label: str) -> str:
    """How an ISCO group is shown next to occupations, so its level is visible.

    >>> group_display("Dakdekkers")
    'beroepsgroep Dakdekkers'
    """
    return f"beroepsgroep {label}"


def occupation_table(read: TableReader) -> pd.DataFrame:
    """The ESCO occupations followed by the ISCO groups, ranked as concepts of their own.

    A group has its Dutch and English preferred label (ESCO gives groups no other labels) and
    its own code as ``isco_group``, so a unit group and its occupations vote for each other.
    """
    occupations = read("occupations")
    groups = read("isco_groups")
    rows = groups.loc[:, ["uri", "label_nl", "label_en"]].assign(isco_group=groups["code"])
    return pd.concat([occupations, rows], ignore_index=True)


def with_aliases(table: pd.DataFrame, aliases: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """The concept table with extra texts per URI added as alternative Dutch labels (an
    organisation's synonyms, so texts like them find the concept too)."""
    extra = pd.Series(
        {uri: "|".join(t.replace("|", " ") for t in ts) for uri, ts in aliases.items()}
    )
    added = table["uri"].map(extra).fillna("")
    old = table.get("alt_labels_nl", pd.Series("", index=table.index)).fillna("").astype(str)
    joined = (old + "|" + added).str.strip("|")
    return table.assign(alt_labels_nl=joined)

"""Which of a vacancy's competences a candidate has, misses, or comes close to (ESCO terms).

Mirrors the partial credit of ``features.skills``: a required skill is *matched* when the
candidate has it; a missing one is *close* when the candidate has a skill linked to it by an
ESCO skill relation or in the same level-2/3 ESCO skill group (credit ``partial_credit``).
So ``(matched + partial_credit · close) / required`` equals the feature ``required_coverage``.

A missing skill may still be likely present through work history (``features.evidence``): an
essential ESCO skill of an occupation the candidate worked in ("waarschijnlijk aanwezig:
ervaring als magazijnmedewerker"), or an optional one ("mogelijk aanwezig: verwant aan
ervaring als …"). Such a skill stays in ``missing`` (it was not recorded) with its
``evidence``, and is listed in ``likely`` too; in the text and on the page recorded skills
come first, then likely ones, then the rest: inferred evidence never outranks a record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from features.pool import CandidateArrays
from matching.shortlist.labels import Labels


def _row(matrix: Any, i: int) -> np.ndarray:
    return np.asarray(matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]])


def held_groups(pool: CandidateArrays, held: np.ndarray) -> dict[int, int]:
    """Each skill group of the held skills, with the (last) held skill in it."""
    groups = pool.skill_space.group_lists
    return {g: h for h in held.tolist() for g in groups[h]}


def closest_skill(
    pool: CandidateArrays,
    held: np.ndarray,
    skill: int,
    labels: Labels,
    *,
    by_group: dict[int, int] | None = None,
    held_set: set[int] | None = None,
) -> dict[str, str] | None:
    """The candidate's skill closest to ``skill``: an ESCO relation first, then a shared group.

    ``by_group`` (``held_groups(pool, held)``) and ``held_set`` (``set(held)``) when the caller
    looks up several skills.
    """
    space = pool.skill_space
    held_set = set(held.tolist()) if held_set is None else held_set
    related = next((s for s in space.related_lists[skill] if s in held_set), None)
    if related is not None:
        uri = space.uris[related]
        return {"uri": uri, "label": labels.skill(uri), "relation": "verwante vaardigheid"}
    by_group = held_groups(pool, held) if by_group is None else by_group
    for group in space.group_lists[skill]:
        if group in by_group:
            uri, name = space.uris[by_group[group]], space.group_uris[group]
            label, group_label = labels.skill(uri), labels.skill_groups.get(name, name)
            # no "X, zelfde vaardigheidsgroep (X)" when the skill is shown by its group's name
            same = "zelfde vaardigheidsgroep"
            relation = same if group_label == label else f"{same}: {group_label}"
            return {"uri": uri, "label": label, "relation": relation}
    return None


def _label(uri: str, labels: Labels) -> dict[str, str]:
    return {"uri": uri, "label": labels.skill(uri)}


def _list(items: list[str], most: int = 6) -> str:
    shown = ", ".join(items[:most])
    return shown + (f" en {len(items) - most} meer" if len(items) > most else "")


EVIDENCE_WORDS = {
    "experience": "waarschijnlijk aanwezig: ervaring als {}",
    "related": "mogelijk aanwezig: verwant aan ervaring als {}",
}
"""How an inferred skill is worded, by evidence level (``features.evidence``)."""


def evidence(
    pool: CandidateArrays, row: int, labels: Labels
) -> Callable[[int], dict[str, str] | None]:
    """``why(skill)``: why an unrecorded skill is likely present: the first occupation in the
    candidate's history that has it as essential (``experience``), else as optional
    (``related``); None when none has it. The history's skills are read once per candidate."""
    space = pool.occupation_space
    held = _row(pool.occupations, row).tolist()
    first: dict[int, tuple[str, int]] = {}
    for level, matrix in (("related", space.optional), ("experience", space.essential)):
        for o in reversed(held):  # the first occupation of the better level wins
            first.update(dict.fromkeys(_row(matrix, o).tolist(), (level, o)))

    def why(skill: int) -> dict[str, str] | None:
        if skill not in first:
            return None
        level, o = first[skill]
        name = labels.occupations.get(space.uris[o], space.uris[o])
        return {"level": level, "occupation": name, "text": EVIDENCE_WORDS[level].format(name)}

    return why


def competence_text(matched: list[dict[str, Any]], missing: list[dict[str, Any]]) -> str:
    """'Heeft 3 van de 5 vereiste competenties: …; waarschijnlijk aanwezig: … (ervaring als …);
    mist: … (wel: …)'. Recorded skills first, then inferred ones, then the rest."""
    total = len(matched) + len(missing)
    if total == 0:
        return "De vacature noemt geen vereiste competenties."
    text = f"Heeft {len(matched)} van de {total} vereiste competenties"
    if matched:
        text += ": " + _list([m["label"] for m in matched])
    for level in EVIDENCE_WORDS:
        inferred = [m for m in missing if m.get("evidence") and m["evidence"]["level"] == level]
        if inferred:
            word = EVIDENCE_WORDS[level].split(":")[0]
            text += f"; {word}: " + _list(
                [f"{m['label']} ({m['evidence']['text'].split(': ')[1]})" for m in inferred]
            )
    rest = [m for m in missing if not m.get("evidence")]
    if rest:
        parts = [
            m["label"]
            + (
                f" (wel: {m['closest']['label']}, {m['closest']['relation']})"
                if m["closest"]
                else ""
            )
            for m in rest
        ]
        text += "; mist: " + _list(parts)
    return text + "."


def competences(
    pool: CandidateArrays, row: int, required: np.ndarray, optional: np.ndarray, labels: Labels
) -> dict[str, Any]:
    """Matched and missing required competences (with the closest held skill), optional ones."""
    held = _row(pool.skills, row)
    held_set, uris, wanted = set(held.tolist()), pool.skill_space.uris, required.tolist()
    matched = [_label(uris[s], labels) for s in wanted if s in held_set]
    lacking = [s for s in wanted if s not in held_set]
    by_group = held_groups(pool, held) if lacking else {}
    why = evidence(pool, row, labels) if lacking else None
    missing: list[dict[str, Any]] = [
        {
            **_label(uris[s], labels),
            "closest": closest_skill(pool, held, s, labels, by_group=by_group, held_set=held_set),
            "evidence": why(s) if why else None,
        }
        for s in lacking
    ]
    rank = {"experience": 0, "related": 1}
    likely = sorted(
        (m for m in missing if m["evidence"]), key=lambda m: rank[m["evidence"]["level"]]
    )
    both = sorted(held_set.intersection(optional.tolist()))  # as np.intersect1d, faster
    optional_matched = [_label(uris[s], labels) for s in both]
    opt_text = (
        f"Heeft {len(optional_matched)} van de {len(optional)} gewenste competenties."
        if len(optional)
        else "De vacature noemt geen gewenste competenties."
    )
    return {
        "matched": matched,
        "missing": missing,
        "likely": likely,
        "optional_matched": optional_matched,
        "optional_total": len(optional),
        "text": competence_text(matched, missing),
        "optional_text": opt_text,
    }

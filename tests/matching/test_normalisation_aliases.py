"""An organisation's synonyms as aliases: one index per organisation and synonym list, cached."""

from __future__ import annotations

import doctest
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pytest

import matching.normalisation.aliases as aliases_module
from matching.normalisation import ConceptIndex, Kind, build_concept_index
from matching.normalisation.aliases import AliasIndexes, alias_key, alias_ranker, for_organisation
from tests.evaluation.test_synonym_bench import READ, ROOFER_GROUP


def test_doctests_pass() -> None:
    assert doctest.testmod(aliases_module).failed == 0


class Builds:
    """A build function that records what it built; returns a picklable stand-in."""

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.calls: list[tuple[str, dict[str, tuple[str, ...]]]] = []
        self.gate = gate

    def __call__(self, kind: Kind, aliases: Mapping[str, Sequence[str]]) -> ConceptIndex:
        if self.gate is not None:
            self.gate.wait(timeout=10)
        self.calls.append((kind, {uri: tuple(texts) for uri, texts in aliases.items()}))
        return cast(ConceptIndex, {"kind": kind, "aliases": dict(aliases)})


def _indexes(builds: Builds, directory: Path | None, capacity: int = 8) -> AliasIndexes:
    return AliasIndexes(
        builds, directory=lambda: directory, base_key=lambda kind: f"base-{kind}", capacity=capacity
    )


def test_the_key_changes_with_the_list_and_not_with_its_order() -> None:
    one = {"u1": ["glazenwasser"], "u2": ["ramen zemen"]}
    assert alias_key(one) == alias_key({"u2": ["ramen zemen"], "u1": ["glazenwasser"]})
    assert alias_key(one) != alias_key({**one, "u1": ["glazenwasser", "zemer"]})
    assert alias_key(one) != alias_key({"u1": ["glazenwasser"], "u3": ["ramen zemen"]})


def test_built_once_per_organisation_and_list_and_rebuilt_when_the_list_changes(
    tmp_path: Path,
) -> None:
    builds = Builds()
    indexes = _indexes(builds, tmp_path)
    first = {"u1": ["glazenwasser"]}
    a = indexes.get("occupation", "org-a", first)
    assert indexes.get("occupation", "org-a", {"u1": ["glazenwasser"]}) is a
    b = indexes.get("occupation", "org-b", first)  # the same list: an index of its own
    assert len(builds.calls) == 2 and b is not a
    assert len(list(tmp_path.glob("*.joblib"))) == 2
    changed = indexes.get("occupation", "org-a", {"u1": ["glazenwasser", "zemer"]})
    assert cast(dict[str, Any], changed)["aliases"] == {"u1": ("glazenwasser", "zemer")}
    assert len(builds.calls) == 3
    assert len(list(tmp_path.glob("*.joblib"))) == 2  # org-a's older file went, org-b's stayed
    unused = Builds()
    fresh = _indexes(unused, tmp_path)  # a new process: loaded from disk, not built
    loaded = fresh.get("occupation", "org-b", first)
    assert cast(dict[str, Any], loaded)["aliases"] == {"u1": ("glazenwasser",)}
    assert unused.calls == []


def test_without_wait_nothing_until_the_index_is_built() -> None:
    gate = threading.Event()
    builds = Builds(gate)
    indexes = _indexes(builds, None)
    assert indexes.get("skill", "org-a", {"u1": ["ramen zemen"]}, wait=False) is None
    assert indexes.get("skill", "org-a", {"u1": ["ramen zemen"]}, wait=False) is None
    gate.set()
    assert indexes.get("skill", "org-a", {"u1": ["ramen zemen"]}) is not None
    assert indexes.get("skill", "org-a", {"u1": ["ramen zemen"]}, wait=False) is not None
    assert len(builds.calls) == 1


def test_memory_holds_the_most_recently_used_indexes() -> None:
    builds = Builds()
    indexes = _indexes(builds, None, capacity=2)
    for org in ("a", "b", "a", "c"):
        indexes.get("occupation", org, {"u1": ["x"]})
    assert len(builds.calls) == 3
    indexes.get("occupation", "a", {"u1": ["x"]})  # kept: used after b
    assert len(builds.calls) == 3
    indexes.get("occupation", "b", {"u1": ["x"]})  # dropped for c
    assert len(builds.calls) == 4


def test_a_failed_build_is_tried_again() -> None:
    calls = []

    def failing(kind: Kind, aliases: Mapping[str, Sequence[str]]) -> ConceptIndex:
        calls.append(kind)
        raise RuntimeError("kapot")

    indexes = AliasIndexes(failing, directory=lambda: None, base_key=lambda kind: "k")
    for _ in range(2):
        with pytest.raises(RuntimeError, match="kapot"):
            indexes.get("occupation", "org-a", {"u1": ["x"]})
    assert len(calls) == 2
    assert indexes.get("occupation", "org-a", {"u1": ["x"]}, wait=False) is None  # no error
    assert len(calls) == 2  # and no new build set off by a request for a while


def test_an_organisation_without_aliases_of_a_kind_ranks_with_the_base_index() -> None:
    builds = Builds()
    indexes = _indexes(builds, None)
    bases: list[str] = []

    def base(kind: Kind) -> ConceptIndex:
        bases.append(kind)
        raise LookupError("base")

    ours = {"occupation": {"u1": ["glazenwasser"]}}
    with pytest.raises(LookupError):  # org-b has no aliases: straight to the base index
        for_organisation("org-b", {}, indexes=indexes, base=base).rank(["x"], kind="occupation")
    with pytest.raises(LookupError):  # org-a has none of skills
        for_organisation("org-a", ours, indexes=indexes, base=base).rank(["x"], kind="skill")  # type: ignore[arg-type]
    assert bases == ["occupation", "skill"] and builds.calls == []
    assert alias_ranker("org-b", {}, "occupation", indexes=indexes) is None


def test_an_alias_ranks_its_concept_for_its_organisation() -> None:
    """A real index over the craft workers (ISCO 7), built once without a disk cache."""
    indexes = AliasIndexes(
        lambda kind, aliases: build_concept_index(kind, READ, aliases=aliases),
        directory=lambda: None,
    )
    ours = {"occupation": {ROOFER_GROUP: ["pannenlegger westland"]}}
    ranked = for_organisation("org-a", ours, indexes=indexes).rank(  # type: ignore[arg-type]
        ["pannenleggers westland"], kind="occupation", top=1
    )
    assert ranked[0][0].uri == ROOFER_GROUP
    ranker = alias_ranker("org-a", ours, "occupation", wait=False, indexes=indexes)  # type: ignore[arg-type]
    assert ranker is not None
    assert ranker.rank(["pannenlegger westland"], kind="occupation", top=1)[0][0].uri == (
        ROOFER_GROUP
    )

"""Helpers for the review tests: a fake normaliser with ``best`` and ``rank``, files on the fly."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from matching.normalisation import Match, NormalisedText

Ranking = Mapping[str, Sequence[tuple[str, float]]]
CANDIDATE_HEADER = (
    "candidate_id,municipality_code,ladder_step,target_group,hours_available,status,"
    "competences,occupations"
)


class FakeNormaliser:
    """Ranks from a fixed table (text → [(uri, score), …]); texts not in it get nothing."""

    def __init__(self, table: Ranking) -> None:
        self.table = table
        self.read: list[str] = []

    def rank(self, texts: Sequence[str], *, kind: str, top: int = 10) -> list[list[Match]]:
        self.read.extend(texts)
        return [
            [Match(uri, f"begrip {uri[-6:]}", s, s) for uri, s in self.table.get(t, [])][:top]
            for t in texts
        ]

    def best(
        self,
        texts: Sequence[str],
        *,
        kind: str,
        threshold: float,
        evidence: Sequence[Sequence[str]] | None = None,
    ) -> list[NormalisedText]:
        results = []
        for matches in self.rank(texts, kind=kind, top=2):
            top = matches[0] if matches else None
            runner = matches[1] if len(matches) > 1 else None
            accepted = top is not None and top.score >= threshold
            results.append(
                NormalisedText(
                    text="",
                    uri=top.uri if top and accepted else None,
                    score=top.score if top else 0.0,
                    runner_up_uri=runner.uri if runner else None,
                    runner_up_score=runner.score if runner else None,
                    needs_review=not accepted,
                )
            )
        return results


Write = Callable[[str, str], Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """Write a text file under tmp_path: ``write("candidates.csv", "…")``."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write

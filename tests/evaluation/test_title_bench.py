"""The noisy-title bench: how titles are built, the metrics by hand, and the CLI on a few titles."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA
from typer.testing import CliRunner

from evaluation.title_bench import TitleSet, evaluate, typo, vacancy_titles
from matching.cli import app
from matching.reference import read_table


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=40), st.integers(0, 2**31))
def test_a_typo_is_one_edit_inside_a_long_word(text: str, seed: int) -> None:
    noisy = typo(text, np.random.default_rng(seed))
    assert OSA.distance(text, noisy) <= 1
    assert [w[:1] for w in noisy.split(" ")] == [w[:1] for w in text.split(" ")]


def test_vacancy_titles_are_seeded_and_require_essential_skills() -> None:
    first, again = vacancy_titles(read_table, n=50), vacancy_titles(read_table, n=50)
    assert first == again
    relations = read_table("occupation_skills")
    essential = relations.loc[relations["relation"] == "essential"]
    pairs = set(zip(essential["occupation_uri"], essential["skill_uri"], strict=True))
    assert all((uri, s) in pairs for uri, skills in zip(first.uris, first.skills, strict=True)
               for s in skills)  # fmt: skip
    assert sum(1 for skills in first.skills if skills) > 30
    assert first.texts != first.labels  # noise was added


def test_metrics_by_hand() -> None:
    """Right and stored (0.9), right but kept (0.3), wrong and stored (0.8), nothing (0):
    acc@1 2/4, right 1/4, kept 2/4, precision 1/2, mean confidence of the stored 0.85."""
    titles = TitleSet(
        ["a", "b", "c", "d"], ["u1", "u2", "u3", "u4"], ["a", "b", "c", "d"], [()] * 4
    )
    ranked = [("u1", 0.9), ("u2", 0.3), ("x", 0.8), (None, 0.0)]
    result = evaluate(titles, ranked, name="hand", seconds=2.0)
    assert (result.acc_at_1, result.right, result.kept_as_text) == (0.5, 0.25, 0.5)
    assert (result.precision, result.mean_confidence_stored) == (0.5, 0.85)
    assert result.titles_per_second == 2.0


def test_cli_reports_every_set() -> None:
    result = CliRunner().invoke(app, ["bench", "titles", "--titles", "30", "--json"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.strip().splitlines()]
    assert [r["dataset"] for r in rows] == [
        "vacatures",
        "vacatures + competenties",
        "werkzoekenden",
        "vacatures, eigen label verborgen",
        "vacatures + competenties, eigen label verborgen",
        "werkzoekenden, eigen label verborgen",
    ]
    assert all(r["titles"] == 30 and 0 <= r["right"] <= r["acc_at_1"] <= 1 for r in rows)

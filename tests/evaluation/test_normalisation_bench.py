"""The MELO and JobBERT benchmark runners on tiny datasets in their formats, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matching.cli import app
from matching.reference import read_table

ISCO_GROUP = "http://data.europa.eu/esco/isco/C51"


@pytest.fixture(scope="module")
def two_occupations() -> list[tuple[str, str]]:
    """(uri, Dutch preferred label) of two occupations whose label is their own."""
    occupations = read_table("occupations").set_index("label_nl")
    return [(str(occupations.loc[label, "uri"]), label) for label in ("slager", "kok")]


def _write(directory: Path, name: str, rows: list[tuple[str, ...]]) -> None:
    (directory / name).write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")


def _invoke(*args: str) -> dict[str, float]:
    result = CliRunner().invoke(app, ["bench", *args, "--json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output.strip().splitlines()[-1]))


def test_melo_ranks_corpus_elements_as_the_paper_does(
    tmp_path: Path, two_occupations: list[tuple[str, str]]
) -> None:
    """Two queries that are preferred labels find their element at rank 1; a query the
    normaliser cannot place leaves the corpus in its own order, so its element (the 4th) is at
    rank 4: MRR (1 + 1 + 1/4) / 3 = 0.75, Acc@1 2/3, R@5 1."""
    (slager, slager_label), (kok, kok_label) = two_occupations
    elements = [("E0", "Verkopers", ISCO_GROUP), ("E1", slager_label, slager),
                ("E2", "vleesbewerker", slager), ("E3", kok_label, kok)]  # fmt: skip
    _write(tmp_path, "corpus_elements.tsv", [(e, t) for e, t, _ in elements])
    _write(tmp_path, "concept_mapping.tsv", [(e, u) for e, _, u in elements])
    _write(tmp_path, "queries.tsv", [("Q1", slager_label), ("Q2", kok_label), ("Q3", "???")])
    relevant = [("Q1", "E2"), ("Q1", "E1"), ("Q2", "E3"), ("Q3", "E3")]
    _write(tmp_path, "annotations.tsv", [(q, "0", e, "1") for q, e in relevant])
    result = _invoke("melo", str(tmp_path))
    assert result["queries"] == 3
    assert result["mrr"] == pytest.approx(0.75)
    assert result["acc_at_1"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["r_at_5"] == 1.0
    assert result["titles_per_second"] > 0


def test_jobbert_ranks_occupations(tmp_path: Path, two_occupations: list[tuple[str, str]]) -> None:
    (slager, _), (kok, _) = two_occupations
    titles = tmp_path / "titles.csv"
    titles.write_text(f",vacancyTitle,conceptUri\n0,Butcher,{slager}\n1,???,{kok}\n")
    result = _invoke("jobbert", str(titles))
    assert result["queries"] == 2
    assert result["mrr"] == pytest.approx(0.5)  # butcher first; nothing found for "???"

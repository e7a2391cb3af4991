"""Importing: the fixture region, upserts, order, one transaction, normalisation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from matching.exchange import import_paths
from matching.exchange.normalising import TextKind
from matching.store import models as m
from tests.matching.exchange.conftest import CANDIDATE_HEADER, REGION_SMALL, Write, count


@dataclass(frozen=True)
class Result:
    """What a fake normaliser returns (the fields of NormalisedText)."""

    text: str
    uri: str | None
    score: float
    runner_up_uri: str | None
    runner_up_score: float | None
    needs_review: bool


class FakeNormaliser:
    """Maps known texts to fixed concepts and records every call."""

    def __init__(self, known: dict[str, str], *, fail_on: TextKind | None = None) -> None:
        self.known = known
        self.fail_on = fail_on
        self.calls: list[tuple[TextKind, list[str]]] = []
        self.evidence: list[Sequence[Sequence[str]] | None] = []

    def best(
        self,
        texts: Sequence[str],
        *,
        kind: TextKind,
        threshold: float,
        evidence: Sequence[Sequence[str]] | None = None,
    ) -> list[Result]:
        self.calls.append((kind, list(texts)))
        self.evidence.append(evidence)
        if kind == self.fail_on:
            raise RuntimeError("normaliser crashed")
        return [
            Result(t, self.known.get(t), 0.9 if t in self.known else 0.1, None, None,
                   t not in self.known)
            for t in texts
        ]  # fmt: skip


CLEAN = "http://data.europa.eu/esco/skill/6ff01827-907d-43d8-b6e4-7162c1cf0aca"


def test_region_small_imports_without_rejections(sessions: sessionmaker[Session]) -> None:
    report = import_paths(sessions, [REGION_SMALL])
    assert report.ok, [str(e) for f in report.files for e in f.errors]
    counts = {f.entity: f.inserted for f in report.files}
    assert counts == {
        "employers": 5, "candidates": 10, "vacancies": 6,
        "contacts": 6, "proposals": 5, "placements": 4,
    }  # fmt: skip
    with sessions() as session:
        k1 = session.get_one(m.Candidate, "K-0001")
        assert [c.text for c in k1.competences] == [CLEAN, "kamers opruimen"]
        assert (k1.competences[0].uri, k1.competences[0].needs_review) == (CLEAN, False)
        assert (k1.competences[1].uri, k1.competences[1].needs_review) == (None, True)
        assert k1.languages == "nl;en" and k1.sector_preferences == "N;I"
        k3 = session.get_one(m.Candidate, "K-0003")  # written in Dutch: actief, ja, logistiek
        assert (k3.status, k3.driving_licence, k3.sector_preferences) == ("active", True, "H")
        rows = session.execute(select(m.Employer.employer_id, m.Employer.sbi_section)).all()
        sections = {employer_id: section for employer_id, section in rows}
        assert sections == {
            "28011111": "I", "28022222": "N", "28033333": "H", "28044444": "Q", "WG-0005": "G"
        }  # fmt: skip
        assert session.get_one(m.Employer, "28033333").sbi_code == "5210"  # written 52.10


def test_second_import_changes_nothing(sessions: sessionmaker[Session]) -> None:
    import_paths(sessions, [REGION_SMALL])
    report = import_paths(sessions, [REGION_SMALL])
    assert report.total("unchanged") == 36
    assert (report.total("inserted"), report.total("updated"), report.rejected) == (0, 0, 0)


def test_changed_rows_are_updated_and_their_items_replaced(
    sessions: sessionmaker[Session], region: Path
) -> None:
    import_paths(sessions, [region])
    path = region / "candidates.csv"
    text = path.read_text().replace("K-0002,GM0575,2202,1995,m,4", "K-0002,GM0575,2202,1995,m,5")
    path.write_text(text.replace(f"{CLEAN};kamers opruimen", "ramen lappen"))
    report = import_paths(sessions, [path])
    assert (report.total("updated"), report.total("unchanged")) == (2, 8)
    with sessions() as session:
        assert session.get_one(m.Candidate, "K-0002").ladder_step == 5
        items = session.get_one(m.Candidate, "K-0001").competences
        assert [(c.position, c.text) for c in items] == [(0, "ramen lappen")]


def test_files_import_parents_first_whatever_the_order_given(
    sessions: sessionmaker[Session],
) -> None:
    names = ["placements", "proposals", "contacts", "vacancies", "candidates", "employers"]
    report = import_paths(sessions, [REGION_SMALL / f"{name}.csv" for name in names])
    assert report.ok
    assert [f.entity for f in report.files] == list(reversed(names))


def test_a_crash_mid_import_stores_nothing(sessions: sessionmaker[Session]) -> None:
    # candidates (skills) are normalised fine; the crash comes with the vacancy titles
    normaliser = FakeNormaliser({}, fail_on="occupation")
    with pytest.raises(RuntimeError, match="normaliser crashed"):
        import_paths(sessions, [REGION_SMALL], normaliser=normaliser)
    assert any(kind == "skill" for kind, _texts in normaliser.calls)
    assert count(sessions, m.Employer) == 0
    assert count(sessions, m.Candidate) == 0
    assert count(sessions, m.CandidateCompetence) == 0


def test_dry_run_reports_but_stores_nothing(sessions: sessionmaker[Session]) -> None:
    report = import_paths(sessions, [REGION_SMALL], dry_run=True)
    assert report.dry_run and report.total("inserted") == 36
    assert count(sessions, m.Candidate) == 0


def test_free_text_is_normalised_once_and_kept_on_reimport(
    sessions: sessionmaker[Session],
) -> None:
    cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    normaliser = FakeNormaliser({"koken": "http://example.test/skill/koken"})
    import_paths(sessions, [REGION_SMALL], normaliser=normaliser, threshold=0.5)
    skill_texts = [t for kind, texts in normaliser.calls if kind == "skill" for t in texts]
    assert "koken" in skill_texts and len(skill_texts) == len(set(skill_texts))
    assert not any(t.startswith("http") for t in skill_texts)  # URIs pass through
    titles = [t for kind, texts in normaliser.calls if kind == "occupation" for t in texts]
    assert "Zelfstandig werkend kok" not in titles  # its occupation URI overrides the title
    with sessions() as session:
        v102 = session.get_one(m.Vacancy, "V-102")
        assert (v102.occupation_uri, v102.occupation_needs_review) == (cook, False)
        koken = v102.competences[0]
        assert (koken.text, koken.uri, koken.score) == (
            "koken",
            "http://example.test/skill/koken",
            0.9,
        )
    normaliser.calls.clear()
    assert import_paths(sessions, [REGION_SMALL], normaliser=normaliser).total("unchanged") == 36
    assert normaliser.calls == []


ROOM_SKILL = "http://data.europa.eu/esco/skill/7bb01a18-4637-4535-ba18-258f48f705b8"
BEDS = "http://example.test/skill/bedden"


def _occupation_evidence(normaliser: FakeNormaliser) -> dict[str, tuple[str, ...]]:
    """The evidence each occupation text was normalised with (empty when none was given)."""
    given: dict[str, tuple[str, ...]] = {}
    for (kind, texts), evidence in zip(normaliser.calls, normaliser.evidence, strict=True):
        if kind == "occupation":
            rows = evidence if evidence is not None else [()] * len(texts)
            given.update({t: tuple(e) for t, e in zip(texts, rows, strict=True)})
    return given


def test_a_vacancy_title_is_normalised_with_its_required_skills(
    sessions: sessionmaker[Session], region: Path
) -> None:
    """V-101 requires a skill URI and "bedden opmaken" (normalised to BEDS): both are the
    evidence for its title; a competence kept as text is none; a candidate's occupations
    carry none."""
    normaliser = FakeNormaliser({"bedden opmaken": BEDS})
    import_paths(sessions, [region], normaliser=normaliser)
    given = _occupation_evidence(normaliser)
    assert given["Kamermeisje / roomservice"] == tuple(sorted([ROOM_SKILL, BEDS]))
    assert given["Schoonmaker kantoren"] == (CLEAN,)
    assert given["Medewerker facilitaire dienst"] == ()  # "schoonmaken" stayed text
    assert given["magazijnmedewerker"] == ()  # a candidate's work history
    # the same title with other required competences is chosen again, with the new evidence
    path = region / "vacancies.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(f"{ROOM_SKILL};bedden opmaken", "bedden opmaken"),
        encoding="utf-8",
    )
    normaliser.calls.clear()
    normaliser.evidence.clear()
    import_paths(sessions, [region], normaliser=normaliser)
    assert _occupation_evidence(normaliser) == {"Kamermeisje / roomservice": (BEDS,)}


def test_xlsx_first_sheet_is_imported(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([*CANDIDATE_HEADER.split(","), "available_from"])
    sheet.append(["K-X1", "GM0546", 4, "regulier", 32, "actief", dt.datetime(2024, 5, 1)])
    workbook.create_sheet("notes").append(["ignored"])
    path = tmp_path / "kandidaten.xlsx"  # entity recognised by its header
    workbook.save(path)
    report = import_paths(sessions, [path])
    assert report.ok and report.files[0].entity == "candidates"
    with sessions() as session:
        row = session.get_one(m.Candidate, "K-X1")
        assert (row.hours_available, row.status, str(row.available_from)) == (
            32,
            "active",
            "2024-05-01",
        )


def test_directory_skips_other_files_with_a_warning(
    sessions: sessionmaker[Session], region: Path, write: Write
) -> None:
    (region / "notes.txt").write_text("not data")
    report = import_paths(sessions, [region])
    assert report.ok and len(report.files) == 6
    assert report.warnings == ["skipped notes.txt: not a .csv, .xlsx or .json file"]


Sessions = sessionmaker[Session]


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


EMPLOYER_ROWS: list[list[object]] = [
    ["employer_id", "name", "sbi_code", "municipality_code"],
    ["E1", "Duin", "1071", "GM0575"],
]


def test_the_sheet_named_after_the_entity_is_read(sessions: Sessions, tmp_path: Path) -> None:
    notes = [["Toelichting"], ["Ingevuld door de gemeente"]]
    named = _workbook(
        tmp_path / "employers.xlsx", {"Toelichting": notes, "employers": EMPLOYER_ROWS}
    )
    report = import_paths(sessions, [named])
    assert report.ok and report.files[0].inserted == 1
    assert report.files[0].warnings == [
        "werkmap met 2 bladen: blad 'employers' gelezen (naar het soort gegevens genoemd); "
        "niet gelezen: 'Toelichting'"
    ]
    first = _workbook(tmp_path / "werkgevers.xlsx", {"Blad1": EMPLOYER_ROWS, "Blad2": notes})
    report = import_paths(sessions, [first])
    assert report.ok and "blad 'Blad1' gelezen (het eerste;" in report.files[0].warnings[0]


def test_an_id_in_two_files_is_a_warning_naming_both(sessions: Sessions, write: Write) -> None:
    header = "employer_id,name,sbi_code,municipality_code\n"
    first = write("employers_a.csv", header + "E1,Duin,1071,GM0575\nE2,Zee,1071,GM0575\n")
    second = write("employers_b.csv", header + "E2,Zee en Duin,1071,GM0575\nE3,Dorp,1071,GM0575\n")
    report = import_paths(sessions, [first, second])
    assert report.ok and report.files[0].warnings == []
    assert report.files[1].warnings == [
        "1 id('s) stonden in deze import ook in employers_a.csv: E2; "
        "de rijen uit employers_b.csv gelden (later ingelezen)"
    ]
    with sessions() as session:
        assert session.get_one(m.Employer, "E2").name == "Zee en Duin"


def test_an_isco_group_uri_is_an_occupation_a_file_may_give(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    cook = "http://data.europa.eu/esco/occupation/90f75f67-495d-49fa-ab57-2f320e251d7e"
    group = "http://data.europa.eu/esco/isco/C5120"  # a broad title's level: the unit group
    for name in ("employers", "vacancies"):
        text = (REGION_SMALL / f"{name}.csv").read_text(encoding="utf-8")
        (tmp_path / f"{name}.csv").write_text(text.replace(cook, group), encoding="utf-8")
    normaliser = FakeNormaliser({})
    report = import_paths(sessions, [tmp_path], normaliser=normaliser, threshold=0.5)
    assert report.ok
    with sessions() as session:
        v102 = session.get_one(m.Vacancy, "V-102")
        assert (v102.occupation_uri, v102.occupation_needs_review) == (group, False)

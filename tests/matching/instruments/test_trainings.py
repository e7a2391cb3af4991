"""The training catalogue: read whole or not at all, and the trainings that close a missing
required competence, cheapest and shortest first."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.errors import InvalidInput
from matching.instruments.trainings import (
    Training,
    catalogue,
    read_trainings,
    store_trainings,
    suggest_trainings,
    trainings_csv,
)
from tests.matching.security_fixtures import add_organisation
from tests.matching.shortlist.store_fixture import cleaner_skills

FORKLIFT, VCA = "uri:heftruck", "uri:vca"


def _training(tid: str, cost: int | None, days: int | None, *skills: str) -> Training:
    return Training(tid, f"Opleiding {tid}", "ROC", days, cost, skills)


def test_trainings_for_a_missing_competence_cheapest_then_shortest() -> None:
    trainings = [
        _training("dure", 900, 5, FORKLIFT),
        _training("lang", 300, 20, FORKLIFT, VCA),
        _training("kort", 300, 2, FORKLIFT),
        _training("onbekend", None, 1, FORKLIFT),
        _training("anders", 10, 1, "uri:ander"),
    ]
    found = suggest_trainings(trainings, [(FORKLIFT, "heftruck rijden"), (VCA, "VCA"), ("x", "x")])
    assert [t.training_id for t in found[0].trainings] == ["kort", "lang", "dure", "onbekend"]
    assert found[0].label == "heftruck rijden"
    assert [t.training_id for t in found[1].trainings] == ["lang"]
    assert found[2].trainings == ()  # none in the catalogue: said so, not left out


def test_a_catalogue_is_stored_per_organisation_and_written_back(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    skill = cleaner_skills()[0]
    path = tmp_path / "opleidingen.csv"
    path.write_text(
        "training_id;name;provider;duration_days;cost;skills\n"
        f"T1;=Schoonmaak basis;ROC;3;450;{skill}\n",
        encoding="utf-8",
    )
    with sessions.begin() as session:
        add_organisation(session)
        add_organisation(session, "leiden", "GM0546")
        store_trainings(session, "noordwijk", read_trainings(session, path))
    with sessions() as session:
        assert catalogue(session, "leiden") == []
        (training,) = catalogue(session, "noordwijk")
        assert (training.name, training.cost) == ("=Schoonmaak basis", 450)
        assert training.skills == (skill,)
        written = trainings_csv(session, "noordwijk").splitlines()
    assert written[1] == f"T1,'=Schoonmaak basis,ROC,3,450,{skill}"  # neutralised


def test_bad_rows_name_file_row_column_and_nothing_is_stored(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    skill = cleaner_skills()[0]
    path = tmp_path / "opleidingen.csv"
    path.write_text(
        "training_id,name,provider,duration_days,cost,skills\n"
        f"T1,Goed,ROC,3,450,{skill}\n"
        f"T2,Duur,ROC,3,veel,{skill}\n"
        "T3,Onbekend,ROC,,,http://data.europa.eu/esco/skill/bestaat-niet\n"
        f"T1,Dubbel,ROC,0,,{skill}\n",
        encoding="utf-8",
    )
    with sessions.begin() as session:
        add_organisation(session)
        with pytest.raises(InvalidInput) as raised:
            read_trainings(session, path)
        assert catalogue(session, "noordwijk") == []
    assert str(raised.value).splitlines() == [
        "Opleidingencatalogus niet ingelezen, niets opgeslagen:",
        "opleidingen.csv, rij 3, kolom cost: 'veel' is geen geheel getal",
        "opleidingen.csv, rij 4, kolom skills: "
        "'http://data.europa.eu/esco/skill/bestaat-niet' is geen bekende ESCO-competentie",
        "opleidingen.csv, rij 5, kolom duration_days: 0 valt buiten 1–3650",
    ]

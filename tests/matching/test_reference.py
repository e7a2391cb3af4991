"""The bundled reference data: reading the files and loading them into the store."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Engine, delete, event, func, insert, select, update

from matching.errors import NotFound
from matching.reference import (
    LOAD_ORDER,
    load_reference,
    manifest,
    read_table,
    reference_is_current,
)
from matching.store.models import Candidate
from matching.store.reference import Municipality, Pc4Area, ReferenceVersion, SkillRelation


def _version(engine: Engine) -> ReferenceVersion:
    with engine.connect() as conn:
        row = conn.execute(select(ReferenceVersion.sha256, ReferenceVersion.loaded_at)).one()
    return row  # type: ignore[return-value]


def test_read_table_types_and_missing_values() -> None:
    pc4 = read_table("pc4").set_index("pc4")
    assert pc4.loc["2201", "municipality_code"] == "GM0575"
    assert pd.isna(pc4.loc["1086", "municipality_code"])
    assert pc4["lat"].dtype == "float64"
    assert str(pc4["population"].dtype) == "Int64"
    isco = read_table("isco_groups").set_index("code")
    assert isco.loc["01", "parent_code"] == "0"
    assert pd.isna(isco.loc["0", "parent_code"])


def test_read_table_returns_a_copy() -> None:
    first = read_table("regions")
    first.loc[:, "name"] = "changed"
    assert "changed" not in set(read_table("regions")["name"])


def test_read_table_unknown_name() -> None:
    with pytest.raises(NotFound):
        read_table("no_such_table")


def test_manifest_counts_data_rows() -> None:
    rows = manifest().rows
    assert rows["municipalities"] == 342
    assert rows["skills"] == len(read_table("skills"))
    assert rows["occupation_skills"] == len(read_table("occupation_skills"))


def test_table_counts_equal_file_rows(engine: Engine) -> None:
    counts = load_reference(engine)
    with engine.connect() as conn:
        for name, table in LOAD_ORDER:
            in_db = conn.execute(select(func.count()).select_from(table)).scalar_one()
            assert in_db == counts[name] == len(read_table(name)), name


def test_second_load_is_a_no_op(engine: Engine) -> None:
    """Nothing is written when the bundled version is loaded already (no timing: the suite runs
    on a shared machine; what makes it fast is that it reads the version and stops)."""
    before, statements = _version(engine), []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement.lstrip().split(None, 1)[0].upper())

    event.listen(engine, "before_cursor_execute", seen)
    try:
        counts = load_reference(engine)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert _version(engine) == before
    assert counts == {name: manifest().rows[name] for name, _ in LOAD_ORDER}
    assert statements and not {"INSERT", "UPDATE", "DELETE", "COPY"} & set(statements)


def test_holland_rijnland_has_its_twelve_municipalities(engine: Engine) -> None:
    stmt = select(Municipality.code).where(Municipality.region == "Holland Rijnland")
    with engine.connect() as conn:
        codes = set(conn.execute(stmt).scalars())
    assert len(codes) == 12
    assert {"GM0575", "GM0546"} <= codes


def test_noordwijk_postcodes_and_blank_municipalities(engine: Engine) -> None:
    in_noordwijk = select(Pc4Area.municipality_code).where(Pc4Area.pc4.in_(["2201", "2204"]))
    blank = select(Pc4Area.pc4).where(Pc4Area.municipality_code.is_(None))
    with engine.connect() as conn:
        assert set(conn.execute(in_noordwijk).scalars()) == {"GM0575"}
        assert sorted(conn.execute(blank).scalars()) == ["1086", "5111"]


def test_stale_version_or_missing_rows_are_not_current(engine: Engine) -> None:
    assert reference_is_current(engine)
    with engine.begin() as conn:
        conn.execute(update(ReferenceVersion).values(sha256="0" * 64))
    assert not reference_is_current(engine)
    extra = {"skill_uri": "urn:test", "related_uri": "urn:test", "relation": "optional"}
    with engine.begin() as conn:
        conn.execute(update(ReferenceVersion).values(sha256=manifest().sha256))
        conn.execute(insert(SkillRelation), [extra])
    assert not reference_is_current(engine)
    with engine.begin() as conn:
        conn.execute(delete(SkillRelation).where(SkillRelation.skill_uri == "urn:test"))
    assert reference_is_current(engine)


def test_force_replaces_rows_and_keeps_referencing_rows(engine: Engine) -> None:
    rename = update(Municipality).where(Municipality.code == "GM0575").values(name="X")
    name = select(Municipality.name).where(Municipality.code == "GM0575")
    with engine.begin() as conn:
        conn.execute(rename)
        conn.execute(insert(Candidate), [_candidate("c-1", "GM0575")])
    before = _version(engine)
    load_reference(engine)  # same files, same counts: nothing is rewritten
    with engine.connect() as conn:
        assert conn.execute(name).scalar_one() == "X"
    counts = load_reference(engine, force=True)
    assert counts == {n: manifest().rows[n] for n, _ in LOAD_ORDER}
    assert _version(engine).loaded_at > before.loaded_at
    with engine.connect() as conn:
        assert conn.execute(name).scalar_one() == "Noordwijk"
        assert conn.execute(select(func.count()).select_from(Candidate)).scalar_one() == 1


def _candidate(candidate_id: str, municipality_code: str) -> dict[str, object]:
    return {
        "candidate_id": candidate_id,
        "municipality_code": municipality_code,
        "ladder_step": 3,
        "target_group": "participatiewet",
        "hours_available": 24,
        "status": "active",
        "consent_regional": False,
    }

"""Instrument rules as data: each shipped rule applies to a pair that meets its conditions and
not to one that misses one, with the reason and every condition in Dutch; an organisation's own
rules file is read whole or not at all."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from matching.errors import InvalidInput
from matching.instruments.rule_files import read_rules, rules_csv
from matching.instruments.rules import (
    MatchFacts,
    Rule,
    default_rules,
    evaluate,
    rules_for,
    store_rules,
)
from tests.matching.security_fixtures import add_organisation

BASE = MatchFacts(
    benefit="none", target_group="regulier", ladder_step=6, vacancy_hours=32,
    hours_available=32, missing_required=0, p_durable=0.6,
)  # fmt: skip
"""A pair no shipped rule applies to."""
CASES = {
    # rule: (what makes it apply, what one condition then takes away again)
    "lks-participatiewet": ({"benefit": "participatiewet"}, {"hours_available": 20}),
    "lks-doelgroepregister": ({"target_group": "doelgroepregister"}, {"vacancy_hours": 16}),
    "proefplaatsing": ({"benefit": "ww"}, {"benefit": None}),
    "no-riskpolis": ({"target_group": "doelgroepregister"}, {"target_group": "statushouder"}),
    "jobcoaching": ({"ladder_step": 4}, {"ladder_step": 5}),
    "jobcoaching-kans": ({"p_durable": 0.35}, {"p_durable": 0.351}),
    "jobcarving": ({"missing_required": 2}, {"missing_required": 1}),
    "opleiding": ({"missing_required": 1}, {"missing_required": 0}),
}


def _rule(rule_id: str) -> Rule:
    return next(r for r in default_rules() if r.rule_id == rule_id)


def test_every_shipped_rule_is_covered() -> None:
    assert {r.rule_id for r in default_rules()} == set(CASES)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_a_rule_includes_and_excludes_with_its_reason(rule_id: str) -> None:
    rule = _rule(rule_id)
    assert not evaluate(rule, BASE).applies
    included = dataclasses.replace(BASE, **CASES[rule_id][0])
    verdict = evaluate(rule, included)
    assert verdict.applies and verdict.reason == rule.reason
    assert all(check.met for check in verdict.checks) and verdict.checks
    excluded = evaluate(rule, dataclasses.replace(included, **CASES[rule_id][1]))
    assert not excluded.applies
    assert [c.text for c in excluded.checks if not c.met]  # the condition it misses, named


def test_wage_cost_subsidy_says_what_it_looked_at_and_what_to_confirm() -> None:
    facts = dataclasses.replace(BASE, benefit="participatiewet", hours_available=24)
    verdict = evaluate(_rule("lks-participatiewet"), facts)
    assert verdict.label == "Loonkostensubsidie" and verdict.applies
    assert [c.text for c in verdict.checks] == [
        "uitkering Participatiewet (bijstand) (heeft: Participatiewet (bijstand))",
        "ten minste 24 uur per week (vacature 32 uur, beschikbaar 24 uur)",
    ]
    assert verdict.confirm == ("mits het contract ten minste 6 maanden duurt",)


def test_chance_shown_as_a_dutch_percentage() -> None:
    verdict = evaluate(_rule("jobcoaching-kans"), dataclasses.replace(BASE, p_durable=0.385))
    assert verdict.checks[0].text == "kans op duurzame plaatsing hooguit 35 % (is: 38,5\u00a0%)"


def test_an_organisation_uses_its_own_rules_after_import_and_exports_them(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "regels.csv"
    path.write_text(
        "rule_id,kind,target_group,min_hours,reason\neigen-lks,LKS,Banenafspraak,20,Eigen regel\n",
        encoding="utf-8",
    )
    with sessions.begin() as session:
        add_organisation(session)
        assert rules_for(session, "noordwijk") == default_rules()
        store_rules(session, "noordwijk", read_rules(path))
    with sessions() as session:
        (rule,) = rules_for(session, "noordwijk")
        assert (rule.kind, dict(rule.conditions)) == (
            "loonkostensubsidie", {"target_group": ["doelgroepregister"], "min_hours": 20}
        )  # fmt: skip
        written = rules_csv(session, "noordwijk").splitlines()
    assert written[1].startswith("eigen-lks,loonkostensubsidie,,doelgroepregister,,,20,")


def test_bad_rows_are_named_by_file_row_and_column_and_nothing_is_read(tmp_path: Path) -> None:
    path = tmp_path / "regels.csv"
    path.write_text(
        "rule_id,kind,benefit,ladder_min,ladder_max,max_chance,reason\n"
        "a,jobcoaching,,,4,,goed\n"
        "b,subsidie,bijstand,,,,x\n"
        "c,jobcoaching,pensioen,5,3,120,x\n"
        "a,opleiding,,,,,dubbel\n"
        "d,opleiding,,,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as raised:
        read_rules(path)
    lines = str(raised.value).splitlines()
    assert lines[0] == "Instrumentregels niet ingelezen, niets opgeslagen:"
    assert lines[1].startswith("regels.csv, rij 3, kolom kind: 'subsidie' is geen instrument")
    assert lines[2].startswith("regels.csv, rij 4, kolom benefit: 'pensioen' is geen benefit")
    assert lines[3:] == [
        "regels.csv, rij 4, kolom max_chance: 120 valt buiten 0–100",
        "regels.csv, rij 4, kolom ladder_max: ladder_max is lager dan ladder_min",
        "regels.csv, rij 5, kolom rule_id: regel-id 'a' staat al in rij 2",
        "regels.csv, rij 6, kolom reason: verplichte waarde ontbreekt",
    ]


def test_a_file_without_the_required_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "regels.csv"
    path.write_text("rule_id,reason\nx,y\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="kolom\\(men\\) kind ontbreken"):
        read_rules(path)

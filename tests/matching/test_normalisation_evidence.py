"""The vacancy's required skills choose among its title's occupations: real ESCO relations."""

from __future__ import annotations

import numpy as np
import pytest

from matching.normalisation import Normaliser, concept_index
from matching.reference import read_table

ESCO = "http://data.europa.eu/esco/"
HOME_CARE = ESCO + "occupation/1391bdf9-bd61-4fb5-91ca-c29036ab2b60"  # thuiszorgmedewerker
HELPER = ESCO + "occupation/85482504-c83d-4038-80d9-265198d18b48"  # helpende thuiszorg
HOME_CARE_SKILLS = (
    ESCO + "skill/04838ae5-a737-48a0-a782-3d1b6b6cb75b",  # was doen
    ESCO + "skill/261e740b-d32d-4356-94a8-3ea29128b70b",  # zorgen voor ouderen
    ESCO + "skill/54411e8e-d62f-46d8-b87b-fce23f8e3bc8",  # zorg voor personen met een handicap
)
CASHIER = ESCO + "occupation/2b871272-bd61-4206-bd1a-0b96d7023098"  # kassamedewerker
GROWER = ESCO + "occupation/1a9d99ba-4c08-4864-8f6a-1b0f2b4cf883"  # tuinbouwmedewerker
CASHIER_SKILLS = (
    ESCO + "skill/279101c1-e325-4349-bf58-401b6c8ff208",  # geldautomaat beheren
    ESCO + "skill/bdcac0c8-b77a-4640-9eaf-c0cf3efd1e23",  # process payments
    ESCO + "skill/a6d697d1-80ba-4175-82d4-43440ed04270",  # process refunds
)


def _skills(occupation: str, relation: str | None = None) -> set[str]:
    table = read_table("occupation_skills")
    rows = table.loc[table["occupation_uri"] == occupation]
    if relation is not None:
        rows = rows.loc[rows["relation"] == relation]
    return set(rows["skill_uri"])


@pytest.mark.parametrize(
    ("title", "skills", "right", "other"),
    [
        ("Helpende zorg (v/m)", HOME_CARE_SKILLS, HOME_CARE, HELPER),
        ("Medewerker kassen - Wijk aan Zee", CASHIER_SKILLS, CASHIER, GROWER),
    ],
)
def test_required_skills_choose_the_occupation(
    title: str, skills: tuple[str, ...], right: str, other: str
) -> None:
    """The skills are essential skills of ``right`` and no skill of ``other`` (checked against
    the relations table), so ``right`` covers 3 of 3 items as essential, ``other`` 0 of 3.
    The title alone ranks ``other`` above ``right``; with the skills ``right`` comes first and
    ``other`` falls far below the threshold."""
    assert set(skills) <= _skills(right, "essential")
    assert not set(skills) & _skills(other)
    normaliser = Normaliser()
    alone = [m.uri for m in normaliser.occupations([title], top=10)[0]]
    assert alone.index(other) < alone.index(right)
    ranked = normaliser.rank([title], kind="occupation", top=10, evidence=[skills])[0]
    assert ranked[0].uri == right
    assert all(m.score < 0.1 for m in ranked if m.uri == other)
    concepts = concept_index("occupation")
    assert concepts.index.evidence is not None
    positions = np.array([[concepts.position[right], concepts.position[other]]])
    features = concepts.index.evidence.features(
        positions, np.zeros((1, 2), np.float32), concepts.observed([skills])
    )
    assert features[0, :, 2].tolist() == [1.0, 0.0]  # share of the items that are essential


def test_agreeing_skills_make_a_weak_title_certain() -> None:
    """ "Helpende zorg" alone is kept as text (its best guess below 0.5); with three essential
    skills of thuiszorgmedewerker, whose Dutch labels include "helpende zorg en welzijn", it
    is stored."""
    normaliser = Normaliser()
    (alone,) = normaliser.best(["Helpende zorg (v/m)"], kind="occupation", threshold=0.5)
    assert alone.uri is None and alone.needs_review
    (chosen,) = normaliser.best(
        ["Helpende zorg (v/m)"], kind="occupation", threshold=0.5, evidence=[HOME_CARE_SKILLS]
    )
    assert (chosen.uri, chosen.needs_review) == (HOME_CARE, False)


def test_without_known_skills_the_title_decides() -> None:
    """Free text that is no skill URI is no evidence: the same scores as without evidence."""
    normaliser = Normaliser()
    plain = normaliser.rank(["Helpende zorg"], kind="occupation", top=3)[0]
    unknown = normaliser.rank(
        ["Helpende zorg"], kind="occupation", top=3, evidence=[("zorgen voor ouderen",)]
    )[0]
    assert plain == unknown


def test_evidence_is_part_of_the_deduplication() -> None:
    """One title with two skill lists is two questions with two answers."""
    results = Normaliser().best(
        ["Helpende zorg", "Helpende zorg", "Helpende zorg"],
        kind="occupation",
        threshold=0.5,
        evidence=[HOME_CARE_SKILLS, (), tuple(reversed(HOME_CARE_SKILLS))],
    )
    assert [r.uri for r in results] == [HOME_CARE, None, HOME_CARE]
    assert results[0] == results[2]

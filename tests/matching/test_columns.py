"""The exchange format's columns: consistent with the spec and with themselves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from matching import columns as c

SPEC = Path(__file__).parents[2].parent / "shared" / "docs" / "exchange-format.md"
"""Version 1 of the format, as handed to us."""
OURS = Path(__file__).parents[2] / "docs" / "exchange-format.md"
"""The format as werkmatch documents it (version 1.1: version 1 and the new files)."""
VOCABULARIES = [
    value for value in vars(c).values() if isinstance(value, c.Vocabulary) and value.values
]


def spec_tables(spec: Path = SPEC) -> dict[str, list[tuple[str, bool]]]:
    """(column, required) per file, from the format document's tables."""
    tables: dict[str, list[tuple[str, bool]]] = {}
    current = None
    for line in spec.read_text(encoding="utf-8").splitlines():
        if heading := re.match(r"## (\w+)\.csv", line):
            current = tables.setdefault(heading.group(1), [])
        elif current is not None and (row := re.match(r"\| (\w+) \| (yes|no) \|", line)):
            current.append((row.group(1), row.group(2) == "yes"))
    return tables


def test_columns_equal_the_format_document() -> None:
    ours = {
        name: [(col.name, col.required) for col in entity.columns]
        for name, entity in c.ENTITIES.items()
    }
    assert ours == spec_tables(OURS)
    version_1 = spec_tables()
    for name, columns in version_1.items():  # backward compatible: 1.1 adds optional columns
        assert ours[name][: len(columns)] == columns
        assert [col for col, required in ours[name][len(columns) :] if required] == []


def test_every_id_column_is_required_and_references_point_backwards() -> None:
    for position, entity in enumerate(c.ENTITIES.values()):
        for name in entity.id_columns:
            assert entity.by_name[name].required
        for column in entity.columns:
            if column.refers_to is not None:
                assert c.IMPORT_ORDER.index(column.refers_to) < position


@pytest.mark.parametrize("vocabulary", VOCABULARIES, ids=lambda v: v.name)
def test_synonyms_map_onto_canonical_values(vocabulary: c.Vocabulary) -> None:
    assert set(vocabulary.synonyms.values()) <= set(vocabulary.values)
    for value in vocabulary.values:
        assert vocabulary.canonical(value) == value


@pytest.mark.parametrize(
    ("vocabulary", "written", "canonical"),
    [
        (c.CANDIDATE_STATUS, "Actief", "active"),
        (c.CANDIDATE_STATUS, "geplaatst", "placed"),
        (c.CANDIDATE_STATUS, "non-actief", "inactive"),
        (c.VACANCY_STATUS, "Vervuld", "filled"),
        (c.VACANCY_STATUS, "gesloten", "closed"),
        (c.BOOLEAN, "JA", "true"),
        (c.BOOLEAN, "0", "false"),
        (c.GENDER, "vrouw", "v"),
        (c.EDUCATION, "MBO-2", "mbo2"),
        (c.EDUCATION, "mbo niveau 4", "mbo4"),
        (c.TARGET_GROUP, "Niet-uitkeringsgerechtigde", "nug"),
        (c.CONTACT_OUTCOME, "Geen interesse", "no_interest"),
        (c.CONTRACT, "loonkostensubsidie", "subsidised"),
        (c.SECTOR_NAMES, "Horeca", "I"),
    ],
)
def test_words_users_write(vocabulary: c.Vocabulary, written: str, canonical: str) -> None:
    assert vocabulary.canonical(written) == canonical


def test_unknown_words_are_not_guessed() -> None:
    assert c.CANDIDATE_STATUS.canonical("werkzoekend") is None
    assert c.BOOLEAN.canonical("misschien") is None

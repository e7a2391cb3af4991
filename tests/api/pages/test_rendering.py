"""What the page filters show: a skill without a Dutch ESCO label is read in Dutch (its broader
Dutch label), the English term only in a tooltip that the page explains."""

from __future__ import annotations

import re

from api.pages.rendering import english_skill, has_english, templates
from tests.matching.shortlist.test_labels import MUSICAL_STAFF, TOXICOLOGY


def _visible(html: str) -> str:
    """The text a reader sees: tags and their attributes (tooltips) left out."""
    return re.sub(r"<[^>]+>", "", html)


def test_the_english_label_is_a_tooltip_not_text() -> None:
    mark = str(english_skill(MUSICAL_STAFF))
    assert "manage musical staff" in mark and "manage musical staff" not in _visible(mark)
    assert _visible(mark) == "*" and 'title="Specifieker; in ESCO alleen in het Engels:' in mark
    assert str(english_skill(TOXICOLOGY)) == "" and str(english_skill(None)) == ""


def test_the_page_explains_the_mark_only_when_it_shows_one() -> None:
    assert has_english([{"uri": TOXICOLOGY}], [{"uri": None, "text": "vrije tekst"}]) is False
    assert has_english([{"uri": TOXICOLOGY}, {"uri": MUSICAL_STAFF}]) is True
    match = {"explanation": {"competences": {"matched": [], "missing": [{"uri": MUSICAL_STAFF}]}}}
    assert has_english([match]) is True
    note = templates().env.from_string(
        '{% if has_english(skills) %}{% include "partials/english_note.html" %}{% endif %}'
    )
    assert note.render(skills=[{"uri": TOXICOLOGY}]) == ""
    assert "Engelse ESCO-term" in note.render(skills=[{"uri": MUSICAL_STAFF}])

"""Codes of national lists in occupation and competence cells, and the key a text is known by.

VUM delivers occupations and competences as CompetentNL URIs
(``https://linkeddata.competentnl.nl/uwv/id/occupation/…``), older sources as UWV's 10-digit
beroepscodes. An item may hold such a code alone or followed by the text that came with it
(``1234567890 heftruckchauffeur``): a crosswalk entry maps the code exactly; without one the
text is what the normaliser reads, and the item is flagged for review. Review items and
organisation synonyms know an item by its ``text_key``: a code by the code alone, free text
trimmed, its spaces collapsed and its case folded.
"""

from __future__ import annotations

import hashlib
import re

_CODE = re.compile(r"(https?://linkeddata\.competentnl\.nl/\S+|\d{10})(?:\s+(.*))?", re.DOTALL)


def split_code(item: str) -> tuple[str, str] | None:
    """The code and the text after it, or None when the item is no national code.

    >>> split_code("1234567890 Heftruckchauffeur"), split_code("heftruck rijden")
    (('1234567890', 'Heftruckchauffeur'), None)
    >>> split_code("https://linkeddata.competentnl.nl/uwv/id/occupation/123")
    ('https://linkeddata.competentnl.nl/uwv/id/occupation/123', '')
    """
    match = _CODE.fullmatch(item.strip())
    if match is None:
        return None
    return match.group(1), (match.group(2) or "").strip()


def is_code(item: str) -> bool:
    """True when an item is (or begins with) a CompetentNL URI or a 10-digit UWV code."""
    return split_code(item) is not None


def text_key(item: str) -> str:
    """The form review items and synonyms know an item by (module doc).

    >>> text_key("  Heftruck  Chauffeur "), text_key("1234567890 heftruckchauffeur")
    ('heftruck chauffeur', '1234567890')
    """
    parts = split_code(item)
    if parts is not None:
        return parts[0]
    return " ".join(item.split()).casefold()


def key_digest(key: str) -> str:
    """The sha256 of a key (hex): its fixed-length stored identity."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def reading_text(item: str) -> str:
    """What the normaliser reads for an item: the text after a code, else the item itself."""
    parts = split_code(item)
    return item if parts is None else parts[1]


def vacancy_item(occupation: str | None, title: str) -> str:
    """What a vacancy's occupation is chosen from: its occupation cell (a code alone gets the
    title as its text), else the title.

    >>> vacancy_item(None, "Kok"), vacancy_item("1234567890", "Kok")
    ('Kok', '1234567890 Kok')
    """
    if not occupation:
        return title
    parts = split_code(occupation)
    if parts is not None and not parts[1]:
        return f"{occupation} {title}"
    return occupation

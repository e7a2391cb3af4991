"""Cleaning of real Dutch job titles and competence texts before matching them to ESCO labels."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence

MAX_CHARS = 200
"""Texts are cut to this many characters: no title or competence is longer, garbage can be."""

_GENDER = re.compile(
    r"\(\s*[mvwxhfd](?:\s*[/,|]\s*[mvwxhfd]){1,3}\s*\)"  # (m/v), (m/v/x), (v/m), (m/w/d)
    r"|(?<![\w/])[mvwxhfd](?:\s*/\s*[mvwxhfd]){1,3}(?![\w/])"  # m/v/x without brackets
    r"|\s*/\s*(?:v|m|x)\b"  # trailing "/v"
    r"|\s*/\s*-?\s*(?:ster|ster)\b"  # verkoper/-ster, medewerker/ster
    r"|\b(?:mannelijk|vrouwelijk|man|vrouw)\s*/\s*(?:mannelijk|vrouwelijk|man|vrouw)\b",
    re.IGNORECASE,
)
_HOURS = re.compile(
    r"\b\d+(?:[.,]\d+)?(?:\s*(?:-|–|tot|/|a)\s*\d+(?:[.,]\d+)?)?\s*"
    r"(?:uur|uren|u|hrs|hours|h|fte)\b(?:\s*(?:per|p/|/|p\.|in de)?\s*(?:week|wk|w)\b)?"
    r"|\b\d+(?:[.,]\d+)?\s*(?:%|procent)"
    r"|\b(?:fulltime|parttime|full time|part time|voltijds?|deeltijds?|oproepbasis|"
    r"flexibel|tijdelijk|vast dienstverband|bijbaan|vakantiewerk|weekendwerk|"
    r"avondwerk|nachtdienst|dagdienst|ploegendienst)\b"
    r"|\b(?:per direct|per (?:\d+ )?(?:januari|februari|maart|april|mei|juni|juli|augustus|"
    r"september|oktober|november|december)|met spoed|spoed|asap)\b",
    re.IGNORECASE,
)
_REGION = re.compile(r"(?<=\w)\W+(?:regio|omgeving|werkgebied)\b.*$")
"""``regio <place>`` ends a title: everything from it on is where, not what (not when first)."""
_TAIL = re.compile(r"\s+(?:[-–|,/:]|in|te|bij)\s+|\s*[,|]\s*")
"""Where a place may follow the occupation: `` - Wijk aan Zee``, `` in Velsen-Zuid``, ``, Ede``."""
SENIORITY_WORDS: frozenset[str] = frozenset(
    [
        "allround",
        "all",
        "round",
        "junior",
        "medior",
        "senior",
        "leerling",
        "ervaren",
        "ervaring",
        "startend",
        "startende",
        "beginnend",
        "beginnende",
        "trainee",
        "stagiair",
        "stagiaire",
        "stage",
        "zelfstandig",
        "zelfstandige",
        "vakbekwaam",
        "vakbekwame",
        "vakkundig",
        "vakkundige",
        "enthousiast",
        "enthousiaste",
        "gezocht",
        "gevraagd",
        "vacature",
        "vacatures",
        "ervaren",
        "gemotiveerd",
        "gemotiveerde",
        "fulltime",
        "parttime",
        "1e",
        "2e",
        "3e",
        "allrounder",
        "bbl",
        "bol",
        "werkervaringsplaats",
        "proefplaatsing",
        "leerwerk",
        "nieuw",
        "nieuwe",
        "zzp",
        "zzper",
        "zzp'er",
        "freelance",
        "freelancer",
        "interim",
        "uitzendkracht",
        "via",
        "omgeving",
        "regio",
    ]
)
"""Words that say how senior, how employed or how wanted, never which occupation."""

ABBREVIATIONS: dict[str, str] = {
    "mdw": "medewerker",
    "medew": "medewerker",
    "mw": "medewerker",
    "adm": "administratief",
    "admin": "administratief",
    "bhv": "bedrijfshulpverlening eerste hulp",
    "ehbo": "eerste hulp",
    "vca": "veiligheid gezondheid milieu",
    "ict": "ict",
    "hr": "personeelszaken hr",
    "hrm": "personeelszaken hr",
    "mbo": "",
    "hbo": "",
    "wo": "",
    "vmbo": "",
    "niveau": "",
    "ca": "",
    "vz": "verzorgende",
    "vig": "verzorgende individuele gezondheidszorg",
    "ig": "individuele gezondheidszorg",
    "pm": "projectmanager",
    "cnc": "cnc",
    "wkb": "",
    "ce": "",
    "code95": "",
    "rijbewijs": "",
    "chauff": "chauffeur",
    "vrachtwagenchauff": "vrachtwagenchauffeur",
    "ass": "assistent",
    "tech": "technisch",
    "techn": "technisch",
    "mgr": "manager",
    "coord": "coordinator",
    "ond": "onderhoud",
}
"""Abbreviations common in Dutch vacancy titles, expanded (or dropped: education levels, zzp)."""

STOPWORDS: frozenset[str] = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "van",
        "voor",
        "in",
        "op",
        "te",
        "met",
        "aan",
        "bij",
        "uit",
        "tot",
        "om",
        "als",
        "door",
        "naar",
        "over",
        "per",
        "der",
        "den",
        "des",
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "for",
        "in",
        "on",
        "at",
        "to",
        "with",
        "by",
        "from",
        "as",
    ]
)
_LINKS = ("", "s", "en", "e")
_NON_WORD = re.compile(r"[^0-9a-z' ]+")


_INFIX = re.compile(r"\(\s*(?:st|ster|e|ne|in|es|s)\s*\)")  # medewerk(st)er, collega(e)


def fold(text: str) -> str:
    """Lower-case, strip accents, cut to ``MAX_CHARS``: ``'Tatoeëerder '`` → ``'tatoeeerder'``."""
    text = text[:MAX_CHARS].lower()
    if text.isascii():
        return text.strip()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).strip()


def place_pattern(places: Iterable[str], *, keep: Iterable[str] = ()) -> re.Pattern[str] | None:
    """One regex matching any place name as whole words, except names in ``keep`` (label words)."""
    keep_set = set(keep)
    names = {fold(p) for p in places if p and p.strip()}
    names = {n for n in names if n and n not in keep_set and len(n) > 2}
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def clean(
    text: str, *, places: re.Pattern[str] | None = None, known: Container[str] | None = None
) -> str:
    """Clean one title: gender marks, hours, places, seniority words and abbreviations removed.

    ``places`` names places to remove anywhere; with ``known`` (the words of the labels), the
    text after a place marker (`` - ``, ``in``, ``te``, ``,``) is removed too when at least half
    of its words are unknown, so residences no list names go as well: ``Medewerker kassen -
    Wijk aan Zee`` → ``medewerker kassen``, while ``Medewerker - productie`` keeps its words.
    Idempotent: one pass can leave noise that only shows once punctuation is gone (``0:u`` →
    ``0 u``), so passes repeat until nothing changes.
    """
    return _fixpoint(text, places=places, known=known, seen={})


def _fixpoint(
    text: str,
    *,
    places: re.Pattern[str] | None,
    known: Container[str] | None,
    seen: dict[str, str],
) -> str:
    """Cleaning passes until nothing changes; ``seen`` (text → its cleaning) skips the check
    of a result already known to be clean."""
    cleaned = _clean_once(text, places=places, known=known)
    # a pass may strip one dangling marker word at a time ("in in in (40u)"): allow a pass per word
    for _ in range(_MAX_PASSES + len(cleaned.split())):
        if seen.get(cleaned) == cleaned:
            break
        again = _clean_once(cleaned, places=places, known=known)
        if again == cleaned:
            seen[cleaned] = cleaned
            break
        cleaned = again
    return cleaned


_MAX_PASSES = 4


def _clean_once(text: str, *, places: re.Pattern[str] | None, known: Container[str] | None) -> str:
    """One cleaning pass."""
    folded = _HOURS.sub(" ", _GENDER.sub(" ", _INFIX.sub("", fold(text))))
    plain = _words(folded)
    if places is not None or known is not None:
        folded = _REGION.sub(" ", folded)
    if places is not None:
        folded = re.sub(r"\b(?:in|te|regio|omgeving)\s*$", " ", places.sub(" ", folded).strip())
    if known is not None:
        folded = _without_place_tail(folded, known)
    cleaned = " ".join(_expanded(w for w in _words(folded) if w not in SENIORITY_WORDS))
    if cleaned:
        return cleaned
    fallback = " ".join(plain)  # only noise words: keep them rather than return nothing
    return fallback if any(ch.isalpha() for ch in fallback) else ""


def _without_place_tail(folded: str, known: Container[str]) -> str:
    """The text before the first place marker whose tail is mostly words no label has."""
    for marker in _TAIL.finditer(folded):
        if marker.start() == 0:
            continue
        tail = [w for w in _expanded(_words(folded[marker.end() :])) if w not in SENIORITY_WORDS]
        content = [w for w in tail if w not in STOPWORDS and not w.isdigit()]
        unknown = sum(w not in known for w in content)
        if content and 2 * unknown >= len(content) and _words(folded[: marker.start()]):
            return folded[: marker.start()]
    return folded


def _expanded(words: Iterable[str]) -> list[str]:
    """Abbreviations expanded; an expansion's words already present are not repeated."""
    out: list[str] = []
    for word in words:
        expansion = ABBREVIATIONS.get(word)
        if expansion is None:
            out.append(word)
        else:
            out.extend(w for w in expansion.split() if w not in out or w == word)
    return out


def _words(text: str) -> list[str]:
    """The words of a folded text, punctuation removed."""
    words = _NON_WORD.sub(" ", text.replace("-", " ").replace("/", " ")).split()
    return [w.strip("'") for w in words if w.strip("'")]


def clean_all(
    texts: Sequence[str],
    *,
    places: re.Pattern[str] | None = None,
    known: Container[str] | None = None,
) -> list[str]:
    """Clean many texts; repeated texts are cleaned once."""
    cache: dict[str, str] = {}
    out = []
    for text in texts:
        if text not in cache:
            cache[text] = _fixpoint(text, places=places, known=known, seen=cache)
        out.append(cache[text])
    return out


class CompoundSplitter:
    """Split Dutch compounds against a vocabulary: ``magazijnmedewerker`` → ``magazijn medewerker``.

    The vocabulary counts the words seen in the taxonomy's labels; a word is split into a
    known left part (recursively splittable) and a known head, each at least ``min_part``
    characters long, allowing a linking ``s`` / ``e`` / ``en`` between them, and only when the
    head is more frequent than the word itself (so ``medewerker`` stays whole).
    """

    def __init__(self, vocabulary: Mapping[str, int] | Iterable[str], *, min_part: int = 3) -> None:
        counts = vocabulary if isinstance(vocabulary, Mapping) else Counter(vocabulary)
        self.counts: dict[str, int] = {
            w: n
            for w, n in counts.items()
            if len(w) >= min_part and w not in STOPWORDS and w.isalpha()
        }
        self.vocabulary = frozenset(self.counts)
        self.min_part = min_part
        self._cache: dict[str, tuple[str, ...]] = {}

    def split_word(self, word: str) -> tuple[str, ...]:
        """The parts of one word (the word itself when no split is found)."""
        if word in self._cache:
            return self._cache[word]
        parts = self._split(word, depth=0)
        self._cache[word] = parts
        return parts

    def _split(self, word: str, *, depth: int) -> tuple[str, ...]:
        """Prefer the split with the longest known head; recurse into the modifier."""
        if len(word) < 2 * self.min_part or depth > 2:
            return (word,)
        own = self.counts.get(word, 0)
        for cut in range(self.min_part, len(word) - self.min_part + 1):
            head = word[cut:]
            if self.counts.get(head, 0) <= own:
                continue
            left = word[:cut]
            stems = [left[: len(left) - len(k)] for k in _LINKS if left.endswith(k)]
            stems = [t for t in stems if len(t) >= self.min_part]
            known = [t for t in stems if t in self.vocabulary]
            if known:
                return (max(known, key=lambda t: self.counts[t]), head)
            for stem in stems:
                deeper = self._split(stem, depth=depth + 1)
                if len(deeper) > 1:
                    return (*deeper, head)
        return (word,)

    def splits(self, word: str) -> bool:
        """Whether one word is a compound of known words."""
        return len(self.split_word(word)) > 1

    def split(self, text: str) -> str:
        """Split every word of an already cleaned text and join the parts with spaces."""
        return " ".join(part for word in text.split() for part in self.split_word(word))

    def split_all(self, texts: Sequence[str]) -> list[str]:
        """Split many cleaned texts."""
        return [self.split(t) for t in texts]

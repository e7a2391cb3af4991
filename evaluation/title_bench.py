"""A held-out bench of noisy Dutch vacancy titles and plain job-seeker titles, built from ESCO.

Vacancy titles: a Dutch label (preferred or alternative) of a random ESCO occupation with the
noise employers add (hours, gender marks, ``regio <place>``, ``- <place>``, ``in <place>``, one
typo, seniority words, casing), and as required competences a random subset of the
occupation's essential skills, as an employer would list them. Job-seeker titles: a Dutch label
with only casing changed, no competences. Places are municipalities and residences that are not
municipalities (``RESIDENCES``, written here for the bench only; the cleaner never sees it).

Seeded, and the seeds differ from the normaliser's training (``matching.normalisation.training``
draws its queries from held-out labels with its own seed), so nothing here was trained on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from features.taxonomy_text import fold
from matching.normalisation import ConceptIndex

SEED = 20261203
THRESHOLD = 0.5
"""The default of ``WERKMATCH_NORMALISE_THRESHOLD``: below it a title is kept as text."""
RESIDENCES: tuple[str, ...] = (
    "Spaarndam", "Wijk aan Zee", "Velsen-Zuid", "IJmuiden", "Santpoort-Noord", "Hoofddorp",
    "Nieuw-Vennep", "Badhoevedorp", "Zwanenburg", "Sassenheim", "Voorhout", "Rijnsburg",
    "Valkenburg", "Warmond", "Boskoop", "Ter Aar", "Hazerswoude-Dorp", "Koudekerk aan den Rijn",
    "Reeuwijk", "Santpoort-Zuid", "Schiphol-Rijk", "Zaandijk", "Vijfhuizen", "Lisserbroek",
    "Roelofarendsveen", "Koog aan de Zaan", "Rijnsaterwoude", "Akersloot", "Limmen",
    "Egmond aan Zee", "Bergen aan Zee", "Schoorl", "Wormerveer", "Julianadorp",
    "Hoek van Holland", "Krommenie", "Naaldwijk", "Monster", "Poeldijk", "Wateringen", "De Lier",
    "Honselersdijk", "Kwintsheul",
)  # fmt: skip
PREFIXES: tuple[str, ...] = (
    "Allround ", "Junior ", "Senior ", "Ervaren ", "Leerling ", "Vacature: ", "Gezocht: ",
)  # fmt: skip
GENDER: tuple[str, ...] = (
    " (m/v)", " M/V/X", " (v/m)", " m/v", " (m/v/x)", " (h/v)", " (M/V)", " m/v/x",
)  # fmt: skip
HOURS: tuple[str, ...] = (
    " (40u)", " 32-36 uur", " fulltime", " parttime", " 24 uur", " (32 uur)", " 20-24u",
)  # fmt: skip
PLACE_FORMS: tuple[str, ...] = (" regio {}", " - {}", " in {}", " te {}", " {}")


@dataclass(frozen=True)
class TitleSet:
    """Titles, the occupation each was built from, and each title's required competences."""

    texts: list[str]
    uris: list[str]
    labels: list[str]
    skills: list[tuple[str, ...]]


@dataclass(frozen=True)
class TitleResult:
    """Quality of one normaliser on one title set (shares in [0, 1])."""

    dataset: str
    titles: int
    acc_at_1: float
    right: float
    kept_as_text: float
    precision: float
    mean_confidence_stored: float
    titles_per_second: float

    def as_dict(self) -> dict[str, float | int | str | bool]:
        """Plain dict for JSON output."""
        return asdict(self)


def _sample_occupations(
    occupations: pd.DataFrame, essential: pd.Series, n: int, rng: np.random.Generator
) -> pd.DataFrame:
    """``n`` occupations with a Dutch label and at least one essential skill, with repeats."""
    labelled = occupations["label_nl"].fillna("").str.len().gt(0)
    eligible = occupations.loc[labelled & occupations["uri"].isin(essential.index)]
    return eligible.iloc[rng.integers(0, len(eligible), n)].reset_index(drop=True)


def _label(row: pd.Series, rng: np.random.Generator) -> str:
    """The preferred Dutch label half of the time, else one of the alternative Dutch labels."""
    cell = row["alt_labels_nl"]
    alternatives = [a for a in (cell if isinstance(cell, str) else "").split("|") if a.strip()]
    if alternatives and rng.random() < 0.5:
        return alternatives[int(rng.integers(len(alternatives)))]
    return str(row["label_nl"])


def typo(text: str, rng: np.random.Generator) -> str:
    """One edit (deletion, doubling, swap of neighbours, substitution) inside a word of ≥ 5
    letters, never its first letter; the text itself when it has no such word."""
    words = text.split(" ")
    long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not long:
        return text
    k = long[int(rng.integers(len(long)))]
    word, i = words[k], int(rng.integers(1, len(words[k]) - 1))
    kind = int(rng.integers(4))
    if kind == 0:
        word = word[:i] + word[i + 1 :]
    elif kind == 1:
        word = word[:i] + word[i] + word[i:]
    elif kind == 2:
        word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    else:
        word = word[:i] + "aeiourstn"[int(rng.integers(9))] + word[i + 1 :]
    words[k] = word
    return " ".join(words)


def _casing(text: str, rng: np.random.Generator) -> str:
    """As written, capitalised, or (rarely) all capitals."""
    draw = rng.random()
    if draw < 0.6:
        return text[:1].upper() + text[1:]
    return text.upper() if draw < 0.7 else text


def noisy_title(label: str, places: Sequence[str], rng: np.random.Generator) -> str:
    """A vacancy title as employers write it, from one ESCO label."""
    title = typo(label, rng) if rng.random() < 0.25 else label
    if rng.random() < 0.3:
        title = PREFIXES[int(rng.integers(len(PREFIXES)))] + title
    if rng.random() < 0.4:
        title += GENDER[int(rng.integers(len(GENDER)))]
    if rng.random() < 0.35:
        title += HOURS[int(rng.integers(len(HOURS)))]
    if rng.random() < 0.45:
        form = PLACE_FORMS[int(rng.integers(len(PLACE_FORMS)))]
        title += form.format(places[int(rng.integers(len(places)))])
    return _casing(title, rng)


def _required(skills: Sequence[str], rng: np.random.Generator) -> tuple[str, ...]:
    """A random subset of an occupation's essential skills: none for 10 %, else 1 to 8."""
    if rng.random() < 0.1:
        return ()
    size = min(len(skills), int(rng.integers(1, 9)))
    picked = rng.choice(len(skills), size=size, replace=False)
    return tuple(skills[int(i)] for i in sorted(picked))


def vacancy_titles(
    read: Callable[[str], pd.DataFrame], *, n: int = 3000, seed: int = SEED
) -> TitleSet:
    """Noisy vacancy titles with required competences (see the module docstring)."""
    rng = np.random.default_rng(seed)
    essential = _essential(read)
    places = [*read("municipalities")["name"].astype(str), *RESIDENCES]
    rows = _sample_occupations(read("occupations"), essential, n, rng)
    texts, labels, skills = [], [], []
    for _, row in rows.iterrows():
        labels.append(_label(row, rng))
        texts.append(noisy_title(labels[-1], places, rng))
        skills.append(_required(essential[row["uri"]], rng))
    return TitleSet(texts, rows["uri"].astype(str).tolist(), labels, skills)


def seeker_titles(
    read: Callable[[str], pd.DataFrame], *, n: int = 3000, seed: int = SEED + 1
) -> TitleSet:
    """Plain job-seeker occupation titles: a Dutch label, casing changed, no competences."""
    rng = np.random.default_rng(seed)
    rows = _sample_occupations(read("occupations"), _essential(read), n, rng)
    labels = [_label(row, rng) for _, row in rows.iterrows()]
    texts = [_casing(label, rng) for label in labels]
    return TitleSet(texts, rows["uri"].astype(str).tolist(), labels, [()] * n)


def _essential(read: Callable[[str], pd.DataFrame]) -> pd.Series:
    """Essential skill URIs per occupation URI, in a fixed order."""
    relations = read("occupation_skills")
    essential = relations.loc[relations["relation"] == "essential"].sort_values(
        ["occupation_uri", "skill_uri"]
    )
    grouped: pd.Series = essential.groupby("occupation_uri")["skill_uri"].agg(tuple)
    return grouped


def evaluate(
    titles: TitleSet,
    ranked: Sequence[tuple[str | None, float]],
    *,
    name: str,
    seconds: float,
    threshold: float = THRESHOLD,
) -> TitleResult:
    """Accuracy@1, share stored and right, share kept as text, precision of stored concepts and
    their mean confidence (honest when it is close to the precision), from the top concept and
    its score per title."""
    truth = np.array(titles.uris, dtype=object)
    top = np.array([uri for uri, _ in ranked], dtype=object)
    score = np.array([s for _, s in ranked], dtype=np.float64)
    stored = score >= threshold
    right = stored & (top == truth)
    return TitleResult(
        dataset=name,
        titles=len(truth),
        acc_at_1=round(float(np.mean(top == truth)), 4),
        right=round(float(np.mean(right)), 4),
        kept_as_text=round(float(np.mean(~stored)), 4),
        precision=round(float(right.sum() / max(1, stored.sum())), 4),
        mean_confidence_stored=round(float(score[stored].mean()) if stored.any() else 0.0, 4),
        titles_per_second=round(len(truth) / max(seconds, 1e-9), 1),
    )


def hidden_labels(concepts: ConceptIndex, titles: TitleSet) -> np.ndarray:
    """Per title, the row of the label it was built from in the index (to hide it); -1 for a
    label the index leaves out (a bare head word such as "monteur")."""
    labels = concepts.index.labels
    rows = {
        (int(c), str(f)): i
        for i, (c, f) in enumerate(zip(labels["concept"], labels["folded"], strict=True))
    }
    return np.array(
        [
            rows.get((concepts.position[u], fold(label)), -1)
            for u, label in zip(titles.uris, titles.labels, strict=True)
        ],
        dtype=np.int64,
    )


def run(
    concepts: ConceptIndex,
    titles: TitleSet,
    *,
    skills: bool,
    hide: bool,
    name: str,
    threshold: float = THRESHOLD,
) -> TitleResult:
    """Rank the titles' occupations (the label they were built from hidden when ``hide``; the
    required competences as evidence when ``skills``) and evaluate."""
    exclude = hidden_labels(concepts, titles) if hide else None
    options = {"observed": concepts.observed(titles.skills)} if skills else {}
    start = time.perf_counter()
    ranking = concepts.index.rank(titles.texts, top=1, exclude=exclude, **options)
    seconds = time.perf_counter() - start
    ranked = [
        (str(concepts.uris[i]) if i >= 0 else None, float(s))
        for i, s in zip(ranking.indices[:, 0], ranking.scores[:, 0], strict=True)
    ]
    return evaluate(titles, ranked, name=name, seconds=seconds, threshold=threshold)


def run_all(
    concepts: ConceptIndex,
    read: Callable[[str], pd.DataFrame],
    *,
    n: int = 3000,
    threshold: float = THRESHOLD,
) -> list[TitleResult]:
    """Every row of the bench: vacancies with and without their skills, job seekers; each as
    built (the label visible in the index) and with the label it was built from hidden."""
    sets = {"vacatures": vacancy_titles(read, n=n), "werkzoekenden": seeker_titles(read, n=n)}
    rows = [("vacatures", False), ("vacatures", True), ("werkzoekenden", False)]
    if concepts.index.evidence is None:
        rows.remove(("vacatures", True))
    results = []
    for hide, suffix in ((False, ""), (True, ", eigen label verborgen")):
        for kind, skills in rows:
            name = f"{kind}{' + competenties' if skills else ''}{suffix}"
            results.append(
                run(concepts, sets[kind], skills=skills, hide=hide, name=name, threshold=threshold)
            )
    return results

"""The review queue ("Te beoordelen"): texts a person should look at, worked through per
organisation.

After every import (in its transaction) ``refresh_queue`` recounts, per municipality, the
stored items flagged for review (below the normalisation threshold, or a national code without
a crosswalk entry) and a small fixed sample of those normalised above it (``SAMPLE_PERCENT`` of
the distinct texts, chosen by a hash of the text, so a text is sampled for good or never). A
text seen for the first time is ranked once (its top candidates are kept with it); a text no
stored item carries any more is dropped (after an erasure too). An
organisation's queue is the texts that occur in its municipalities and that it has not decided:
the flagged ones before the sample, each the most frequent first. The candidates shown are
those kept with the text, or, for an organisation with synonyms of its kind, ranked anew over
its own alias index (``organisation_rankers``). ``decide`` stores a decision as an
organisation synonym (``matching.review.synonyms``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

from sqlalchemy import Select, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from matching.access.users import now
from matching.domain import Page
from matching.errors import InvalidInput, NotFound
from matching.exchange.codes import key_digest, reading_text, text_key
from matching.exchange.normalising import TextKind, TextRanker
from matching.review.records import scan
from matching.review.synonyms import (
    KIND_LABELS,
    Choice,
    Scope,
    concept_label,
    known_concepts,
    organisation_aliases,
    set_synonyms,
)
from matching.store.review import ImportRun, OrganisationSynonym, ReviewCount, ReviewText

SAMPLE_PERCENT = 2
"""Share (in %) of the distinct texts normalised above the threshold that is sampled."""
TOP = 5
"""Candidates kept per review text."""
PER_PAGE = 25
KINDS: tuple[TextKind, ...] = ("occupation", "skill")
Key = tuple[str, str]
"""(kind, text key)"""
Rankers = Callable[[TextKind], TextRanker | None]
"""Per kind, the ranker of an organisation's suggestions; None: the candidates kept."""


@dataclass(frozen=True)
class Candidate:
    """A candidate concept of a review text: score in [0, 1]."""

    uri: str
    label: str
    score: float


@dataclass(frozen=True)
class ReviewItem:
    """One text of an organisation's queue."""

    review_id: int
    kind: TextKind
    text: str
    occurrences: int
    candidates: list[Candidate]
    sampled: bool
    import_id: int | None

    @property
    def kind_label(self) -> str:
        """``beroep`` or ``competentie``."""
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Decision:
    """What a decision did: the text, the concept chosen (None: kept) and the items changed."""

    text: str
    kind: TextKind
    uri: str | None
    label: str | None
    changed: int


@dataclass(frozen=True)
class ImportChoice:
    """An import run that raised texts of an organisation's queue (the import filter)."""

    import_id: int
    started_at: dt.datetime
    files: str


def sampled(key: str) -> bool:
    """Whether a text normalised above the threshold belongs to the fixed sample."""
    return int(key_digest(key)[:8], 16) % 100 < SAMPLE_PERCENT


def start_run(session: Session, *, files: Sequence[str], by: str | None) -> int:
    """Record an import run; its id marks the texts it raises."""
    run = ImportRun(started_at=now(), imported_by=by, files=", ".join(files)[:2000])
    session.add(run)
    session.flush()
    return run.import_id


def refresh_queue(session: Session, *, import_id: int | None, ranker: TextRanker | None) -> None:
    """Recount the queue from the stored items (module doc); new texts are ranked by
    ``ranker`` (without one they get no candidates) and marked with ``import_id``."""
    conn = session.connection()
    seen = _tally(session)
    stored: dict[tuple[str, str], tuple[int, bool]] = {
        (kind, digest): (review_id, was_sampled)
        for review_id, kind, digest, was_sampled in conn.execute(
            select(ReviewText.review_id, ReviewText.kind, ReviewText.digest, ReviewText.sampled)
        )
    }
    digests = {key: (key[0], key_digest(key[1])) for key in seen.counts}
    new = [key for key in seen.counts if digests[key] not in stored]
    _insert_texts(session, new, seen, import_id, ranker)
    moved = [
        {"id": stored[digests[key]][0], "now_sampled": key not in seen.flagged}
        for key in seen.counts
        if digests[key] in stored and stored[digests[key]][1] != (key not in seen.flagged)
    ]
    if moved:
        conn.execute(
            update(ReviewText)
            .where(ReviewText.review_id == bindparam("id"))
            .values(sampled=bindparam("now_sampled")),
            moved,
        )
    _replace_counts(session, seen, digests, stored)


def _replace_counts(
    session: Session,
    seen: _Tally,
    digests: dict[Key, tuple[str, str]],
    stored: dict[tuple[str, str], tuple[int, bool]],
) -> None:
    """Write the new counts; drop the texts no stored item carries any more."""
    conn = session.connection()
    conn.execute(delete(ReviewCount))
    counted = set(digests.values())
    gone = [review_id for key, (review_id, _) in stored.items() if key not in counted]
    for start in range(0, len(gone), 500):
        conn.execute(delete(ReviewText).where(ReviewText.review_id.in_(gone[start : start + 500])))
    ids = {
        (kind, digest): review_id
        for review_id, kind, digest in conn.execute(
            select(ReviewText.review_id, ReviewText.kind, ReviewText.digest)
        )
    }
    rows = [
        {"review_id": ids[digests[key]], "municipality_code": town, "occurrences": n}
        for key, towns in seen.counts.items()
        for town, n in towns.items()
    ]
    if rows:
        conn.execute(insert(ReviewCount), rows)


@dataclass
class _Tally:
    """Per (kind, text key): occurrences per municipality, spellings, and whether flagged."""

    counts: dict[Key, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    spellings: dict[Key, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    flagged: set[Key] = field(default_factory=set)


def _tally(session: Session) -> _Tally:
    """The flagged and sampled stored items, by text key."""
    tally = _Tally()
    for seen in scan(session.connection()):
        key = (seen.kind, text_key(seen.item))
        if seen.needs_review:
            tally.flagged.add(key)
        elif not sampled(key[1]):
            continue
        tally.counts[key][seen.municipality] += seen.count
        tally.spellings[key][seen.item] += seen.count
    return tally


def _insert_texts(
    session: Session,
    new: list[tuple[str, str]],
    seen: _Tally,
    import_id: int | None,
    ranker: TextRanker | None,
) -> None:
    """Insert the texts seen for the first time (their most written spelling shown), with
    their top candidates."""
    if not new:
        return
    texts = {key: min(seen.spellings[key].items(), key=_most_written)[0] for key in new}
    flagged = seen.flagged
    candidates: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for kind in KINDS:
        keys = [key for key in new if key[0] == kind and reading_text(texts[key])]
        if ranker is None or not keys:
            continue
        ranked = ranker.rank([reading_text(texts[key]) for key in keys], kind=kind, top=TOP)
        for key, matches in zip(keys, ranked, strict=True):
            candidates[key] = [
                {"uri": m.uri, "label": m.label, "score": round(float(m.score), 4)} for m in matches
            ]
    at = now()
    rows = [
        {"kind": kind, "digest": key_digest(key), "key": key, "text": texts[kind, key],
         "candidates": candidates.get((kind, key), []), "sampled": (kind, key) not in flagged,
         "import_id": import_id, "raised_at": at}
        for kind, key in new
    ]  # fmt: skip
    session.connection().execute(insert(ReviewText), rows)


def _most_written(spelling: tuple[str, int]) -> tuple[int, str]:
    """Order spellings by how often they are written, then alphabetically."""
    return -spelling[1], spelling[0]


def _open(scope: Scope) -> Select[int, int]:
    """The organisation's open texts with their occurrences in its municipalities: the counts
    summed first (from the covering index), then the texts it decided left out."""
    summed = (
        select(
            ReviewCount.review_id.label("review_id"),
            func.sum(ReviewCount.occurrences).label("occurrences"),
        )
        .where(ReviewCount.municipality_code.in_(sorted(scope.municipalities)))
        .group_by(ReviewCount.review_id)
        .subquery()
    )
    decided = (
        select(OrganisationSynonym.digest)
        .where(
            OrganisationSynonym.organisation_id == scope.organisation_id,
            OrganisationSynonym.kind == ReviewText.kind,
            OrganisationSynonym.digest == ReviewText.digest,
        )
        .exists()
    )
    return (
        select(summed.c.review_id, summed.c.occurrences)
        .join(ReviewText, ReviewText.review_id == summed.c.review_id)
        .where(~decided)
    )


def review_queue(
    session: Session,
    scope: Scope,
    *,
    kind: TextKind | None = None,
    import_id: int | None = None,
    offset: int = 0,
    limit: int = PER_PAGE,
    rankers: Rankers | None = None,
) -> Page[ReviewItem]:
    """One page of the organisation's open texts (flagged before sampled, the most frequent
    first) and their count; ``rankers`` rank their candidates anew."""
    query = _open(scope)
    if kind is not None:
        query = query.where(ReviewText.kind == kind)
    if import_id is not None:
        query = query.where(ReviewText.import_id == import_id)
    total = func.count().over().label("total")  # the count in the same pass as the page
    columns = query.selected_columns
    ordered = query.add_columns(total).order_by(
        ReviewText.sampled, columns.occurrences.desc(), columns.review_id
    )
    page = session.execute(ordered.offset(offset).limit(limit)).all()
    if page:
        count = int(page[0].total)
    else:  # past the last page: count apart
        count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    texts = {
        row.review_id: row
        for row in session.scalars(
            select(ReviewText).where(ReviewText.review_id.in_([r[0] for r in page]))
        )
    }
    items = [_item(texts[row[0]], int(row[1])) for row in page]
    return Page(suggested(items, rankers), int(count))


def organisation_rankers(session: Session, organisation_id: str, *, wait: bool) -> Rankers:
    """Rankers over the organisation's alias index of each kind it has synonyms of (without
    ``wait``: only once the index is built, else None)."""
    from matching.normalisation.aliases import alias_ranker

    aliases = organisation_aliases(session, organisation_id)

    def ranker(kind: TextKind) -> TextRanker | None:
        return alias_ranker(organisation_id, aliases, kind, wait=wait)

    return ranker


def suggested(items: list[ReviewItem], rankers: Rankers | None) -> list[ReviewItem]:
    """The items with their candidates ranked by ``rankers`` where it gives a ranker."""
    if rankers is None or not items:
        return items
    result = list(items)
    for kind in KINDS:
        rows = [i for i, item in enumerate(items) if item.kind == kind and reading_text(item.text)]
        ranker = rankers(kind) if rows else None
        if ranker is None:
            continue
        ranked = ranker.rank([reading_text(items[i].text) for i in rows], kind=kind, top=TOP)
        for i, matches in zip(rows, ranked, strict=True):
            candidates = [_candidate(kind, m.uri, m.score) for m in matches]
            result[i] = replace(items[i], candidates=candidates)
    return result


def _item(row: ReviewText, occurrences: int) -> ReviewItem:
    return ReviewItem(
        row.review_id, cast(TextKind, row.kind), row.text, occurrences,
        [_candidate(row.kind, c["uri"], c["score"]) for c in row.candidates],
        row.sampled, row.import_id,
    )  # fmt: skip


def _candidate(kind: str, uri: str, score: float) -> Candidate:
    """A candidate shown by its Dutch label (``concept_label``): the ranker's label is ESCO's
    English one for a skill without a Dutch label, and the label kept with a text is the
    ranker's."""
    return Candidate(uri, concept_label(kind, uri), round(float(score), 4))


def review_item(
    session: Session, scope: Scope, review_id: int, *, rankers: Rankers | None = None
) -> ReviewItem:
    """One text the organisation may decide on: it occurs in its municipalities or it decided
    it before; NotFound otherwise (also for another organisation's texts). ``rankers`` rank
    its candidates anew (as ``review_queue``)."""
    row = session.get(ReviewText, review_id)
    if row is None:
        raise NotFound(f"Te beoordelen tekst {review_id} bestaat niet.")
    occurrences = session.scalar(
        select(func.coalesce(func.sum(ReviewCount.occurrences), 0)).where(
            ReviewCount.review_id == review_id,
            ReviewCount.municipality_code.in_(sorted(scope.municipalities)),
        )
    )
    earlier = session.get(OrganisationSynonym, (scope.organisation_id, row.kind, row.digest))
    if not occurrences and earlier is None:  # the same answer as for a text that never was
        raise NotFound(f"Te beoordelen tekst {review_id} bestaat niet.")
    return suggested([_item(row, int(occurrences or 0))], rankers)[0]


def decide(session: Session, scope: Scope, review_id: int, uri: str | None, *, by: str) -> Decision:
    """Choose ``uri`` for a text (None: "geen van deze", keep the text) for the organisation:
    stored as its synonym and written into its records at once."""
    item = review_item(session, scope, review_id)
    if uri is not None and not known_concepts(session, item.kind, [uri]):
        raise InvalidInput(f"'{uri}' is geen bekend ESCO-{item.kind_label}")
    changed = set_synonyms(session, scope, [Choice(item.kind, item.text, uri)], by=by)
    label = concept_label(item.kind, uri) if uri is not None else None
    return Decision(item.text, item.kind, uri, label, changed)


def import_choices(session: Session, scope: Scope, *, limit: int = 50) -> list[ImportChoice]:
    """The latest import runs that raised texts occurring in the organisation's
    municipalities, newest first (each run probes its own texts until one is found here)."""
    here = (
        select(ReviewText.review_id)
        .join(ReviewCount, ReviewCount.review_id == ReviewText.review_id)
        .where(
            ReviewText.import_id == ImportRun.import_id,
            ReviewCount.municipality_code.in_(sorted(scope.municipalities)),
        )
        .exists()
    )
    rows = session.execute(
        select(ImportRun.import_id, ImportRun.started_at, ImportRun.files)
        .where(here)
        .order_by(ImportRun.import_id.desc())
        .limit(limit)
    )
    return [ImportChoice(i, at, files) for i, at, files in rows]

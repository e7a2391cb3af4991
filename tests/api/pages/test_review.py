"""The page "Te beoordelen": choose a concept and see the text leave the queue; another
organisation neither sees nor decides it; the synonym list goes out and comes in as CSV."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from matching.normalisation import Match
from matching.review.queue import refresh_queue
from matching.shortlist.labels import load_labels
from matching.store import models as m
from matching.store.access import OrganisationMunicipality
from tests.matching.review.conftest import FakeNormaliser
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK, cleaner_skills

HTMX = {"HX-Request": "true"}


@pytest.fixture
def queued(seeded: sessionmaker[Session]) -> sessionmaker[Session]:
    """The shortlist store with a flagged text in Noordwijk (O4) and one in Leiden (R2)."""
    with seeded.begin() as session:
        for cid, text in (("O4", "ramen zemen"), ("R2", "=vloer dweilen")):
            person = session.get_one(m.Candidate, cid)
            person.competences.append(
                m.CandidateCompetence(position=99, text=text, uri=None, needs_review=True)
            )
    skills = cleaner_skills()
    ranker = FakeNormaliser(
        {"ramen zemen": [(skills[0], 0.385)], "=vloer dweilen": [(skills[1], 0.2)]}
    )
    with seeded.begin() as session:
        refresh_queue(session, import_id=None, ranker=ranker)
    return seeded


def _covered_by_one(sessions: sessionmaker[Session], municipality: str) -> None:
    """Only the organisation covering just ``municipality`` covers it (the admin's test
    organisation covers every municipality, and a decision changes no record in a
    municipality two organisations share)."""
    keep = "test-" + hashlib.sha256(municipality.encode()).hexdigest()[:12]  # as sign_in
    with sessions.begin() as session:
        session.execute(
            delete(OrganisationMunicipality).where(
                OrganisationMunicipality.municipality_code == municipality,
                OrganisationMunicipality.organisation_id != keep,
            )
        )


def _item_id(page: str, text: str) -> str:
    found = re.search(rf"id=\"tekst-(\d+)\">\s*<h2[^>]*>'{re.escape(text)}'", page)
    assert found, page
    return found.group(1)


def test_choose_a_concept_and_the_text_leaves_the_queue(
    queued: sessionmaker[Session], client_as: Callable[..., TestClient]
) -> None:
    manager = client_as("accountmanager", [NOORDWIJK])
    _covered_by_one(queued, NOORDWIJK)
    page = manager.get("/te-beoordelen", params={"soort": "competentie"}).text
    assert "ramen zemen" in page and "vloer dweilen" not in page  # Leiden's text
    assert "38,5\u00a0%" in page and "Geen van deze" in page
    assert "ramen zemen" not in manager.get("/te-beoordelen", params={"soort": "beroep"}).text
    review_id = _item_id(page, "ramen zemen")
    asked = manager.post(
        f"/te-beoordelen/{review_id}", data={"keuze": cleaner_skills()[0]}, headers=HTMX
    )
    assert asked.status_code == 200 and "hele organisatie" in asked.text
    assert 'name="bevestigd" value="ja"' in asked.text
    assert "ramen zemen" in manager.get("/te-beoordelen").text  # nothing stored yet
    decided = manager.post(
        f"/te-beoordelen/{review_id}",
        data={"keuze": cleaner_skills()[0], "bevestigd": "ja"},
        headers=HTMX,
    )
    assert decided.status_code == 200 and "1 gegeven bijgewerkt" in decided.text
    assert "ramen zemen" not in manager.get("/te-beoordelen").text
    with queued() as session:
        stored = session.get_one(m.Candidate, "O4").competences[-1]
        assert (stored.uri, stored.needs_review) == (cleaner_skills()[0], False)


def test_another_organisation_cannot_see_or_decide_the_text(
    queued: sessionmaker[Session], client_as: Callable[..., TestClient]
) -> None:
    ours = client_as("accountmanager", [NOORDWIJK])
    review_id = _item_id(ours.get("/te-beoordelen").text, "ramen zemen")
    theirs = client_as("admin", [LEIDEN])
    assert "ramen zemen" not in theirs.get("/te-beoordelen").text
    refused = theirs.post(
        f"/te-beoordelen/{review_id}", data={"keuze": "", "bevestigd": "ja"}, headers=HTMX
    )
    assert refused.status_code == 404 and "ramen zemen" not in refused.text
    assert "ramen zemen" in ours.get("/te-beoordelen").text
    assert client_as("jobhunter", [NOORDWIJK]).get("/te-beoordelen").status_code == 403


def test_the_synonym_list_downloads_neutralised_and_a_bad_upload_names_its_rows(
    queued: sessionmaker[Session], client_as: Callable[..., TestClient]
) -> None:
    manager = client_as("accountmanager", [LEIDEN])
    review_id = _item_id(manager.get("/te-beoordelen").text, "=vloer dweilen")
    manager.post(f"/te-beoordelen/{review_id}", data={"keuze": "", "bevestigd": "ja"})  # geen
    download = manager.get("/te-beoordelen/synoniemen.csv")
    assert download.headers["content-type"].startswith("text/csv")
    assert "skill,'=vloer dweilen,," in download.text
    bad = "kind,text,uri\nskill,ramen zemen,http://data.europa.eu/esco/skill/nope\n"
    refused = manager.post(
        "/te-beoordelen/synoniemen", files={"bestand": ("lijst.csv", bad)}, headers=HTMX
    )
    assert refused.status_code == 422 and "rij 2:" in refused.text
    good = download.content.decode("utf-8-sig").encode()
    noordwijk = client_as("admin", [NOORDWIJK])
    taken = noordwijk.post("/te-beoordelen/synoniemen", files={"bestand": ("lijst.csv", good)})
    assert taken.status_code == 200 and "1 synoniem opgeslagen" in taken.text


class EnglishRanker:
    """Ranks as the normaliser does for a skill without a Dutch label: its English label."""

    def __init__(self, uri: str) -> None:
        self.uri = uri

    def rank(self, texts: list[str], *, kind: str, top: int = 10) -> list[list[Match]]:
        english = load_labels().skills[self.uri]
        return [[Match(self.uri, english, 0.4, 0.4)] for _ in texts]


def test_a_candidate_without_a_dutch_label_shows_the_broader_dutch_one(
    seeded: sessionmaker[Session], client_as: Callable[..., TestClient]
) -> None:
    uri = cleaner_skills()[0]  # ESCO has no Dutch label for it
    labels = load_labels()
    english, dutch = labels.skill_english(uri), labels.skill(uri)
    assert english and dutch != english
    with seeded.begin() as session:
        person = session.get_one(m.Candidate, "O4")
        person.competences.append(
            m.CandidateCompetence(position=99, text="voorraad bijhouden", uri=None,
                                  needs_review=True)
        )  # fmt: skip
    with seeded.begin() as session:
        refresh_queue(session, import_id=None, ranker=EnglishRanker(uri))
    page = client_as("accountmanager", [NOORDWIJK]).get("/te-beoordelen").text
    assert f"{dutch}<sup" in page and "chip__en" in page and "english-note" in page
    assert f">{english}" not in page  # the English label only in the asterisk's tooltip

"""One organisation never reaches another's job seekers: every route that takes an id, walked.

Organisation B (Noordwijk) owns vacancy V1, its proposals and the Noordwijk candidates of the
hand-made store; organisation A (Leiden) owns vacancy VA and the Leiden candidates R1 (regional
consent) and R2 (none). An account manager of A calls every API route and page whose path takes
an id, found in the app's route table (so a new route is walked without being listed here), with
B's ids, and with A's own vacancy and B's candidates in the body. Routes that take B's ids
answer 404 or 403 unless ``SHARED_ACROSS_ORGANISATIONS`` says why they may answer (vacancies and
employers are the region's shared register), and no body carries a personal field of B's job
seekers. Afterwards nothing of B has changed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api.roles import SHARED_ACROSS_ORGANISATIONS, api_routes
from matching.access.users import Principal, now
from matching.exchange.codes import key_digest
from matching.jobs import rows
from matching.store import models
from matching.store.instruments import AftercareCheck, Instrument
from matching.store.jobs import BackgroundJob
from matching.store.review import OrganisationSynonym, ReviewCount, ReviewText
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK, seed, vacancy

SECRET = "vertrouwelijk-noordwijk"
"""A free-text competence every candidate of B has: it shows only in a full record."""
B_VACANCY, A_VACANCY, B_PROPOSED = "V1", "VA", "X_PROPOSED"
B_REVIEW = 901
"""B's review text (SECRET, occurring only among B's candidates)."""
ID_VALUES = {
    "vacancy_id": B_VACANCY,
    "candidate_id": B_PROPOSED,
    "employer_id": "E1",
    "review_id": str(B_REVIEW),
    "idVacature": B_VACANCY,  # the VUM source (api/routers/vum.py)
    "idWerkzoekende": B_PROPOSED,
    "programme_id": "PB",  # tests/api/test_programmes.py walks a real one of B's
    "placement_id": "P1",  # X_RUNNING's running placement in Noordwijk
    "instrument_id": "IB",  # jobcoaching with P1 (seeded below)
}
B_USER = "test-admin-b"
"""B's id for every kind of path parameter; a new kind must be added here (the walk says so)."""
HEADER_VALUES = {
    "X-VUM-berichtVersie": "3.0.0",
    "X-VUM-fromParty": "00000001111111111000",
    "X-VUM-toParty": "00000002222222222000",
    "X-VUM-viaParty": "00000001111111111000",
    "X-VUM-SUWIparty": "false",
    "API-Version": "3.0.0",
}
"""An example of every required request header; a route with a new one must add it here."""
FORM_VALUES = {
    "candidate_id": "O1",
    "reason": "kent de werkgever",
    "aantal": "10",
    "outcome": "hired",
    "start_date": "2026-10-01",
    "contract": "regular",
    "keuze": "",
    "bevestigd": "ja",
    "datum": "2026-10-01",
    "reden": "uitzondering",
    "fase": "intake",
    "checkpoint": "1",
    "notitie": "gebeld",
    "soort": "call",
    "uitkomst": "interest",
    "einddatum": "2026-12-31",
    "bedrag": "1000",
    "plaatsing": "",
}
JSON_BODIES: dict[str, dict[str, Any]] = {
    "ProposalCreate": {"candidate_ids": ["O1"], "reason": "kent de werkgever"},
    "ProposalDecision": {"outcome": "hired", "start_date": "2026-10-01"},
    "EnrolmentCreate": {"candidate_id": "O1", "on": "2026-10-01", "exception_reason": "x"},
    "PhaseChange": {"phase": "intake", "on": "2026-10-01"},
    "TrajectoryEnd": {"outcome": "work", "on": "2026-10-01"},
    "CheckInCreate": {"checkpoint": 1, "note": "gebeld"},
    "InstrumentCreate": {"kind": "jobcoaching", "start_date": "2026-10-01", "amount": 500},
    "InstrumentEnd": {"end_date": "2026-12-31"},
}
"""An example body per body model; a route with a new body model must add one."""


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """The hand-made store, B's candidates marked with SECRET, and A's vacancy VA in Leiden."""
    seed(sessions)
    with sessions.begin() as session:
        for person in session.scalars(
            select(models.Candidate).where(models.Candidate.municipality_code == NOORDWIJK)
        ):
            person.competences.append(
                models.CandidateCompetence(position=99, text=SECRET, uri=None)
            )
        session.add(vacancy(A_VACANCY, LEIDEN))
        session.add(
            ReviewText(
                review_id=B_REVIEW, kind="skill", digest=key_digest(SECRET), key=SECRET,
                text=SECRET, candidates=[], sampled=False, import_id=None, raised_at=now(),
            )
        )  # fmt: skip
        session.add_all([
            Instrument(instrument_id="IB", placement_id="P1", candidate_id="X_RUNNING",
                       kind="jobcoaching", start_date=dt.date(2026, 1, 1)),
            Instrument(instrument_id="IB2", vacancy_id=B_VACANCY, candidate_id=B_PROPOSED,
                       kind="proefplaatsing", start_date=dt.date(2026, 10, 1)),
        ])  # fmt: skip
        session.flush()
        session.add(ReviewCount(review_id=B_REVIEW, municipality_code=NOORDWIJK, occurrences=4))
    return sessions


@pytest.fixture
def manager_a(seeded: sessionmaker[Session], client_as: Callable[..., TestClient]) -> TestClient:
    """An account manager of organisation A (Leiden)."""
    return client_as("accountmanager", [LEIDEN])


@pytest.fixture
def b_ids(manager_a: TestClient, app: FastAPI) -> dict[str, str]:
    """B's id for every kind of path parameter, a running background job of a user of B's
    included (its message is SECRET; no worker takes it)."""
    b = Principal(B_USER, "admin", "organisation-b", frozenset({NOORDWIJK}))
    with app.state.store.sessions.begin() as session:
        row = rows.create(session, "train", {}, b)
        row.state, row.message = "running", SECRET
    return {**ID_VALUES, "job_id": row.job_id}


def _b_state(sessions: sessionmaker[Session]) -> tuple[Any, ...]:
    with sessions() as session:
        competences = session.execute(
            select(models.CandidateCompetence.uri, models.CandidateCompetence.needs_review).where(
                models.CandidateCompetence.text == SECRET
            )
        ).all()
        synonyms = session.scalar(select(func.count()).select_from(OrganisationSynonym))
        proposals = session.execute(
            select(
                models.Proposal.vacancy_id, models.Proposal.candidate_id, models.Proposal.outcome
            ).order_by(models.Proposal.vacancy_id, models.Proposal.candidate_id)
        ).all()
        placements = session.scalar(select(func.count()).select_from(models.Placement))
        checks = session.scalar(select(func.count()).select_from(AftercareCheck))
        jobs = session.execute(select(BackgroundJob.state, BackgroundJob.cancel_requested)).all()
        contacts = session.scalar(select(func.count()).select_from(models.Contact))
        instruments = session.execute(
            select(Instrument.instrument_id, Instrument.end_date).order_by(Instrument.instrument_id)
        ).all()
        return (
            tuple(proposals), placements, tuple(competences), synonyms, checks, contacts,
            tuple(instruments), tuple(jobs),
        )  # fmt: skip


def _id_routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    for context in api_routes(app):
        route = context.original_route
        if isinstance(route, APIRoute) and "{" in (context.path or ""):
            yield context.path or "", route


def _request(route: APIRoute, path: str, values: dict[str, str]) -> dict[str, Any]:
    """URL and body of a call of ``route`` with the given path values (see module doc)."""
    names = re.findall(r"\{(\w+)\}", path)
    missing = [n for n in names if n not in values]
    assert not missing, f"{path}: give ID_VALUES a value of organisation B for {missing}"
    url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)
    needed = _required_headers(route.dependant)
    unknown_headers = [h for h in needed if h not in HEADER_VALUES]
    assert not unknown_headers, f"{path}: give HEADER_VALUES an example for {unknown_headers}"
    headers = {"headers": {h: HEADER_VALUES[h] for h in needed}} if needed else {}
    body = route.body_field
    if body is None:
        return {"url": url, **headers}
    fields = [p.alias for p in route.dependant.body_params]
    if route.dependant.body_params and getattr(
        route.dependant.body_params[0].field_info, "media_type", ""
    ).startswith("application/x-www-form"):
        unknown = [f for f in fields if f not in FORM_VALUES]
        assert not unknown, f"{path}: give FORM_VALUES an example for {unknown}"
        return {"url": url, "data": {f: FORM_VALUES[f] for f in fields}, **headers}
    model = route.dependant.body_params[0].field_info.annotation
    name = getattr(model, "__name__", str(model))
    assert name in JSON_BODIES, f"{path}: give JSON_BODIES an example {name}"
    return {"url": url, "json": JSON_BODIES[name], **headers}


def _required_headers(dependant: Dependant) -> list[str]:
    """The required request headers of a route, its dependencies' included."""
    found = [h.alias for h in dependant.header_params if h.field_info.is_required()]
    return found + [h for sub in dependant.dependencies for h in _required_headers(sub)]


def _readable(response: httpx.Response) -> str:
    """A body as text; a workbook (a zip) as the text of its parts, since its compressed bytes
    can spell an id by chance."""
    if not response.content.startswith(b"PK"):
        return response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


def _personal(text: str, *, asked: set[str]) -> list[str]:
    """What of B's job seekers a body shows: SECRET, or ids of B candidates it was not asked."""
    found = [SECRET] if SECRET in text else []
    b_ids = {"O1", "O2", "O3", "O4", B_PROPOSED, "X_RUNNING", "X_PLACED", "X_LATE"}
    return found + sorted(i for i in b_ids - asked if re.search(rf"\b{i}\b", text))


def test_every_id_route_keeps_organisation_b_out_of_reach(
    app: FastAPI, manager_a: TestClient, seeded: sessionmaker[Session], b_ids: dict[str, str]
) -> None:
    before, problems, walked = _b_state(seeded), [], 0
    for path, route in _id_routes(app):
        for method in sorted(route.methods - {"HEAD"}):
            call = _request(route, path, b_ids)
            response = manager_a.request(method, call.pop("url"), **call)
            walked += 1
            shared = path in SHARED_ACROSS_ORGANISATIONS and method == "GET"
            if not shared and response.status_code not in (403, 404):
                problems.append(f"{method} {path}: {response.status_code}, not 404/403")
            asked = {ID_VALUES.get("candidate_id", ""), *FORM_VALUES.values()}
            if leaked := _personal(_readable(response), asked=asked - {"O1"} | {B_PROPOSED}):
                problems.append(f"{method} {path}: shows {leaked}")
    assert problems == []
    assert walked >= 10
    assert _b_state(seeded) == before


def test_own_vacancy_cannot_pull_in_b_candidates(
    app: FastAPI, manager_a: TestClient, seeded: sessionmaker[Session], b_ids: dict[str, str]
) -> None:
    """The same walk on A's own vacancy with B's candidates in paths and bodies."""
    before, problems = _b_state(seeded), []
    values = {**b_ids, "vacancy_id": A_VACANCY, "candidate_id": "O1"}
    for path, route in _id_routes(app):
        if "{vacancy_id}" not in path:
            continue
        for method in sorted(route.methods - {"HEAD"}):
            call = _request(route, path, values)
            response = manager_a.request(method, call.pop("url"), **call)
            if method != "GET" and response.status_code not in (403, 404):
                problems.append(f"{method} {path}: {response.status_code} with B's candidate")
            if leaked := _personal(_readable(response), asked={"O1"}):
                problems.append(f"{method} {path}: shows {leaked}")
    assert problems == []
    assert _b_state(seeded) == before


def test_b_proposes_a_consenting_fallback_candidate_and_sees_them_pseudonymised(
    seeded: sessionmaker[Session], client_as: Callable[..., TestClient]
) -> None:
    manager_b = client_as("accountmanager", [NOORDWIJK])
    ranked = [
        c["candidate_id"] for c in manager_b.get("/vacancies/V1/shortlist").json()["candidates"]
    ]
    assert "R1" in ranked and "R2" not in ranked  # A's: with and without consent
    refused = manager_b.post("/vacancies/V1/proposals", json={"candidate_ids": ["R2"]})
    assert refused.status_code == 404 and "R2" in refused.json()["detail"]
    unknown = manager_b.post("/vacancies/V1/proposals", json={"candidate_ids": ["GEEN"]})
    assert refused.json()["detail"].replace("R2", "GEEN") == unknown.json()["detail"]
    made = manager_b.post(
        "/vacancies/V1/proposals", json={"candidate_ids": ["R1"], "reason": "fallback"}
    )
    assert made.status_code == 201, made.text
    proposal = made.json()["data"][0]
    assert proposal["candidate"] is None and proposal["pseudonymised"] is True
    assert proposal["municipality_code"] == LEIDEN
    listed = manager_b.get("/vacancies/V1/proposals").json()["data"]
    own = next(p for p in listed if p["candidate_id"] == B_PROPOSED)
    assert own["candidate"]["candidate_id"] == B_PROPOSED and own["pseudonymised"] is False
    decided = manager_b.patch("/vacancies/V1/proposals/R1", json={"outcome": "rejected"})
    assert decided.status_code == 200 and decided.json()["candidate"] is None


def test_a_consenting_candidate_off_the_shortlist_cannot_be_proposed(
    seeded: sessionmaker[Session], client_as: Callable[..., TestClient]
) -> None:
    """F1 (Amsterdam, consent) is beyond the fallback radius: never offered, so never proposed."""
    manager_b = client_as("accountmanager", [NOORDWIJK])
    manager_b.get("/vacancies/V1/shortlist")
    response = manager_b.post(
        "/vacancies/V1/proposals", json={"candidate_ids": ["F1"], "reason": "x"}
    )
    assert response.status_code == 404


def test_allocation_lists_only_the_organisations_own_vacancies(
    manager_a: TestClient, client_as: Callable[..., TestClient]
) -> None:
    lists = manager_a.post("/allocations", json={"k": 2}).json()["lists"]
    assert set(lists) == {A_VACANCY}
    lists_b = client_as("accountmanager", [NOORDWIJK]).post("/allocations", json={}).json()
    assert set(lists_b["lists"]) == {B_VACANCY}


def test_decision_page_refuses_another_organisations_proposal(
    manager_a: TestClient, seeded: sessionmaker[Session]
) -> None:
    before = _b_state(seeded)
    response = manager_a.post(
        f"/vacatures/V1/voorstellen/{B_PROPOSED}/besluit",
        data={"outcome": "hired", "start_date": dt.date(2026, 10, 1).isoformat()},
    )
    assert response.status_code == 404 and SECRET not in response.text
    assert _b_state(seeded) == before


def test_vacancy_list_page_keeps_to_the_organisations_municipalities(
    manager_a: TestClient,
) -> None:
    assert manager_a.get("/vacatures", params={"gemeente": NOORDWIJK}).status_code == 404
    own = manager_a.get("/vacatures", params={"gemeente": LEIDEN})
    assert own.status_code == 200 and 'href="/vacatures/VA"' in own.text
    assert 'href="/vacatures/V1"' not in manager_a.get("/vacatures").text


def test_a_vum_search_shows_another_organisations_job_seekers_only_with_consent(
    seeded: sessionmaker[Session], manager_a: TestClient, client_as: Callable[..., TestClient]
) -> None:
    """The VUM source: A searches around Noordwijk, B's home, and B around Leiden."""
    around = {"selectiegebied": {"postcode": "2201AA", "afstand": 60}}
    url = "/vum/v3/werkzoekendeProfielen/matches"
    found_a = manager_a.post(url, json={"vraagObject": around}, headers=HEADER_VALUES)
    assert found_a.status_code == 200, found_a.text
    assert {s["idWerkzoekende"] for s in found_a.json()["matches"]} == {"R1", "R2", "N1", "F1"}
    assert _personal(_readable(found_a), asked=set()) == []  # none of B's: none consented
    manager_b = client_as("accountmanager", [NOORDWIJK])
    found_b = manager_b.post(url, json={"vraagObject": around}, headers=HEADER_VALUES)
    ids_b = {s["idWerkzoekende"] for s in found_b.json()["matches"]}
    assert {"O1", "R1"} <= ids_b and "R2" not in ids_b  # A's R2 did not consent
    assert "X_INACTIVE" not in ids_b and "X_PLACED" not in ids_b  # active job seekers only
    refused = manager_b.get("/vum/v3/werkzoekendeProfielen/R2", headers=HEADER_VALUES)
    assert refused.status_code == 404 and "R2" not in refused.text


def test_the_job_seeker_number_form_opens_only_the_organisations_own(
    manager_a: TestClient, client_as: Callable[..., TestClient]
) -> None:
    """``/werkzoekenden?nummer=`` takes an id in its query (the walk above takes path ids):
    B's job seeker answers as an unknown number, without a way to B's page or B's data."""
    for number in ("O1", B_PROPOSED, "ONBEKEND"):
        response = manager_a.get("/werkzoekenden", params={"nummer": number})
        assert response.status_code == 404 and "location" not in response.headers
        assert f"Werkzoekende {number} is niet gevonden" in response.text
        assert not _personal(response.text, asked={number})
    hunter_a = client_as("jobhunter", [LEIDEN])
    assert hunter_a.get("/werkzoekenden", params={"nummer": "O1"}).status_code == 404
    own = manager_a.get("/werkzoekenden", params={"nummer": "R1"}, follow_redirects=False)
    assert own.status_code == 303 and own.headers["location"] == "/werkzoekenden/R1/werkgevers"

"""A hand-made store for white-spot tests: a few employers around Noordwijk and a small pool.

Employers (as of 2026-10-01):

* CLEAN   SBI 81 (N, cleaning), Noordwijk 2201, 40 staff: white spot; prior → schoonmaker;
* BANK    SBI 64 (K, finance), Noordwijk 2202, 1000 staff: white spot; no cleaner fits there;
* NOSBI   no SBI code, Noordwijk (municipality centroid): white spot;
* KNOWN_C contact 2026-03-01; KNOWN_V vacancy 2026-02-01 → 2026-03-01 (filled);
* KNOWN_P placement 2025-01-01 → 2025-03-01 (a white spot again in a 365-day window);
* OLD     letter 2023-05-01 (a white spot again in a 365-day window);
* FUTURE  contact 2027-01-01, after as_of: still a white spot.

Candidates: K1–K6 cleaners in Noordwijk (all essential skills of 'schoonmaker gebouwen');
K7 a cleaner who travels at most 1 km; K8 a cleaner in Leiden without regional consent, K9
with; K10 a cleaner no longer active; K11 a cleaner in Amsterdam (too far); K12, K13 with
nothing to show (ladder step 1).
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from sqlalchemy.orm import Session, sessionmaker

from matching.reference import read_table
from matching.store import models
from matching.whitespots.occupations import esco_occupations

AS_OF = dt.date(2026, 10, 1)
WHITE = {"CLEAN", "BANK", "NOSBI", "FUTURE"}
KNOWN = {"KNOWN_C", "KNOWN_V", "KNOWN_P", "OLD"}


def cleaner_uri() -> str:
    """ESCO 'schoonmaker gebouwen' (9112.2)."""
    return esco_occupations()[0]["9112.2"]


def _employers() -> list[models.Employer]:
    rows = [
        ("CLEAN", "Schoonmaak Duin", "81", "N", "GM0575", "2201", 40),
        ("BANK", "Bank aan Zee", "64", "K", "GM0575", "2202", 1000),
        ("NOSBI", "Onbekend B.V.", None, None, "GM0575", None, None),
        ("KNOWN_C", "Gebeld B.V.", "47", "G", "GM0546", None, 10),
        ("KNOWN_V", "Vacature B.V.", "47", "G", "GM0546", None, 10),
        ("KNOWN_P", "Geplaatst B.V.", "47", "G", "GM0546", None, 10),
        ("OLD", "Oud Contact B.V.", "47", "G", "GM0546", None, 10),
        ("FUTURE", "Straks B.V.", "56", "I", "GM0537", "2221", 5),
    ]
    return [
        models.Employer(employer_id=i, name=n, sbi_code=c, sbi_section=s,
                        municipality_code=m, postcode4=p, employees=e)
        for i, n, c, s, m, p, e in rows
    ]  # fmt: skip


def _candidate(cid: str, municipality: str, pc4: str | None, **kw: object) -> models.Candidate:
    values: dict[str, object] = dict(
        candidate_id=cid, municipality_code=municipality, postcode4=pc4, ladder_step=5,
        target_group="regulier", hours_available=32, max_travel_km=15, driving_licence=True,
        education_level="mbo2", languages="nl", sector_preferences="N", status="active",
        consent_regional=False,
    )  # fmt: skip
    values.update(kw)
    return models.Candidate(**values)


@cache
def _cleaner_skills() -> tuple[str, ...]:
    """The essential skills of 'schoonmaker gebouwen', sorted (read once per process: a seed
    asks for them twelve times)."""
    links = read_table("occupation_skills")
    skills = links.loc[
        (links["occupation_uri"] == cleaner_uri()) & (links["relation"] == "essential"),
        "skill_uri",
    ]
    return tuple(sorted(skills))


def _cleaner(cid: str, municipality: str, pc4: str | None, **kw: object) -> models.Candidate:
    person = _candidate(cid, municipality, pc4, **kw)
    person.occupations.append(
        models.CandidateOccupation(position=0, text="schoonmaker", uri=cleaner_uri(), score=1.0)
    )
    for k, uri in enumerate(_cleaner_skills()):
        person.competences.append(
            models.CandidateCompetence(position=k, text=uri, uri=uri, score=1.0)
        )
    return person


def _candidates() -> list[models.Candidate]:
    cleaners = [
        _cleaner(f"K{i}", "GM0575", pc4)
        for i, pc4 in enumerate(["2201", "2201", "2202", "2203", "2202", "2211"], 1)
    ]
    return [
        *cleaners,
        _cleaner("K7", "GM0575", "2211", max_travel_km=1),
        _cleaner("K8", "GM0546", None),
        _cleaner("K9", "GM0546", None, consent_regional=True),
        _cleaner("K10", "GM0575", "2201", status="placed"),
        _cleaner("K11", "GM0363", None, consent_regional=True, max_travel_km=None),
        _candidate("K12", "GM0575", "2201", ladder_step=1, sector_preferences=None),
        _candidate("K13", "GM0575", "2203", ladder_step=1, sector_preferences=None),
        _cleaner("K14", "GM0575", "2201", hours_available=8),
    ]  # fmt: skip


def _history() -> list[object]:
    d = dt.date
    return [
        models.Contact(contact_id="c1", employer_id="KNOWN_C", date=d(2026, 3, 1), kind="call",
                       outcome="interest", by="anna"),
        models.Contact(contact_id="c2", employer_id="OLD", date=d(2023, 5, 1), kind="letter",
                       outcome="none", by="bram"),
        models.Contact(contact_id="c3", employer_id="FUTURE", date=d(2027, 1, 1), kind="call",
                       outcome=None, by="anna"),
        models.Vacancy(vacancy_id="v1", employer_id="KNOWN_V", title="Verkoper",
                       municipality_code="GM0546", hours_per_week=24, opened_on=d(2026, 2, 1),
                       closes_on=d(2026, 3, 1), status="filled"),
        models.Placement(placement_id="p1", candidate_id="K12", employer_id="KNOWN_P",
                         start_date=d(2025, 1, 1), end_date=d(2025, 3, 1), hours_per_week=20,
                         contract="trial"),
    ]  # fmt: skip


def seed(sessions: sessionmaker[Session]) -> None:
    """Write the hand-made store (module doc)."""
    with sessions.begin() as session:
        session.add_all(_employers())
        session.flush()
        session.add_all(_candidates())
        session.flush()
        session.add_all(_history())

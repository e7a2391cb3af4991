"""A hand-made history with known answers for the report tests.

Leiden (GM0546) and Noordwijk (GM0575). Period 2025-01-01 – 2025-06-30, as of 2025-08-01,
project start 2025-01-01.

* P1 Leiden candidate C1 at Leiden vacancy V1 (employer E1), regular 32 h, 2025-01-15 –
  2025-07-15: exactly 6 months, so *failed* (not durable) but positive outflow (6 months).
* P2 Noordwijk candidate C2 at Leiden vacancy V1: *fallback*, regular 32 h, 2025-01-15 –
  2025-07-16: durable (6 months + 1 day), positive outflow.
* P3 Leiden candidate C3 at V1, subsidised 24 h, from 2025-05-01, running: *pending*
  (censored, never a failure), outflow pending.
* P4 Leiden candidate C4 at E1 without vacancy, 2024-06-01 – 2024-09-01: before the period.
* P5 Noordwijk candidate C5 at Noordwijk vacancy V2 (employer E2, white spot before the
  period), trial 32 h, 2025-02-01 – 2025-03-01: own, failed, no outflow (trial).

Contacts: E1 letter 2024-05-01 (before the period: E1 is no white spot), E1 visit 2025-01-05
with outcome vacancy; E2 letter 2025-02-01, vacancy V2 opened 2025-02-10.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from matching.store import models

LEIDEN, NOORDWIJK = "GM0546", "GM0575"
PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
AS_OF = dt.date(2025, 8, 1)
D = dt.date


def _candidate(cid: str, municipality: str, group: str, step: int, gender: str) -> models.Candidate:
    return models.Candidate(
        candidate_id=cid, municipality_code=municipality, ladder_step=step, target_group=group,
        hours_available=32, status="active", gender=gender, birth_year=1990,
        consent_regional=True, languages="nl",
    )  # fmt: skip


def _vacancy(vid: str, employer: str, municipality: str, opened: dt.date) -> models.Vacancy:
    return models.Vacancy(
        vacancy_id=vid, employer_id=employer, title="schoonmaker", municipality_code=municipality,
        hours_per_week=32, positions=3, opened_on=opened, status="filled",
    )  # fmt: skip


def _placement(
    pid: str, cid: str, employer: str, vid: str | None, start: dt.date, end: dt.date | None,
    hours: int, contract: str,
) -> models.Placement:  # fmt: skip
    return models.Placement(
        placement_id=pid, candidate_id=cid, employer_id=employer, vacancy_id=vid,
        start_date=start, end_date=end, hours_per_week=hours, contract=contract,
    )  # fmt: skip


def seed(sessions: sessionmaker[Session]) -> None:
    """Store the history of the module docstring."""
    with sessions.begin() as session:
        session.add_all(
            [
                _candidate("C1", LEIDEN, "regulier", 5, "v"),
                _candidate("C2", NOORDWIJK, "statushouder", 4, "m"),
                _candidate("C3", LEIDEN, "doelgroepregister", 3, "v"),
                _candidate("C4", LEIDEN, "nug", 5, "m"),
                _candidate("C5", NOORDWIJK, "regulier", 6, "m"),
                models.Employer(employer_id="E1", name="Schoon BV", municipality_code=LEIDEN),
                models.Employer(employer_id="E2", name="Duin BV", municipality_code=NOORDWIJK),
            ]
        )
        session.flush()
        session.add_all(
            [
                _vacancy("V1", "E1", LEIDEN, D(2025, 1, 2)),
                _vacancy("V2", "E2", NOORDWIJK, D(2025, 2, 10)),
                models.Contact(
                    contact_id="K0", employer_id="E1", date=D(2024, 5, 1), kind="letter"
                ),
                models.Contact(
                    contact_id="K1",
                    employer_id="E1",
                    date=D(2025, 1, 5),
                    kind="visit",
                    outcome="vacancy",
                ),
                models.Contact(
                    contact_id="K2", employer_id="E2", date=D(2025, 2, 1), kind="letter"
                ),
            ]
        )
        session.flush()
        session.add_all(
            [
                _placement("P1", "C1", "E1", "V1", D(2025, 1, 15), D(2025, 7, 15), 32, "regular"),
                _placement("P2", "C2", "E1", "V1", D(2025, 1, 15), D(2025, 7, 16), 32, "regular"),
                _placement("P3", "C3", "E1", "V1", D(2025, 5, 1), None, 24, "subsidised"),
                _placement("P4", "C4", "E1", None, D(2024, 6, 1), D(2024, 9, 1), 32, "regular"),
                _placement("P5", "C5", "E2", "V2", D(2025, 2, 1), D(2025, 3, 1), 32, "trial"),
            ]
        )

"""Scoring on a small hand-made store: protected attributes, censored history, train."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from features.pairwise import pairwise_features
from matching.pool_loading import load_pool, load_vacancies
from matching.reference import read_table
from matching.scoring.card import active_documents
from matching.scoring.fitting import train
from matching.scoring.model_versions import load_model
from matching.scoring.prior import PriorScorer
from matching.scoring.training_rows import training_data
from matching.store import models

AS_OF = dt.date(2026, 10, 1)


def _uris() -> tuple[list[str], list[list[str]]]:
    """Three real ESCO occupations and their essential skills."""
    rel = read_table("occupation_skills")
    rel = rel.loc[rel["relation"] == "essential"]
    occs = sorted(rel["occupation_uri"].unique())[:3]
    return occs, [sorted(rel.loc[rel["occupation_uri"] == o, "skill_uri"])[:6] for o in occs]


def populate(session: Session, *, n_candidates: int, n_vacancies: int, seed: int = 0) -> None:
    """Employer, candidates and vacancies in Leiden with real ESCO skills and occupations."""
    rng = np.random.default_rng(seed)
    occs, skills = _uris()
    session.add(models.Employer(employer_id="E1", name="Hotel", sbi_section="I",
                                municipality_code="GM0546", postcode4="2311"))  # fmt: skip
    for i in range(n_candidates):
        k = int(rng.integers(3))
        cand = models.Candidate(
            candidate_id=f"K{i:03d}", municipality_code="GM0546", postcode4=None,
            birth_year=1970 + i % 30, gender="mv"[i % 2], ladder_step=int(rng.integers(1, 7)),
            target_group="regulier", hours_available=int(rng.integers(8, 41)),
            max_travel_km=20, driving_licence=bool(i % 3), education_level="mbo2",
            languages="nl", sector_preferences="I" if i % 2 else "Q", status="active",
        )  # fmt: skip
        held = rng.choice(skills[k], 3, replace=False)
        cand.competences = [models.CandidateCompetence(position=j, text=u, uri=u)
                            for j, u in enumerate(held)]  # fmt: skip
        cand.occupations = [models.CandidateOccupation(position=0, text="x", uri=occs[k])]
        session.add(cand)
    for v in range(n_vacancies):
        k = v % 3
        vac = models.Vacancy(
            vacancy_id=f"V{v:03d}", employer_id="E1", title="job", occupation_uri=occs[k],
            municipality_code="GM0546", postcode4="2311", hours_per_week=24,
            opened_on=dt.date(2024, 1, 1) + dt.timedelta(days=3 * v), status="open",
        )  # fmt: skip
        vac.competences = [models.VacancyCompetence(position=j, kind="required", text=u, uri=u)
                           for j, u in enumerate(skills[k][:4])]  # fmt: skip
        session.add(vac)
    session.flush()


def scores_now(session: Session) -> tuple[np.ndarray, np.ndarray]:
    pool = load_pool(session)
    vacancies = load_vacancies(session, pool)
    x = np.concatenate([pairwise_features(vacancies.row(i), pool) for i in range(len(vacancies))])
    return x, PriorScorer().score(x).score


def test_protected_attributes_cannot_change_features_or_scores(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as session:
        populate(session, n_candidates=20, n_vacancies=3)
        before_x, before_s = scores_now(session)
        session.execute(update(models.Candidate).values(
            gender="x", birth_year=2001, target_group="statushouder", benefit="ww"))  # fmt: skip
        session.flush()
        session.expire_all()
        after_x, after_s = scores_now(session)
    np.testing.assert_array_equal(before_x, after_x)
    np.testing.assert_array_equal(before_s, after_s)


def add_history(session: Session, n_vacancies: int) -> set[tuple[str, str]]:
    """Proposals for each vacancy: durable, failed, rejected, and a young running placement.

    Returns the (vacancy, candidate) pairs that must be censored.
    """
    censored = set()
    for v in range(n_vacancies):
        vid, opened = f"V{v:03d}", dt.date(2024, 1, 1) + dt.timedelta(days=3 * v)
        for j, kind in enumerate(("durable", "failed", "rejected", "rejected", "running")):
            cid = f"K{(5 * v + j) % 60:03d}"
            outcome = "rejected" if kind == "rejected" else "hired"
            session.add(models.Proposal(vacancy_id=vid, candidate_id=cid, proposed_on=opened,
                                        outcome=outcome))  # fmt: skip
            if kind == "rejected":
                continue
            start = AS_OF - dt.timedelta(days=60) if kind == "running" else opened
            end = {"durable": start + dt.timedelta(days=200), "failed": start +
                   dt.timedelta(days=40), "running": None}[kind]  # fmt: skip
            session.add(
                models.Placement(
                    placement_id=f"P{vid}{j}",
                    candidate_id=cid,
                    employer_id="E1",
                    vacancy_id=vid,
                    start_date=start,
                    end_date=end,
                    hours_per_week=24,
                    contract="regular",
                )
            )
            if kind == "running":
                censored.add((vid, cid))
    session.flush()
    return censored


def test_censored_placements_are_not_failures(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as session:
        populate(session, n_candidates=60, n_vacancies=60)
        censored = add_history(session, 60)
        data = training_data(session, as_of=AS_OF, background=5)
        pairs = set(zip(data.vacancy_ids.tolist(), data.candidate_ids.tolist(), strict=True))
        assert not pairs & censored
        assert data.counts["running"] == 60
        assert len(data) == 240 and int(data.labels.sum()) == 60
        assert data.background is not None and len(data.background) > 0
        result = train(session, model_dir=tmp_path, as_of=AS_OF, force=True)
    assert result.activated
    assert result.sidecar["proposal_status_counts"]["running"] == 60
    assert result.sidecar["rows"]["positives"] == 60
    loaded = load_model(tmp_path)
    assert loaded.version == result.sidecar["version"]
    assert set(result.sidecar["metrics"]) == {"learned", "prior"}
    documents = active_documents(tmp_path)  # what /over-het-model shows, without the CLI
    assert result.sidecar["version"] in documents["model-card.md"]
    assert "algoritmeregister" in documents["algoritmeregister.md"].lower()


@pytest.mark.parametrize("as_of", [dt.date(2024, 3, 1)])
def test_too_little_history_keeps_the_prior(
    sessions: sessionmaker[Session], tmp_path: Path, as_of: dt.date
) -> None:
    from matching.errors import ModelNotTrained

    with sessions() as session:
        populate(session, n_candidates=10, n_vacancies=3)
        with pytest.raises(ModelNotTrained, match="te weinig historie"):
            train(session, model_dir=tmp_path, as_of=as_of)

"""The generated world as the exchange-format tables (every cell a string) plus the truth."""

from __future__ import annotations

import numpy as np
import pandas as pd

from demo import proportions as share
from demo.people import (
    render_items,
    written_competences,
    written_occupations,
    written_sectors,
)
from demo.sampling import bools, id_strings, ints, iso_dates, join_by_owner
from demo.world import World
from matching.columns import ENTITIES, PLANNED

# Not exchange files: kept in a sub-directory, which the importer does not descend into.
TRUTH_DIR = "_truth"
TRUTH_FILE = "truth.csv"
TRUTH_COLUMNS = ("vacancy_id", "candidate_id", "p_durable_true")


def _frame(entity: str, columns: dict[str, object], sort_by: list[str]) -> pd.DataFrame:
    """A table with the entity's exact columns in export order, sorted for stable output."""
    names = ENTITIES[entity].column_names
    if set(columns) != set(names):
        raise AssertionError(f"{entity}: columns {sorted(columns)} differ from {sorted(names)}")
    frame = pd.DataFrame({name: np.asarray(columns[name], dtype=object) for name in names})
    return frame.sort_values(sort_by, kind="stable").reset_index(drop=True)


def candidates_table(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """candidates.csv."""
    people, geo, n = world.people, world.geo, world.people.size
    known_licence = rng.random(n) >= share.DRIVING_LICENCE_MISSING
    known_reach = rng.random(n) >= share.MAX_TRAVEL_MISSING
    available = np.datetime64(world.as_of, "D") + rng.integers(-90, 91, n).astype("timedelta64[D]")
    available[rng.random(n) >= share.AVAILABLE_FROM_FILLED] = np.datetime64("NaT")
    education = people.education.astype(object)
    education[rng.random(n) < share.EDUCATION_MISSING] = ""
    return _frame("candidates", {
        "candidate_id": world.candidate_ids,
        "municipality_code": geo.municipality[people.pc4],
        "postcode4": geo.pc4[people.pc4],
        "birth_year": ints(people.birth_year),
        "gender": people.gender,
        "ladder_step": ints(people.ladder),
        "target_group": people.target_group,
        "benefit": people.benefit,
        "hours_available": ints(people.hours),
        "max_travel_km": ints(people.reach_km, known_reach),
        "driving_licence": bools(people.licence, known_licence),
        "education_level": education,
        "languages": people.languages,
        "competences": written_competences(rng, world.tax, people, world.mechanisms.recording),
        "occupations": written_occupations(rng, world.tax, people),
        "sector_preferences": written_sectors(rng, world.tax, people),
        "available_from": iso_dates(available),
        "status": world.candidate_status,
        "consent_regional": bools(people.consent),
    }, ["candidate_id"])  # fmt: skip


def employers_table(world: World) -> pd.DataFrame:
    """employers.csv."""
    firms, geo = world.firms, world.geo
    return _frame("employers", {
        "employer_id": firms.ids,
        "name": firms.name,
        "sbi_code": firms.sbi_code,
        "municipality_code": geo.municipality[firms.pc4],
        "postcode4": geo.pc4[firms.pc4],
        "employees": ints(firms.employees),
    }, ["employer_id"])  # fmt: skip


def _skill_cells(
    rng: np.random.Generator, world: World, start: np.ndarray, skill: np.ndarray
) -> np.ndarray:
    """A competence list cell per vacancy from CSR skill lists."""
    owner = np.repeat(np.arange(world.jobs.size), np.diff(start))
    texts = render_items(rng, world.tax.skill_forms, skill, dict(share.SKILL_FORM))
    return join_by_owner(owner, texts, world.jobs.size)


def vacancies_table(world: World, rng: np.random.Generator) -> pd.DataFrame:
    """vacancies.csv."""
    jobs, geo, n = world.jobs, world.geo, world.jobs.size
    occupation = world.tax.occ_uri[jobs.occ].astype(object)
    occupation[rng.random(n) >= world.mechanisms.recording.vacancy_occupation_filled] = ""
    return _frame("vacancies", {
        "vacancy_id": world.vacancy_ids,
        "employer_id": world.firms.ids[jobs.employer],
        "title": jobs.title,
        "occupation": occupation,
        "municipality_code": geo.municipality[jobs.pc4],
        "postcode4": geo.pc4[jobs.pc4],
        "hours_per_week": ints(jobs.hours),
        "required_competences": _skill_cells(rng, world, jobs.req_start, jobs.req_skill),
        "optional_competences": _skill_cells(rng, world, jobs.opt_start, jobs.opt_skill),
        "education_min": jobs.education_min,
        "languages_required": jobs.languages,
        "driving_licence_required": jobs.licence_required,
        "positions": ints(jobs.positions),
        "opened_on": iso_dates(jobs.opened),
        "closes_on": iso_dates(world.vacancy_closes),
        "status": world.vacancy_status,
        "acquired_by": jobs.acquired_by,
    }, ["vacancy_id"])  # fmt: skip


def contacts_table(world: World) -> pd.DataFrame:
    """contacts.csv."""
    contacts = world.contacts
    return _frame("contacts", {
        "contact_id": id_strings("CT", np.arange(1, len(contacts.kind) + 1)),
        "employer_id": world.firms.ids[contacts.employer],
        "date": iso_dates(contacts.date),
        "kind": contacts.kind,
        "outcome": contacts.outcome,
        "by": contacts.by,
        "supply_driven": bools(np.zeros(len(contacts.kind), dtype=bool)),  # the world has none
    }, ["contact_id"])  # fmt: skip


def proposals_table(world: World) -> pd.DataFrame:
    """proposals.csv."""
    h = world.history
    return _frame("proposals", {
        "vacancy_id": world.vacancy_ids[h.v],
        "candidate_id": world.candidate_ids[h.c],
        "proposed_on": iso_dates(h.proposed_on),
        "outcome": h.outcome,
    }, ["vacancy_id", "candidate_id"])  # fmt: skip


def placements_table(world: World) -> pd.DataFrame:
    """placements.csv."""
    h = world.history
    v, c = h.v[h.placed], h.c[h.placed]
    return _frame("placements", {
        "placement_id": id_strings("PL", np.arange(1, len(h.placed) + 1)),
        "candidate_id": world.candidate_ids[c],
        "employer_id": world.firms.ids[world.jobs.employer[v]],
        "vacancy_id": world.vacancy_ids[v],
        "start_date": iso_dates(h.start),
        "end_date": iso_dates(h.end),
        "hours_per_week": ints(h.hours),
        "contract": h.contract,
    }, ["placement_id"])  # fmt: skip


INSTRUMENT_OF_CONTRACT = {"subsidised": "loonkostensubsidie", "trial": "proefplaatsing"}
INSTRUMENT_DAYS = {"loonkostensubsidie": 365, "proefplaatsing": 61, "jobcoaching": 91}
JOBCOACHING_EVERY = 5
"""Every fifth placement (by id) had job coaching in its first three months."""


def instruments_table(placements: pd.DataFrame) -> pd.DataFrame:
    """instruments.csv (format 1.1), derived from the placements: a wage-cost subsidy with a
    subsidised contract (1,000 euros a month for a year at 32 h/week, pro rata), a trial
    placement with a trial contract, job coaching with every fifth placement."""
    kinds = placements["contract"].map(INSTRUMENT_OF_CONTRACT)
    rows = [(p, k) for p, k in zip(placements.index, kinds, strict=True) if isinstance(k, str)]
    rows += [(p, "jobcoaching") for p in placements.index[::JOBCOACHING_EVERY]]
    picked = placements.loc[[p for p, _k in rows]]
    kind = pd.Series([k for _p, k in rows], index=picked.index)
    start = pd.to_datetime(picked["start_date"])
    end = start + pd.to_timedelta(kind.map(INSTRUMENT_DAYS), unit="D")
    hours = picked["hours_per_week"].astype(int)
    amount = np.where(kind == "loonkostensubsidie", (12_000 * hours / 32).round(-2).astype(int), -1)
    return _frame("instruments", {
        "instrument_id": [
            f"IN-{pid}-{k[:3].upper()}"
            for pid, k in zip(picked["placement_id"], kind, strict=True)
        ],
        "placement_id": picked["placement_id"], "vacancy_id": [""] * len(picked),
        "candidate_id": [""] * len(picked), "kind": kind,
        "start_date": picked["start_date"], "end_date": end.dt.strftime("%Y-%m-%d"),
        "amount": ["" if a < 0 else str(a) for a in amount],
    }, ["instrument_id"])  # fmt: skip


def truth_table(world: World) -> pd.DataFrame:
    """_truth/truth.csv: the true durable probability of every proposed pair."""
    h = world.history
    frame = pd.DataFrame({
        "vacancy_id": world.vacancy_ids[h.v],
        "candidate_id": world.candidate_ids[h.c],
        "p_durable_true": [f"{p:.6f}" for p in h.p_durable.tolist()],
    })  # fmt: skip
    return frame.sort_values(["vacancy_id", "candidate_id"], kind="stable").reset_index(drop=True)


def all_tables(world: World) -> dict[str, pd.DataFrame]:
    """The exchange tables by entity name, in import order."""
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence([world.seed, 1]).spawn(2)]
    built = {
        "employers": employers_table(world),
        "candidates": candidates_table(world, streams[0]),
        "vacancies": vacancies_table(world, streams[1]),
        "contacts": contacts_table(world),
        "proposals": proposals_table(world),
        "placements": placements_table(world),
    }
    built["instruments"] = instruments_table(built["placements"])
    return {name: built[name] for name in ENTITIES if name not in PLANNED}

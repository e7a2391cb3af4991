"""One organisation never reaches another's job seekers through a query parameter or a body
field either: every route with an id-like parameter, walked from the route table.

``tests/api/test_organisation_scope.py`` walks the ids in a route's PATH; this walk takes the
ids in its QUERY and BODY (JSON fields, form fields): ``?programme=``, ``candidate_ids`` of a
proposal, ``placement_id`` of an instrument, ``?nummer=``, ``?import=``, ``?user=``… The owner
(organisation "A" of the issue: Noordwijk, whose job seekers fill the hand-made store, with a
programme, placement, instrument, contact, import, job and audit rows) is probed by every
admitted role of the outsider (Leiden), with the outsider's own vacancy, candidate, programme
and placement in the path, once with the owner's real id in the parameter and once with an
unknown id of the same kind. For each pair of calls:

(a) status, Location and body are the same, the two ids masked: no existence oracle;
(b) neither body holds a text of the owner's (``World.private``: the free text, the job
    seekers, programme, contact, users) other than the id asked;
(c) afterwards no row that existed has changed, and no new row names the owner's records.

Every GET route (pages, downloads, API reads) is walked once more with all id parameters at
once, declared or not (a browser can send any), and ``VIEWS`` (the funnel per user). A
parameter counts as an id by its name (``PARAMETER_KINDS``): a new ``…_id`` parameter fails
the walk until its kind is added there. Employers and vacancies are the region's shared
register: their ids may answer differently, (b) and (c) hold for them too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from api.roles import PUBLIC_PATHS, api_routes, declared_roles
from matching.access.users import ROLES, now
from matching.store import models
from matching.store.base import Base
from matching.store.instruments import Instrument
from matching.store.matching_state import FollowUp
from matching.store.programmes import Enrolment, Programme
from matching.store.review import ImportRun
from tests.api import test_organisation_scope as scope
from tests.api.test_organisation_scope import (
    A_VACANCY,
    FORM_VALUES,
    HEADER_VALUES,
    JSON_BODIES,
    SECRET,
)
from tests.conftest import entity_tables
from tests.matching.shortlist.store_fixture import LEIDEN, NOORDWIJK

OWN_PROGRAMME, OTHER_PROGRAMME = "prog-eigenaar", "prog-buiten"
PROGRAMME_NAME = "Geheim traject Noordwijk"
OWNER_CONTACT, OWNER_IMPORT = "C-EIGENAAR", 7301
NOBODY_MUNICIPALITY = "GM0014"
"""Groningen: covered by neither organisation, nothing of anyone's there."""
seeded, manager_a, b_ids = scope.seeded, scope.manager_a, scope.b_ids
"""The fixtures of the path walk: its store, and a running job and review text of Noordwijk."""

PARAMETER_KINDS = {
    **dict.fromkeys(("candidate_id", "candidate_ids", "nummer", "idWerkzoekende"), "candidate"),
    **dict.fromkeys(("vacancy_id", "idVacature"), "vacancy"),
    **dict.fromkeys(("placement_id", "plaatsing"), "placement"),
    **dict.fromkeys(("programme", "programma", "programme_id"), "programme"),
    **dict.fromkeys(("employer_id", "werkgever"), "employer"),
    **dict.fromkeys(("municipality", "gemeente"), "municipality"),
    **dict.fromkeys(("q", "zoek"), "text"),
    "instrument_id": "instrument",
    "contact_id": "contact",
    "job_id": "job",
    "review_id": "review",
    "import": "import",
    "user": "user",
    "moment": "moment",  # an evaluation moment: "<programme id>:<number>"
}
"""Query and body parameters that name a record, by name, and the kind of record."""
NOT_IDS = frozenset({"next", "username", "csrf_token"})
"""Parameters named like ids that are none (a ``…_id`` or ``id…`` name is an id by rule)."""
SHARED_PARAMETERS = {
    "employer": "the employer register is shared in the region (api/roles.py)",
    "vacancy": "a vacancy is employer information shared in the region (api/roles.py)",
}
"""Kinds whose existence any organisation may learn; (b) and (c) still hold for them."""
SHARED_FILTERS = {
    ("/employers", "municipality"): "lists the shared employer register",
    ("/vacancies", "municipality"): "lists the shared vacancies",
    ("/employers/white-spots", "municipality"): "ranks shared employers",
    ("/employers/white-spots.xlsx", "municipality"): "ranks shared employers",
    ("/witte-vlekken", "gemeente"): "ranks shared employers",
    ("/witte-vlekken.xlsx", "gemeente"): "ranks shared employers",
}
"""Municipality filters of shared registers: they may answer differently per municipality."""
QUERY_DEFAULTS = {"werkgever": "E1"}
"""A value of every required query parameter, for calls that probe another parameter."""
VIEWS = {"by": "user"}
"""Query parameters that widen what a read shows (the funnel per user), given in the walk of
every GET route alongside the ids (``mine``/``mijn`` narrow it: left out)."""
BODIES: dict[str, dict[str, Any]] = {
    **JSON_BODIES,
    "ContactCreate": {"employer_id": "E1", "date": "2026-09-01", "kind": "call"},
}
"""An example body per body model of a route with an id in its body."""


@dataclass(frozen=True)
class Probe:
    """One parameter of one route, as the walk calls it."""

    method: str
    path: str
    route: APIRoute
    name: str
    where: str  # "query", "form" or "json"
    kind: str
    roles: frozenset[str]


@dataclass(frozen=True)
class World:
    """The outsider's clients by role, the owner's ids by kind, the outsider's own ids for the
    paths, and the owner's texts no answer to the outsider may hold."""

    outsiders: dict[str, TestClient]
    owner_ids: dict[str, list[str]]
    own_path: dict[str, str]
    private: list[str]


def _organisation(code: str) -> str:
    return "test-" + hashlib.sha256(code.encode()).hexdigest()[:12]  # as sign_in names it


@pytest.fixture
def world(
    seeded: sessionmaker[Session], client_as: Callable[..., TestClient], b_ids: dict[str, str]
) -> World:
    """The owner's programme (O1 enrolled), contact with E1, import and audit rows beside the
    hand-made store; the outsider's programme (R1 enrolled), proposal, placement PA, instrument
    IA and a follow-up planned with E1 (its page shows E1's last contact)."""
    owner = client_as("accountmanager", [NOORDWIJK])
    outsiders = {role: client_as(role, [LEIDEN]) for role in ROLES}
    owner_user = f"test-accountmanager-{_organisation(NOORDWIJK)[5:]}"
    assert owner.get("/candidates/O1").status_code == 200  # an audit row of the owner's
    day = dt.date(2026, 9, 1)
    with seeded.begin() as session:
        for programme_id, code, name in ((OWN_PROGRAMME, NOORDWIJK, PROGRAMME_NAME),
                                         (OTHER_PROGRAMME, LEIDEN, "Traject Leiden")):  # fmt: skip
            session.add(Programme(
                programme_id=programme_id, organisation_id=_organisation(code), name=name,
                start_date=dt.date(2026, 1, 1), end_date=dt.date(2027, 12, 31),
                phases="intake:1;jobhunting:6",
            ))  # fmt: skip
        session.flush()
        for programme_id, candidate_id in ((OWN_PROGRAMME, "O1"), (OTHER_PROGRAMME, "R1")):
            session.add(Enrolment(
                programme_id=programme_id, candidate_id=candidate_id,
                enrolled_on=dt.date(2026, 1, 5), phases="intake:2026-01-05",
            ))  # fmt: skip
        session.add(models.Proposal(vacancy_id=A_VACANCY, candidate_id="R1", proposed_on=day,
                                    outcome="hired"))  # fmt: skip
        session.add(models.Contact(contact_id=OWNER_CONTACT, employer_id="E1", date=day,
                                   kind="call", by=owner_user))  # fmt: skip
        session.add(ImportRun(import_id=OWNER_IMPORT, started_at=now(), imported_by=owner_user,
                              files="kandidaten.csv"))  # fmt: skip
        session.add(FollowUp(organisation_id=_organisation(LEIDEN), employer_id="E1",
                             due_on=dt.date.today(), set_by=None, set_at=now()))  # fmt: skip
        session.flush()
        session.add(models.Placement(placement_id="PA", candidate_id="R1", employer_id="E1",
                                     vacancy_id=A_VACANCY, start_date=day, hours_per_week=32,
                                     contract="regular"))  # fmt: skip
        session.flush()
        session.add(Instrument(instrument_id="IA", placement_id="PA", candidate_id="R1",
                               kind="jobcoaching", start_date=day))  # fmt: skip
    owner_ids = {
        "candidate": ["O1", "X_RUNNING"], "vacancy": ["V1"], "placement": ["P1"],
        "programme": [OWN_PROGRAMME], "employer": ["E1"], "instrument": ["IB"],
        "contact": [OWNER_CONTACT], "job": [b_ids["job_id"]], "review": [b_ids["review_id"]],
        "import": [str(OWNER_IMPORT)], "user": [owner_user], "municipality": [NOORDWIJK],
        "text": [SECRET, "X_RUNNING"], "moment": [f"{OWN_PROGRAMME}:1"],
    }  # fmt: skip
    own_path = {
        "vacancy_id": A_VACANCY, "candidate_id": "R1", "programme_id": OTHER_PROGRAMME,
        "placement_id": "PA", "instrument_id": "IA", "employer_id": "E1",
        "idVacature": A_VACANCY, "idWerkzoekende": "R1", "review_id": "1", "job_id": "0",
    }  # fmt: skip
    private = [SECRET, PROGRAMME_NAME, OWN_PROGRAMME, OWNER_CONTACT, owner_user, "O1", "O2",
               "O3", "O4", "X_PROPOSED", "X_RUNNING", "X_PLACED", "X_LATE"]  # fmt: skip
    return World(outsiders, owner_ids, own_path, private)


_FRESH = itertools.count(1)


def _unknown(kind: str, owned: str) -> str:
    """An id of the same kind and shape as ``owned`` that names nothing (new per call, so one
    call's write cannot make the next call's id known)."""
    n = next(_FRESH)
    if kind == "municipality":
        return NOBODY_MUNICIPALITY
    if kind == "moment":
        return f"prog-{n:06d}:1"
    if owned.isdigit():
        return str(900_000 + n)
    return f"{owned[:2]}Q{n:03d}"


def _params(dependant: Dependant) -> Iterator[tuple[str, str, bool]]:
    """(name, where, required) of the query and body parameters of a route, with its
    dependencies'; a JSON body model gives its fields."""
    for param in dependant.query_params:
        yield param.alias, "query", param.field_info.is_required()
    for param in dependant.body_params:
        media = getattr(param.field_info, "media_type", "")
        if media.startswith(("application/x-www-form", "multipart")):
            yield param.alias, "form", param.field_info.is_required()
            continue
        model = param.field_info.annotation
        for name, field in getattr(model, "model_fields", {}).items():
            yield field.alias or name, "json", field.is_required()
    for sub in dependant.dependencies:
        yield from _params(sub)


def _probes(app: FastAPI) -> Iterator[Probe]:
    for context in api_routes(app):
        route = context.original_route
        assert isinstance(route, APIRoute)
        for name, where, _required in _params(route.dependant):
            kind = PARAMETER_KINDS.get(name)
            if kind is None:
                assert not re.search(r"_ids?$|Id$|^id", name) or name in NOT_IDS, (
                    f"{context.path}: give PARAMETER_KINDS the kind of record {name!r} names"
                )
                continue
            for method in sorted(route.methods - {"HEAD"}):
                roles = (declared_roles(context) or frozenset(ROLES)) & set(ROLES)
                yield Probe(method, context.path or "", route, name, where, kind, roles)


def _call(probe: Probe, value: str, own_path: dict[str, str]) -> dict[str, Any]:
    """The request of ``probe`` with ``value`` in its parameter and the outsider's own ids in
    the path."""
    url = re.sub(r"\{(\w+)\}", lambda m: own_path[m.group(1)], probe.path)
    call: dict[str, Any] = {"url": url, "follow_redirects": False}
    needed = _required_headers(probe.route.dependant)
    if needed:
        call["headers"] = {h: HEADER_VALUES[h] for h in needed}
    query = {n: QUERY_DEFAULTS[n] for n, w, req in _params(probe.route.dependant)
             if w == "query" and req and n != probe.name}  # fmt: skip
    forms = [n for n, w, _ in _params(probe.route.dependant) if w == "form"]
    if forms:
        call["data"] = {n: FORM_VALUES.get(n, "") for n in forms}
    elif probe.route.dependant.body_params:
        model = probe.route.dependant.body_params[0].field_info.annotation
        name = getattr(model, "__name__", "")
        assert name in BODIES, f"{probe.path}: give BODIES an example {name}"
        call["json"] = dict(BODIES[name])
    target = {"query": query, "form": call.get("data"), "json": call.get("json")}[probe.where]
    assert target is not None
    target[probe.name] = [value] if probe.name.endswith("_ids") else value
    if query:
        call["params"] = query
    return call


def _required_headers(dependant: Dependant) -> list[str]:
    found = [h.alias for h in dependant.header_params if h.field_info.is_required()]
    return found + [h for sub in dependant.dependencies for h in _required_headers(sub)]


VOLATILE = [
    (re.compile(r"[\w-]{16,}\.[\w-]{16,}"), "⟨token⟩"),  # CSRF tokens
    (re.compile(r"\b[0-9a-f]{22,}\b"), "⟨hex⟩"),  # generated ids, job ids
    (re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?"), "⟨time⟩"),
]


def _readable(response: httpx.Response) -> str:
    """A body as text; of a workbook (a zip) the text of its sheets and strings, without the
    markup (a cell reference such as ``O1`` is no job seeker) or the document properties."""
    if not response.content.startswith(b"PK"):
        return response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        parts = [n for n in book.namelist() if n.startswith("xl/") and n.endswith(".xml")]
        return "\n".join(re.sub(r"<[^>]*>", " ", book.read(n).decode()) for n in parts)


def _words(words: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of ``words`` as a whole id (not inside a longer one)."""
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


def _masked(response: httpx.Response, *values: str) -> tuple[int, str, str]:
    """Status, Location and body with the asked ids and what changes per request masked."""
    text, location = _readable(response), response.headers.get("location", "")
    pattern = _words(values)
    text, location = pattern.sub("⟨id⟩", text), pattern.sub("⟨id⟩", location)
    for pattern, mask in VOLATILE:
        text = pattern.sub(mask, text)
    return response.status_code, location, text


def _difference(real: tuple[int, str, str], blank: tuple[int, str, str]) -> str:
    """What differs between two masked answers, briefly ("" when nothing)."""
    if real == blank:
        return ""
    lines = difflib.unified_diff(blank[2].splitlines(), real[2].splitlines(), n=0, lineterm="")
    changed = [line.strip() for line in itertools.islice(lines, 2, 8)]
    return f"status {real[0]} / {blank[0]}, location {real[1]!r} / {blank[1]!r}, body {changed}"


Rows = dict[str, set[tuple[Any, ...]]]


def _dump(engine: Engine) -> Rows:
    """Every row of the entity tables but the ones every request writes."""
    skip = {"audit_log", "api_tokens", "data_versions"}
    with engine.connect() as conn:
        return {
            name: {
                tuple(repr(v) if isinstance(v, dict | list) else v for v in row)
                for row in conn.execute(select(Base.metadata.tables[name]))
            }
            for name in entity_tables()
            if name not in skip
        }


def _owner_values(world: World) -> set[str]:
    """What marks a row as the owner's: its ids, organisation, municipality, users, texts (not
    the shared employer E1 and vacancy V1: their own rows hold the owner's municipality)."""
    ids = {v for vs in world.owner_ids.values() for v in vs}
    return (ids | {_organisation(NOORDWIJK), *world.private}) - {"E1", "V1"}


def _changes(before: Rows, after: Rows, owner: set[str], owned: set[str]) -> list[str]:
    """The owner's rows (holding a value of ``owner``) that changed or went, and new rows naming
    the owner's records (``owned``)."""
    found = []
    for table, rows in before.items():
        for row in rows - after[table]:
            if owner & {v for v in row if isinstance(v, str)}:
                found.append(f"{table}: changed or removed {row}")
        for row in after[table] - rows:
            if named := owned & {v for v in row if isinstance(v, str)}:
                found.append(f"{table}: a new row names {sorted(named)}: {row}")
    return found


def _leaks(text: str, private: list[str], *asked: str) -> list[str]:
    """The owner's private texts in ``text``, other than the ids asked."""
    return sorted(set(_words([p for p in private if p not in asked]).findall(text)))


def test_no_query_or_body_id_reaches_another_organisations_records(
    app: FastAPI, engine: Engine, world: World
) -> None:
    values = world.owner_ids
    owner = _owner_values(world)
    owned = owner - {NOORDWIJK}
    before, problems, walked = _dump(engine), [], set()
    for probe in _probes(app):
        for role, owner_value in itertools.product(sorted(probe.roles), values[probe.kind]):
            if probe.kind in SHARED_PARAMETERS and role != "admin":
                continue  # shared: (b) and (c) once per route are enough
            client = world.outsiders[role]
            unknown = _unknown(probe.kind, owner_value)
            call = _call(probe, unknown, world.own_path)
            blank = client.request(probe.method, call.pop("url"), **call)
            call = _call(probe, owner_value, world.own_path)
            real = client.request(probe.method, call.pop("url"), **call)
            walked.add((probe.path, probe.name))
            where = f"{probe.method} {probe.path} {probe.name}={owner_value!r} as {role}"
            differential = (
                probe.kind not in SHARED_PARAMETERS
                and (probe.path, probe.name) not in SHARED_FILTERS
            )
            diff = _difference(_masked(real, owner_value), _masked(blank, unknown))
            if differential and diff:
                problems.append(f"{where}: differs from {unknown!r}: {diff}")
            if leaked := _leaks(_readable(real), world.private, owner_value):
                problems.append(f"{where}: shows {leaked}")
            if leaked := _leaks(_readable(blank), world.private):
                problems.append(f"{where}: shows {leaked} (asked {unknown!r})")
    assert not problems, "\n".join(problems)
    assert len(walked) >= 20
    assert _changes(before, _dump(engine), owner, owned) == []


def _get_routes(app: FastAPI) -> Iterator[tuple[str, frozenset[str]]]:
    """(path, admitted roles) of every GET route: the pages, downloads and API reads (not the
    public ones: they know no user)."""
    for context in api_routes(app):
        route = context.original_route
        assert isinstance(route, APIRoute)
        if "GET" in route.methods and context.path not in PUBLIC_PATHS:
            yield context.path or "", (declared_roles(context) or frozenset(ROLES)) & set(ROLES)


def test_every_page_and_read_with_all_id_parameters_at_once_answers_as_for_unknown_ids(
    app: FastAPI, engine: Engine, world: World
) -> None:
    """Every HTML page (and every other GET route) as each admitted role of the outsider, all
    id parameters given at once, whether the route declares them or not."""
    before, problems, pages = _dump(engine), [], 0
    kinds = {name: kind for name, kind in PARAMETER_KINDS.items()
             if kind not in SHARED_PARAMETERS and kind != "municipality"}  # fmt: skip
    real = {name: world.owner_ids[kind][0] for name, kind in kinds.items()}
    for path, roles in _get_routes(app):
        pages += 1
        url = re.sub(r"\{(\w+)\}", lambda m: world.own_path[m.group(1)], path)
        for role in sorted(roles):
            blank = {name: _unknown(kind, real[name]) for name, kind in kinds.items()}
            client = world.outsiders[role]
            got = client.get(url, params={**VIEWS, **real}, follow_redirects=False)
            other = client.get(url, params={**VIEWS, **blank}, follow_redirects=False)
            if diff := _difference(_masked(got, *real.values()), _masked(other, *blank.values())):
                problems.append(f"GET {path} as {role}: differs for unknown ids: {diff}")
            if leaked := _leaks(_readable(got), world.private, *real.values()):
                problems.append(f"GET {path} as {role}: shows {leaked}")
            if leaked := _leaks(_readable(other), world.private):
                problems.append(f"GET {path} as {role}: shows {leaked} (asked unknown ids)")
    assert not problems, "\n".join(problems)
    assert pages >= 15
    assert _changes(before, _dump(engine), _owner_values(world), set()) == []

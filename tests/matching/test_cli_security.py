"""``werkmatch users|organisations|candidates|audit`` on the per-test store."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from matching.access import audit, tokens
from matching.access.users import Principal
from matching.cli import app
from matching.cli.common import console
from matching.store import models
from tests.matching.security_fixtures import add_candidate

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent

KEY = "s" * 40


Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Invoke ``werkmatch`` on the per-test store: (exit code, stdout)."""
    monkeypatch.setenv("WERKMATCH_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("WERKMATCH_SECRET_KEY", KEY)
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None) -> tuple[int, str]:
        result = runner.invoke(app, list(args), input=stdin)
        return result.exit_code, result.stdout

    return invoke


def test_an_organisation_of_one_municipality_is_counted_in_the_singular(run: Run) -> None:
    one = ("nw", "--name", "Noordwijk", "--municipalities", "GM0575")
    assert run("organisations", "create", *one) == (0, "Organisatie nw (1 gemeente) aangemaakt.\n")


def test_users_tokens_and_audit(
    run: Run, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "width", 200)  # the table unwrapped
    hr = ("hr", "--name", "Holland Rijnland", "--municipalities", "GM0575,GM0546")
    assert run("organisations", "create", *hr) == (0, "Organisatie hr (2 gemeenten) aangemaakt.\n")
    am = ("am-jansen", "--role", "accountmanager", "--organisation", "hr", "--password-stdin")
    assert run("users", "create", *am, stdin="een lang wachtwoord\n")[0] == 0
    assert run("users", "create", "x-1", "--role", "boss", "--organisation", "hr")[0] == 1
    code, out = run("users", "token", "am-jansen", "--days", "7")
    token = out.strip().splitlines()[-1]
    assert code == 0 and token.startswith("wm_")
    with sessions() as session:
        principal = tokens.authenticate(session, token, kind="api")
        assert principal is not None and principal.municipality_codes == {"GM0575", "GM0546"}
    listed = run("users", "list")[1]
    assert "am-jansen" in listed and "Accountmanager" in listed and "rol" in listed
    assert "accountmanager" not in listed  # the role in words, not its code
    assert run("users", "revoke", token[:11])[0] == 0
    with sessions() as session:
        assert tokens.authenticate(session, token, kind="api") is None
    code, out = run("audit", "--json", "--user", Principal.command_line().user_id)
    actions = [json.loads(line)["action"] for line in out.splitlines()]
    assert actions == ["token.revoke", "token.issue", "user.create", "organisation.create"]
    assert token not in out


def test_candidates_erase(run: Run, sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        add_candidate(session, "K7")
    assert run("candidates", "erase", "K7", "--yes")[0] == 0
    assert run("candidates", "erase", "K7", "--yes")[0] == 1
    with sessions() as session:
        assert session.get(models.Candidate, "K7") is None
        erased = session.scalars(select(audit.AuditEntry)).one()
        assert erased.object_id == audit.pseudonym("K7", key=KEY.encode())


def test_audit_purge_refuses_inside_retention(run: Run) -> None:
    assert run("audit", "purge")[0] == 0
    assert run("audit", "purge", "--before", "2999-01-01")[0] == 1


def test_command_line_imports_are_audited(run: Run, sessions: sessionmaker[Session]) -> None:
    employers = Path(__file__).parents[1] / "fixtures" / "region_small" / "employers.csv"
    assert run("import", str(employers), "--json")[0] == 0
    with sessions() as session:
        entry = session.scalars(select(audit.AuditEntry)).one()
    assert (entry.action, entry.user_id) == ("import", Principal.command_line().user_id)
    assert json.loads(entry.detail or "{}")["files"] == ["employers.csv"]

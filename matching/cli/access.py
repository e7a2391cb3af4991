"""``werkmatch users|organisations|candidates|audit``: access control and data protection.

A thin layer over ``matching.access.users``, ``matching.access.tokens``,
``matching.access.audit`` and ``matching.access.erasure``; every change made here is audited
as ``cli:<os user>``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from matching.access import audit, tokens
from matching.access import users as security
from matching.access.users import Principal
from matching.cli.common import console, err_console, store_transaction
from matching.dutch import ROLES, local_time, time_nl
from matching.settings import Settings

if TYPE_CHECKING:
    pass

users_app = typer.Typer(help="Users, their passwords and API tokens.", no_args_is_help=True)
organisations_app = typer.Typer(
    help="Organisations and their municipalities.", no_args_is_help=True
)
candidates_app = typer.Typer(help="Candidates: erasure.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log: list it (newest first) or purge past retention.")
DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def register(app: typer.Typer) -> None:
    """Add the access-control command groups to the ``werkmatch`` app."""
    app.add_typer(users_app, name="users")
    app.add_typer(organisations_app, name="organisations")
    app.add_typer(candidates_app, name="candidates")
    app.add_typer(audit_app, name="audit")


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None and value.tzinfo is None else value


def exported(session: Session, directory: Path, files: dict[str, int]) -> None:
    """Audit a full export from the command line: where to, and the rows of every file."""
    audit.record(
        session,
        Principal.command_line(),
        "export",
        object_type="export",
        detail={
            "directory": str(directory.resolve()),
            "rows": files,
        },
    )


@users_app.command("create")
def users_create(
    user_id: Annotated[str, typer.Argument(help="Like am-jansen: lower case, digits, . _ -")],
    role: Annotated[str, typer.Option(help="accountmanager, jobhunter, evaluator or admin.")],
    organisation: Annotated[str, typer.Option(help="Organisation id.")],
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin (or prompt).")
    ] = False,
) -> None:
    """Create a user; without a password the user signs in with tokens only."""
    password = _read_password() if password_stdin else None
    with store_transaction() as session:
        user = security.create_user(
            session,
            user_id,
            role=role,
            organisation_id=organisation,
            display_name=name,
            password=password,
        )
        detail = {"role": role, "organisation": organisation}
        audit.record(
            session,
            Principal.command_line(),
            "user.create",
            object_type="user",
            object_id=user_id,
            detail=detail,
        )
    console.print(f"Gebruiker {user.user_id} ({user.role}, {user.organisation_id}) aangemaakt.")


@users_app.command("password")
def users_password(user_id: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Set a user's password, read from stdin (or prompted)."""
    password = _read_password()
    with store_transaction() as session:
        ended = security.set_password(session, user_id, password)
        audit.record(
            session,
            Principal.command_line(),
            "user.password",
            object_type="user",
            object_id=user_id,
            detail={"sessions_ended": ended},
        )
    console.print(f"Wachtwoord van {user_id} gezet; {ended} sessie(s) en API-token(s) beëindigd.")


@users_app.command("token")
def users_token(
    user_id: Annotated[str, typer.Argument(help="The user.")],
    days: Annotated[int, typer.Option(min=1, max=366, help="Days until it expires.")] = 30,
) -> None:
    """Issue an API token; it is printed once (stdout) and only its prefix is kept."""
    with store_transaction() as session:
        issued = tokens.issue_token(session, user_id, lifetime=dt.timedelta(days=days))
        audit.record(
            session,
            Principal.command_line(),
            "token.issue",
            object_type="user",
            object_id=user_id,
            detail={"prefix": issued.prefix, "days": days},
        )
    err_console.print(
        f"Token {issued.prefix}… voor {user_id}, geldig tot {time_nl(issued.expires_at)} "
        "(Nederlandse tijd). Hij wordt alleen nu getoond; stuur hem mee als "
        "'Authorization: Bearer <token>'."
    )
    typer.echo(issued.token)


@users_app.command("revoke")
def users_revoke(
    token_prefix: Annotated[str, typer.Argument(help="The token's prefix (wm_xxxxxxxx).")],
) -> None:
    """Revoke a token at once."""
    with store_transaction() as session:
        prefix = tokens.revoke_token(session, token_prefix)
        audit.record(
            session,
            Principal.command_line(),
            "token.revoke",
            object_type="token",
            object_id=prefix,
        )
    console.print(f"Token {prefix}… ingetrokken.")


@users_app.command("disable")
def users_disable(user_id: Annotated[str, typer.Argument(help="The user.")]) -> None:
    """Disable a user: passwords and tokens stop working at once."""
    with store_transaction() as session:
        security.set_active(session, user_id, active=False)
        audit.record(
            session,
            Principal.command_line(),
            "user.disable",
            object_type="user",
            object_id=user_id,
        )
    console.print(f"Gebruiker {user_id} uitgeschakeld.")


@users_app.command("list")
def users_list() -> None:
    """Users with role, organisation and their live tokens (prefixes only)."""
    with store_transaction() as session:
        users = security.list_users(session)
        listed = tokens.list_tokens(session)
    now = security.now()
    table = Table(
        "gebruiker", "naam", "rol", "organisatie", "actief", "wachtwoord", "geldige tokens"
    )
    for user in users:
        live = [
            t.prefix
            for t in listed
            if t.user_id == user.user_id
            and t.kind == "api"
            and t.revoked_at is None
            and t.expires_at > now
        ]
        table.add_row(
            user.user_id,
            user.display_name,
            ROLES.get(user.role, user.role),
            user.organisation_id,
            "ja" if user.active else "nee",
            "ja" if user.has_password else "nee",
            " ".join(live),
        )
    console.print(table)


@organisations_app.command("create")
def organisations_create(
    organisation_id: Annotated[str, typer.Argument(help="Like holland-rijnland.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    municipalities: Annotated[str, typer.Option(help="CBS codes, comma separated: GM0575,GM0546")],
) -> None:
    """Create an organisation: a municipality or a cooperation of municipalities."""
    codes = [code.strip().upper() for code in municipalities.split(",") if code.strip()]
    with store_transaction() as session:
        security.create_organisation(session, organisation_id, name=name, municipality_codes=codes)
        audit.record(
            session,
            Principal.command_line(),
            "organisation.create",
            object_type="organisation",
            object_id=organisation_id,
            detail={"municipalities": codes},
        )
    counted = "1 gemeente" if len(codes) == 1 else f"{len(codes)} gemeenten"
    console.print(f"Organisatie {organisation_id} ({counted}) aangemaakt.")


@candidates_app.command("erase")
def candidates_erase(
    candidate_id: Annotated[str, typer.Argument(help="The candidate's id.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a candidate's personal data everywhere; the audit log keeps a keyed-hash trace."""
    from matching.access.erasure import erase_candidate

    if not yes:
        typer.confirm(
            f"Erase candidate {candidate_id} everywhere? This cannot be undone", abort=True
        )
    settings = Settings()
    with store_transaction(settings, erasing=True) as session:
        report = erase_candidate(
            session, candidate_id, by=Principal.command_line(), key=security.secret_key(settings)
        )
    rows = ", ".join(f"{table} {n}" for table, n in report.rows.items() if n)
    console.print(f"Gewist ({rows}); {report.audit_rows} auditregels tonen nu {report.trace}.")


@audit_app.callback(invoke_without_command=True)
def audit_list(
    ctx: typer.Context,
    since: Annotated[dt.datetime | None, typer.Option(formats=DATE_FORMATS, help="UTC.")] = None,
    user: Annotated[str | None, typer.Option(help="Only this user.")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many rows.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List audit rows, newest first (reading the log is audited too)."""
    if ctx.invoked_subcommand is not None:
        return
    with store_transaction() as session:
        page = audit.query_audit(
            session, since=_utc(since), user_id=user, action=action, limit=limit
        )
        filters = {"since": since, "user": user, "action": action}
        audit.record(
            session,
            Principal.command_line(),
            "audit.read",
            detail={k: v for k, v in filters.items() if v},
        )
    if as_json:
        for row in page.data:
            typer.echo(json.dumps({**row.__dict__, "at": row.at.isoformat()}, ensure_ascii=False))
        return
    table = Table(
        "tijdstip",
        "gebruiker",
        "rol",
        "actie",
        "object",
        "details",
        title=f"{len(page.data)} van {page.count}",
    )
    for row in page.data:
        obj = f"{row.object_type or ''} {row.object_id or ''}".strip()
        detail = json.dumps(row.detail, ensure_ascii=False) if row.detail else ""
        table.add_row(
            f"{local_time(row.at):%d-%m-%Y %H:%M:%S}",
            row.user_id,
            row.role,
            row.action,
            obj,
            detail,
        )
    console.print(table)


@audit_app.command("purge")
def audit_purge(
    before: Annotated[
        dt.datetime | None, typer.Option(formats=DATE_FORMATS, help="Default: the retention limit.")
    ] = None,
) -> None:
    """Delete audit rows older than the retention period (WERKMATCH_AUDIT_RETENTION_DAYS)."""
    settings = Settings()
    with store_transaction(settings) as session:
        deleted = audit.purge_audit(
            session,
            retention_days=settings.audit_retention_days,
            before=_utc(before),
            by=Principal.command_line(),
        )
    console.print(f"{deleted} auditregels ouder dan de bewaartermijn verwijderd.")

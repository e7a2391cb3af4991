"""One import run as every face starts it: validate, import and audit in one transaction.

The command line (``werkmatch import``), ``POST /imports`` and the import page all call
:func:`run_import`; they only save uploads, show progress and turn errors into their own answers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from matching.access.audit import import_detail, record
from matching.access.users import Principal
from matching.exchange.importing import ImportOptions, import_into
from matching.exchange.report import ImportReport
from matching.exchange.scope import ImportScope
from matching.store.db import transaction


def run_import(
    target: Session | sessionmaker[Session],
    paths: Iterable[Path | str],
    *,
    principal: Principal,
    dry_run: bool = False,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import ``paths`` for ``principal`` and audit the run, all in one transaction; a user of
    an organisation imports only rows of its own municipalities (``matching.exchange.scope``).

    With a ``sessionmaker`` the run opens, commits and closes its own session; with a
    ``Session`` the caller commits (a web request). A dry run rolls the import back and keeps
    only the audit row. ``UnreadableFile`` (with ``options.reject_unreadable``) and
    ``InvalidInput`` (a file broke off mid-way) leave nothing stored.
    """
    scope = None
    if principal.organisation_id is not None:  # the command line imports for everyone
        scope = ImportScope(principal.organisation_id, principal.municipality_codes)
    run = dataclasses.replace(
        options or ImportOptions(), imported_by=principal.user_id, scope=scope
    )
    if isinstance(target, Session):
        return _run(target, paths, principal, dry_run, run)
    with transaction(target) as session:
        return _run(session, paths, principal, dry_run, run)


def _run(
    session: Session,
    paths: Iterable[Path | str],
    principal: Principal,
    dry_run: bool,
    options: ImportOptions,
) -> ImportReport:
    report = import_into(session, paths, options=options)
    if dry_run:
        session.rollback()
        report.dry_run = True
    record(session, principal, "import", object_type="import", detail=import_detail(report))
    return report

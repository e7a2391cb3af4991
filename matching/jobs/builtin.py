"""The core's kinds of job: import, training and the allocation of proposals.

Each body does its work in one transaction (``run_import``, ``train``, ``allocate``), so a job
that fails or whose worker dies leaves nothing half-written; the import's uploaded files stay
in their folder until the job has ended, so a retried import finds them again. Heavy imports
stay inside the bodies.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from matching.access.audit import record
from matching.access.users import Principal
from matching.errors import InvalidInput
from matching.exchange.report import ImportReport
from matching.jobs.kinds import Kind, Work, register
from matching.settings import Settings
from matching.store.db import transaction

if TYPE_CHECKING:
    from matching.shortlist.allocation import Allocation


def import_job(work: Work) -> ImportReport:
    """Import the files saved in ``params["folder"]`` (one subfolder per file), then remove
    them; ``params["normalise"]`` false: free text is kept as text."""
    from matching import normalisation
    from matching.exchange import ImportOptions, UnreadableFile, run_import

    folder = Path(work.params["folder"])

    def progress(name: str, done: int, total: int) -> None:
        work.progress.report(f"Bezig met {name}", done, total)

    try:
        work.progress.report("Bestanden lezen en controleren…")
        options = ImportOptions(
            normalisation if work.params.get("normalise", True) else None,
            work.settings.normalise_threshold, progress=progress, reject_unreadable=True,
            dates=work.settings.date_window(),
        )  # fmt: skip
        return run_import(
            work.store.sessions, sorted(folder.glob("*/*")), principal=work.principal,
            dry_run=bool(work.params.get("dry_run")), options=options,
        )  # fmt: skip
    except UnreadableFile as error:
        raise InvalidInput(f"Onleesbaar bestand, niets opgeslagen: {error}") from error
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def training_job(work: Work) -> str:
    """Train the durable-placement model on the store's history; what happened, in Dutch."""
    from matching.scoring.fitting import train

    work.progress.report("Model trainen op de geschiedenis…")
    with transaction(work.store.sessions) as session:
        model_dir = work.settings.resolved_model_dir()
        result = train(session, model_dir=model_dir, as_of=dt.date.today())
        record(session, work.principal, "model.train", detail={"message": result.message})
    return result.message


def allocate_and_record(
    session: Session,
    settings: Settings,
    principal: Principal,
    *,
    k: int = 3,
    top_n: int = 50,
    max_per_candidate: int | None = None,
    region: str | None = None,
) -> Allocation:
    """Allocate proposals over all open vacancies, or one labour-market region's (its name),
    and audit the lists (``werkmatch allocate`` and the nightly job)."""
    from functools import partial

    from matching.regions import find_region
    from matching.shortlist import MatchingCache, policy_for
    from matching.shortlist.allocation import AllocationOptions, allocate
    from matching.shortlist.regional import RegionalView

    options = AllocationOptions(
        k=k, top_n=top_n,
        max_proposals_per_candidate=max_per_candidate or settings.max_proposals_per_candidate,
    )  # fmt: skip
    cache, others = MatchingCache(settings.resolved_model_dir()), None
    if region is None:
        context = cache.get(session)
    else:
        view = RegionalView(cache, session)
        context = view.region(find_region(region))
        others = partial(view.around, context)
    policy = policy_for(session, None, settings)
    result = allocate(session, context, options=options, policy=policy, others=others)
    detail = {"options": result.to_dict()["options"], "region": context.region}
    record(
        session, principal, "allocation.run", model_version=result.model_version,
        detail={**detail, "lists": result.lists},
    )  # fmt: skip
    return result


def allocation_job(work: Work) -> str:
    """The nightly allocation; a Dutch line on what it gave."""
    work.progress.report("Voorstellen verdelen over de open vacatures…")
    with transaction(work.store.sessions) as session:
        result = allocate_and_record(session, work.settings, work.principal)
    totals = result.allocated
    expected = f"{totals.expected_durable:.1f}".replace(".", ",")
    return (
        f"{len(result.lists)} open vacatures, {totals.proposals} voorstellen aan "
        f"{totals.distinct_candidates} kandidaten; verwacht duurzaam geplaatst: {expected}."
    )


IMPORT = register(Kind("import", "Import", import_job, ImportReport, on_this_host=True))
TRAIN = register(Kind("train", "Model trainen", training_job, str))
ALLOCATE = register(Kind("allocate", "Voorstellen verdelen", allocation_job, str))

"""The bare ``werkmatch demo``: generate the region once, import it, train, create demo users."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from demo.aftercare import add_aftercare_history
from demo.generate import generate_region
from demo.staff import add_staff_users
from matching import normalisation
from matching.access.users import create_organisation, create_user
from matching.bootstrap import Store
from matching.errors import InvalidInput, ModelNotTrained
from matching.exchange.importing import import_paths
from matching.exchange.report import ImportReport
from matching.reference import read_table
from matching.scoring.fitting import train
from matching.settings import Settings
from matching.store import models
from matching.store.access import User

DEMO_PASSWORD = "werkmatch-demo"  # printed to the user; demo users only
DEMO_USERS = (
    ("am-demo", "accountmanager", "Accountmanager (demo)"),
    ("jh-demo", "jobhunter", "Jobhunter (demo)"),
    ("ev-demo", "evaluator", "Projectleider (demo)"),
    ("admin-demo", "admin", "Beheerder (demo)"),
)
Say = Callable[[str], None]


@dataclass
class DemoReady:
    """What the demo prepared: where the files are and what happened on the way."""

    data_dir: Path
    generated: bool
    imported: ImportReport | None
    trained: str
    users: list[str] = field(default_factory=list)


def demo_dir(settings: Settings, *, region: str, seed: int, scale: float) -> Path:
    """The cache directory of one generated region under ``var/demo``."""
    slug = re.sub(r"[^a-z0-9]+", "-", region.lower()).strip("-")
    return settings.var_dir / "demo" / f"{slug}-seed{seed}-scale{scale:g}"


def organisation_id(region: str) -> str:
    """A valid organisation id for a region name."""
    return re.sub(r"[^a-z0-9]+", "-", region.lower()).strip("-")[:64]


def prepare_demo(
    store: Store,
    settings: Settings,
    *,
    region: str = "Holland Rijnland",
    seed: int = 0,
    scale: float = 1.0,
    say: Say = print,
) -> DemoReady:
    """Generate (or reuse) the region, import it into an empty store, train, add demo users."""
    out = demo_dir(settings, region=region, seed=seed, scale=scale)
    generated = not (out / "candidates.csv").exists()
    if generated:
        say(f"{region} genereren (seed {seed}, schaal {scale:g}) in {out} …")
        # up to today, so the caseload looks live: open vacancies not past their closing date,
        # some opened this week (the history is the same, shifted to end today)
        generate_region(region, seed=seed, scale=scale, out_dir=out, as_of=dt.date.today())
    else:
        say(f"De eerder gegenereerde regio in {out} wordt gebruikt.")
    report = _import_if_empty(store, settings, out, say)
    trained = _train_if_needed(store, settings, say)
    users = _demo_users(store, region, say)
    _programmes_if_none(store, out, region, seed, say)
    return DemoReady(out, generated, report, trained, users)


def _import_if_empty(store: Store, settings: Settings, out: Path, say: Say) -> ImportReport | None:
    with store.sessions() as session:
        candidates = session.scalar(select(func.count()).select_from(models.Candidate)) or 0
    if candidates:
        say(f"De database bevat al {candidates} kandidaten; niet opnieuw geïmporteerd.")
        return None
    say("De uitwisselbestanden importeren (vrije tekst wordt naar ESCO genormaliseerd) …")
    report = import_paths(
        store.sessions, [out], normaliser=normalisation, threshold=settings.normalise_threshold,
        progress=_progress(say),
    )  # fmt: skip
    if report.rejected:
        raise InvalidInput(f"the demo region imported with {report.rejected} rejected rows")
    return report


def _progress(say: Say, step: int = 25) -> Callable[[str, int, int], None]:
    """Say each file's progress every ``step`` per cent, so a long import is not silent."""
    said: dict[str, int] = {}

    def report(name: str, done: int, total: int) -> None:
        share = 100 * done // total if total else 100
        if share >= said.get(name, -step) + step:
            said[name] = share - share % step
            say(f"  {name}: {said[name]} %")

    return report


def _train_if_needed(store: Store, settings: Settings, say: Say) -> str:
    from matching.scoring.model_versions import active_version

    model_dir = settings.resolved_model_dir()
    current = active_version(model_dir)
    if current is not None:
        return f"model {current} is active"
    say("Het model voor duurzame plaatsing trainen op de geïmporteerde geschiedenis …")
    with store.sessions() as session:
        try:
            result = train(session, model_dir=model_dir, as_of=dt.date.today())
        except ModelNotTrained as exc:
            return f"Geen model getraind ({exc}); de shortlists gebruiken de vaste beginweging."
    return result.message


def _programmes_if_none(store: Store, out: Path, region: str, seed: int, say: Say) -> None:
    """Import the two demo programmes and their trajectories once (``demo.programmes``)."""
    from demo.programmes import import_demo_programmes
    from matching.store.programmes import Programme

    with store.sessions() as session:
        if session.scalar(select(func.count()).select_from(Programme)):
            return
    say("Twee demoprogramma's met trajecten importeren …")
    import_demo_programmes(
        store.sessions, out / "programmas", organisation_id=organisation_id(region),
        today=dt.date.today(), seed=seed,
    )  # fmt: skip


def _demo_users(store: Store, region: str, say: Say) -> list[str]:
    org = organisation_id(region)
    codes = read_table("municipalities").query("region == @region")["code"].tolist()
    created: list[str] = []
    with store.sessions.begin() as session:
        if session.get(User, DEMO_USERS[0][0]) is not None:
            add_staff_users(session, org)  # stores made before staff had names
            return [user_id for user_id, _, _ in DEMO_USERS]
        create_organisation(session, org, name=region, municipality_codes=codes)
        for user_id, role, name in DEMO_USERS:
            create_user(
                session, user_id, role=role, organisation_id=org,
                display_name=name, password=DEMO_PASSWORD,
            )  # fmt: skip
            created.append(user_id)
        staff = add_staff_users(session, org)
        added = add_aftercare_history(session, by=DEMO_USERS[0][0], today=dt.date.today())
    say(f"Demogebruikers {', '.join(created)} aangemaakt in organisatie {org!r}, "
        f"{len(staff)} medewerkers uit de bestanden (zonder wachtwoord); "
        f"{added} nazorgcontacten toegevoegd.")  # fmt: skip
    return created

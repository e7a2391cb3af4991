"""Model versions on disk: ``<model_dir>/<version>/model.joblib`` + ``model.json``, ``active``.

Every trained version is kept; the ``active`` file names the one in use. Loading checks the
sidecar against the running libraries and feature list and refuses a mismatch with
``ModelMismatch``: a pickle from another scikit-learn may load and silently score differently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import platform
import secrets
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy
import sklearn

from features.pairwise import FEATURE_NAMES
from matching.errors import ModelMismatch, ModelNotTrained, NotFound
from matching.scoring.base import Scorer
from matching.scoring.model import DurablePlacementModel
from matching.scoring.prior import PriorScorer

MODEL_FILE, SIDECAR_FILE, ACTIVE_FILE = "model.joblib", "model.json", "active"


def library_versions() -> dict[str, str]:
    """Versions of the libraries a stored model depends on."""
    return {
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
    }


def _minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def check_compatible(sidecar: dict[str, Any]) -> None:
    """Raise ModelMismatch unless the sidecar fits this installation (versions, features)."""
    stored, here = sidecar.get("libraries", {}), library_versions()
    rules = (("scikit-learn", str), ("numpy", _minor), ("scipy", _minor), ("python", _minor))
    for name, key in rules:
        if key(stored.get(name, "?")) != key(here[name]):
            raise ModelMismatch(
                f"model {sidecar.get('version')} was trained with {name} {stored.get(name)}, "
                f"this is {here[name]}: run werkmatch train"
            )
    if tuple(sidecar.get("features", ())) != FEATURE_NAMES:
        raise ModelMismatch(
            f"model {sidecar.get('version')} was trained on features {sidecar.get('features')}, "
            f"this werkmatch computes {list(FEATURE_NAMES)}: run werkmatch train"
        )


def new_version(as_of: dt.date) -> str:
    """A sortable, unique version id: as-of date, creation time, random suffix."""
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return f"{as_of:%Y%m%d}-{now}-{secrets.token_hex(3)}"


def created_at(version: str) -> dt.datetime | None:
    """When a version of ``new_version`` was made (UTC), or None for an id of another form."""
    parts = version.split("-")
    try:
        return dt.datetime.strptime(parts[1], "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)
    except (IndexError, ValueError):
        return None


def save_model(
    model: DurablePlacementModel | PriorScorer, *, model_dir: Path, metadata: dict[str, Any]
) -> dict[str, Any]:
    """Write a new version (joblib + sidecar JSON); return the sidecar. Does not activate."""
    version = metadata.get("version") or new_version(dt.date.fromisoformat(metadata["as_of"]))
    folder = model_dir / version
    folder.mkdir(parents=True, exist_ok=False)
    sidecar = {
        **metadata,
        "version": version,
        "kind": model.kind,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "libraries": library_versions(),
        "features": list(model.feature_names),
    }
    joblib.dump(model, folder / MODEL_FILE)
    (folder / SIDECAR_FILE).write_text(json.dumps(sidecar, indent=2, sort_keys=True) + "\n")
    return sidecar


def activate(model_dir: Path, version: str) -> None:
    """Make ``version`` the active model (atomically replaces the pointer)."""
    if not (model_dir / version / SIDECAR_FILE).is_file():
        raise NotFound(f"no model version {version!r} in {model_dir}")
    tmp = model_dir / f".{ACTIVE_FILE}.{secrets.token_hex(3)}"
    tmp.write_text(version + "\n")
    tmp.replace(model_dir / ACTIVE_FILE)


def active_version(model_dir: Path) -> str | None:
    """The active version id, or None when no model was ever activated."""
    pointer = model_dir / ACTIVE_FILE
    if not pointer.is_file():
        return None
    return pointer.read_text().strip() or None


class ActivePointer:
    """``active_version(model_dir)`` for a caller that asks on every request: the pointer file
    is read again only when a stat shows another file (``activate`` replaces it, so a change
    is a new inode or mtime). Reading it each time cost more than the data-version query."""

    def __init__(self, model_dir: Path) -> None:
        self.path = model_dir / ACTIVE_FILE
        self._seen: tuple[int, int, int] | None = None
        self._version: str | None = None

    def version(self) -> str | None:
        """The active version id, or None when no model was ever activated."""
        try:
            st = self.path.stat()
        except FileNotFoundError:
            self._seen = None
            return None
        seen = (st.st_ino, st.st_mtime_ns, st.st_size)
        if seen != self._seen:
            self._version = active_version(self.path.parent)
            self._seen = seen
        return self._version


def read_sidecar(model_dir: Path, version: str) -> dict[str, Any]:
    """The sidecar JSON of a version."""
    path = model_dir / version / SIDECAR_FILE
    if not path.is_file():
        raise ModelNotTrained(f"model version {version!r} has no sidecar in {model_dir}")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def list_versions(model_dir: Path) -> list[str]:
    """Every stored version id, oldest first."""
    if not model_dir.is_dir():
        return []
    return sorted(p.parent.name for p in model_dir.glob(f"*/{SIDECAR_FILE}"))


def load_model(model_dir: Path, version: str | None = None) -> DurablePlacementModel | PriorScorer:
    """Load a version (default: the active one); refuses mismatched versions or features."""
    version = version or active_version(model_dir)
    if version is None:
        raise ModelNotTrained(f"no trained model in {model_dir}: run werkmatch train")
    sidecar = read_sidecar(model_dir, version)
    check_compatible(sidecar)
    model = joblib.load(model_dir / version / MODEL_FILE)
    if not isinstance(model, DurablePlacementModel | PriorScorer):
        raise ModelMismatch(f"{model_dir / version / MODEL_FILE} is not a werkmatch model")
    return dataclasses.replace(model, version=version)


def load_scorer(model_dir: Path) -> Scorer:
    """The active learned model, or the prior when none has been trained.

    A stored model that does not fit this installation is refused (ModelMismatch), never
    silently replaced by the prior.
    """
    try:
        return load_model(model_dir)
    except ModelNotTrained:
        return PriorScorer()


def describe_active(model_dir: Path) -> dict[str, Any]:
    """What scores now: the active model's sidecar, or the prior; flags an unusable model."""
    from matching.scoring.prior import PRIOR_WEIGHTS

    versions = list_versions(model_dir)
    version = active_version(model_dir)
    prior = {
        "kind": "prior",
        "version": PriorScorer().version,
        "features": list(FEATURE_NAMES),
        "prior_weights": dict(PRIOR_WEIGHTS),
        "versions": versions,
        "usable": True,
    }
    if version is None:
        return {**prior, "message": "no trained model: the prior scores (run werkmatch train)"}
    sidecar = read_sidecar(model_dir, version)
    try:
        check_compatible(sidecar)
    except ModelMismatch as error:
        return {**sidecar, "versions": versions, "usable": False, "message": str(error)}
    return {**sidecar, "versions": versions, "usable": True, "message": None}

"""An on-disk cache of the built normalisation indexes, keyed by the reference data and the code.

Building an index (TF-IDF vocabularies, compound splits) takes seconds; loading the pickled
result takes a fraction of that. The key hashes the reference data (``manifest().sha256``), the
source of the modules that build the index, the learned weights and the library versions, so
any change rebuilds. Files live under ``Settings().var_dir / "cache"`` (never in git).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import joblib

if TYPE_CHECKING:
    from matching.normalisation.normaliser import ConceptIndex

_ROOT = Path(__file__).resolve().parents[2]
CODE_FILES: tuple[Path, ...] = (
    _ROOT / "features" / "taxonomy.py",
    _ROOT / "features" / "taxonomy_text.py",
    _ROOT / "features" / "taxonomy_morphology.py",
    _ROOT / "features" / "taxonomy_spelling.py",
    _ROOT / "features" / "taxonomy_evidence.py",
    _ROOT / "matching" / "normalisation" / "normaliser.py",
    _ROOT / "matching" / "normalisation" / "labels.py",
    _ROOT / "matching" / "normalisation" / "weights.json",
)
"""Files whose content decides what a built index holds."""
LIBRARIES: tuple[str, ...] = ("numpy", "scipy", "scikit-learn", "rapidfuzz", "pandas", "joblib")

log = logging.getLogger(__name__)


def cache_key(kind: str, *, reference_sha256: str) -> str:
    """A hex digest of the reference data, the index code, the weights and library versions."""
    digest = hashlib.sha256(f"{kind}\0{reference_sha256}".encode())
    for path in CODE_FILES:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() if path.exists() else b"")
    for name in LIBRARIES:
        digest.update(f"{name}={version(name)}\0".encode())
    return digest.hexdigest()


def cache_path(kind: str, *, directory: Path, key: str) -> Path:
    """Where the index of one kind with one key is stored."""
    return directory / f"normalisation-{kind}-{key[:20]}.joblib"


def load_or_build(
    kind: str, build: Callable[[], ConceptIndex], *, directory: Path, key: str
) -> ConceptIndex:
    """The cached index for ``key``, or ``build()`` it, store it and remove stale versions."""
    path = cache_path(kind, directory=directory, key=key)
    if path.exists():
        try:
            loaded: ConceptIndex = joblib.load(path)
            return loaded
        except Exception as error:
            log.warning("rebuilding the %s index: cache %s unreadable (%s)", kind, path, error)
    concepts = build()
    try:
        _store(concepts, path)
    except OSError as error:  # a read-only var_dir only costs speed
        log.warning("could not cache the %s index in %s (%s)", kind, directory, error)
    return concepts


def _store(concepts: ConceptIndex, path: Path) -> None:
    """Write atomically (temporary file, then rename) and delete older keys of the same kind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(concepts, temporary, compress=0)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    prefix = path.name.rsplit("-", 1)[0] + "-"
    for stale in path.parent.glob(f"{prefix}*.joblib"):
        if stale != path:
            stale.unlink(missing_ok=True)

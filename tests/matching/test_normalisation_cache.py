"""Tests of the on-disk cache of normalisation indexes (keys, load, rebuild, stale files)."""

from __future__ import annotations

from pathlib import Path

from matching.normalisation.cache import cache_key, cache_path, load_or_build


class Counter:
    """A build function that counts its calls and returns a picklable value."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"built": self.calls}


def test_key_depends_on_kind_and_reference_data() -> None:
    key = cache_key("occupation", reference_sha256="a" * 64)
    assert key == cache_key("occupation", reference_sha256="a" * 64)
    assert key != cache_key("occupation", reference_sha256="b" * 64)
    assert key != cache_key("skill", reference_sha256="a" * 64)


def test_builds_once_then_loads(tmp_path: Path) -> None:
    build = Counter()
    first = load_or_build("skill", build, directory=tmp_path, key="k1")  # type: ignore[arg-type]
    second = load_or_build("skill", build, directory=tmp_path, key="k1")  # type: ignore[arg-type]
    assert first == second == {"built": 1}
    assert build.calls == 1


def test_new_key_rebuilds_and_removes_the_stale_file(tmp_path: Path) -> None:
    build = Counter()
    load_or_build("skill", build, directory=tmp_path, key="k1")  # type: ignore[arg-type]
    load_or_build("occupation", build, directory=tmp_path, key="k1")  # type: ignore[arg-type]
    assert load_or_build("skill", build, directory=tmp_path, key="k2") == {"built": 3}  # type: ignore[arg-type]
    assert not cache_path("skill", directory=tmp_path, key="k1").exists()
    assert cache_path("occupation", directory=tmp_path, key="k1").exists()


def test_damaged_file_is_rebuilt(tmp_path: Path) -> None:
    build = Counter()
    cache_path("skill", directory=tmp_path, key="k1").write_bytes(b"not a pickle")
    assert load_or_build("skill", build, directory=tmp_path, key="k1") == {"built": 1}  # type: ignore[arg-type]
    assert load_or_build("skill", build, directory=tmp_path, key="k1") == {"built": 1}  # type: ignore[arg-type]

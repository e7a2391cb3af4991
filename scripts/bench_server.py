"""The API server with its candidate pool tiled at the array level (memory benchmark only).

    .venv/bin/python scripts/bench_server.py --tile 10 --host 127.0.0.1 --port 8123

Runs the same app as ``werkmatch serve`` (one worker, in this process), except that when the
matching context is loaded from the store its candidate pool is repeated ``--tile`` times
(``bench_shortlist.tile``: sparse rows stacked, coordinates jittered; the first copy keeps the
stored candidate ids). A 100k store tiled ten times is a 1M-candidate server without importing
a million rows. Never used outside the benchmarks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_shortlist import tile

import matching.shortlist.context as context_module
from matching.shortlist.context import MatchingContext, context_for

_load = context_module.load_context


def tiled_loader(times: int):  # type: ignore[no-untyped-def]
    """``load_context`` that repeats the pool ``times``."""

    def load(session, *, model_dir, version=None, region=None) -> MatchingContext:  # type: ignore[no-untyped-def]
        context = _load(session, model_dir=model_dir, version=version, region=region)
        if len(context.pool) == 0:
            return context
        pool = tile(context.pool, times)
        copies = [context.pool.ids] + [
            np.array([f"{cid}~{k}" for cid in context.pool.ids], dtype=object)
            for k in range(1, times)
        ]
        pool.ids[:] = np.concatenate(copies)
        del context.pool  # the 1x pool is garbage once tiled
        return context_for(
            pool,
            context.scorer,
            spaces=context.spaces,
            inactive=np.tile(context.inactive, times),
            placed=np.tile(context.placed, times),
            postcode4=np.tile(context.postcode4, times),
            version=context.version,
            model_key=context.model_key,
            region=context.region,
        )

    return load


def main() -> None:
    """Serve with a tiled pool."""
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tile", type=int, default=10)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    context_module.load_context = tiled_loader(args.tile)
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port)


if __name__ == "__main__":
    main()

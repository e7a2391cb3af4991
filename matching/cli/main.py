"""The ``werkmatch`` command line: a thin layer over the ``matching`` Python API.

Every room of commands (``matching.cli.*``) adds itself with its ``register(app)``; other
packages add theirs through the entry-point group ``werkmatch.commands``.
"""

from __future__ import annotations

from importlib.metadata import entry_points

import typer

from matching.cli import (
    access,
    exchange,
    instruments,
    jobs,
    programmes,
    review,
    shortlist,
    store,
    training,
    vum,
    whitespots,
)

app = typer.Typer(
    name="werkmatch",
    help="Employer–candidate matching for municipal re-integration teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

store.register(app)  # werkmatch init-db
exchange.register(app)  # werkmatch import | export | normalise
training.register(app)  # werkmatch train
whitespots.register(app)  # werkmatch whitespots
access.register(app)  # werkmatch users | organisations | candidates | audit
shortlist.register(app)  # werkmatch shortlist | matches | allocate | shortlist-policy
review.register(app)  # werkmatch review | synonyms | crosswalk
vum.register(app)  # werkmatch vum match
programmes.register(app)  # werkmatch programmes list|show|eligible|enrol|phase|end
instruments.register(app)  # werkmatch instruments rules|trainings export|import
jobs.register(app)  # werkmatch jobs list|cancel|run-now|worker


def _register_contributed() -> None:
    """Commands other packages contribute through the entry-point group ``werkmatch.commands``
    (``evaluation`` adds ``evaluate`` and ``bench``, ``api`` adds ``serve``, ``demo`` adds
    ``demo [generate]``): imports point one way, so ``matching``
    never imports them; each entry point is a ``register(app)`` function."""
    for entry in entry_points(group="werkmatch.commands"):
        entry.load()(app)


_register_contributed()


def main() -> None:
    """Entry point of the ``werkmatch`` script."""
    app()


if __name__ == "__main__":
    main()

"""``python -m evaluation``: the same as ``werkmatch evaluate``."""

from __future__ import annotations

import typer

from evaluation.evaluate_command import command


def main() -> None:
    """Run the evaluate command."""
    typer.run(command)


if __name__ == "__main__":
    main()

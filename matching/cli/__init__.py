"""The ``werkmatch`` command line, one module per room of commands (``main`` wires them)."""

from matching.cli.main import app, main

__all__ = ["app", "main"]

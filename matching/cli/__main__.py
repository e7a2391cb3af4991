"""``python -m matching.cli``: the ``werkmatch`` command line."""

from matching.cli.main import main

main()

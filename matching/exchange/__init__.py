"""Import and export of the exchange format (``docs/exchange-format.md``)."""

from matching.exchange.exporting import export_all
from matching.exchange.importing import (
    SUFFIXES,
    TABLE_SUFFIXES,
    ImportOptions,
    Progress,
    import_into,
    import_paths,
)
from matching.exchange.normalising import Normalised, TextNormaliser
from matching.exchange.reading import UnreadableFile
from matching.exchange.report import FileReport, ImportReport, RowError
from matching.exchange.runs import run_import

__all__ = [
    "SUFFIXES",
    "TABLE_SUFFIXES",
    "FileReport",
    "ImportOptions",
    "ImportReport",
    "Normalised",
    "Progress",
    "RowError",
    "TextNormaliser",
    "UnreadableFile",
    "export_all",
    "import_into",
    "import_paths",
    "run_import",
]

"""werkmatch core: domain types, store, exchange format, scoring, shortlists."""

__version__ = "0.1.0"

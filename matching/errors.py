"""The error hierarchy of werkmatch; ``api/errors.py`` maps it to HTTP status codes."""

from __future__ import annotations


class WerkmatchError(Exception):
    """Base class of every error werkmatch raises on purpose."""


class NotFound(WerkmatchError):
    """A requested object does not exist."""


class InvalidInput(WerkmatchError):
    """Input that cannot be accepted; the message says why."""


class Conflict(WerkmatchError):
    """The request clashes with the current state, e.g. a proposal that already exists."""


class ModelNotTrained(WerkmatchError):
    """No usable trained model is available."""


class ModelMismatch(WerkmatchError):
    """A stored model was built with other library versions or features."""


class StoreUnavailable(WerkmatchError):
    """The database cannot be reached."""

"""HTTP API and pages of werkmatch."""

from api.app import create_app

__all__ = ["create_app"]

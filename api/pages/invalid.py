"""A page address with a value the page cannot read: a Dutch error page, not JSON.

API routes keep the JSON 422 of ``api.errors``; a browser asking for a page (``wants_html``)
gets the error page naming the parameter and the value, with a link to the page without it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response

from api.errors import dutch_message, validation_error
from api.pages.access import wants_html
from api.pages.rendering import error_page
from matching.bsn import contains_bsn

CHOICES = ("literal_error", "enum", "string_pattern_mismatch")
"""Error types of a value that is not one of the page's own choices."""


def is_page(request: Request) -> bool:
    """True when the request was routed to a page (its router's tag starts with ``pages-``)."""
    route = request.scope.get("route")
    return any(str(tag).startswith("pages-") for tag in getattr(route, "tags", None) or ())


def _message(error: dict[str, Any]) -> str:
    """One problem in words: the parameter by its name in the address, the value as typed."""
    field = str(error.get("loc", ("", "?"))[-1])
    value = error.get("input")
    if error.get("type") == "missing":
        return f"Bij '{field}' ontbreekt een waarde."
    reason = (
        "dat is geen van de keuzes op deze pagina."
        if error.get("type") in CHOICES
        else dutch_message(error)[:1].lower() + dutch_message(error)[1:]
    )
    if not isinstance(value, str) or contains_bsn(value) or len(value) > 60:
        return f"De waarde bij '{field}' klopt niet: {reason}"
    return f"De waarde '{value}' bij '{field}' klopt niet: {reason}"


def _back(request: Request, errors: list[dict[str, Any]]) -> str | None:
    """The page without the parameters that could not be read (None when not a query's: a
    form's way back is its own page, ``rendering.form_origin``)."""
    if request.method != "GET" or any(e.get("loc", ("",))[0] != "query" for e in errors):
        return None
    bad = {str(e["loc"][-1]) for e in errors}
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in bad]
    return request.url.path + (f"?{urlencode(kept)}" if kept else "")


async def page_validation_error(request: Request, exc: Exception) -> Response:
    """The Dutch error page (422) for a page; the API's JSON answer for everything else."""
    assert isinstance(exc, RequestValidationError)
    if not (is_page(request) and wants_html(request)):
        return await validation_error(request, exc)
    errors = list(exc.errors())
    message = " ".join(_message(error) for error in errors)
    return error_page(request, 422, message, back=_back(request, errors))

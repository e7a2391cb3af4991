"""/docs and /redoc in Chromium: the API documentation renders from local assets under its CSP
(no console errors, no CSP violations, no answer from another site)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.pages.conftest import DemoSite

pytestmark = pytest.mark.browser
# ReDoc always shows Redocly's logo from its CDN (no option turns it off); the CSP blocks it and
# ReDoc hides the broken image: the one console error expected, and the proof nothing leaks.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/docs", ".swagger-ui .opblock-summary-path"), ("/redoc", "[data-section-id]")],
)
def test_docs_render_under_their_csp(
    chromium: Any, demo_site: DemoSite, path: str, rendered: str
) -> None:
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    answered: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("response", lambda response: answered.append(response.url))
    try:
        response = page.goto(demo_site.url(path))
        assert response is not None and response.status == 200
        page.wait_for_selector(rendered, timeout=20_000)
        assert "/healthz" in page.inner_text("body")  # the operations come from /openapi.json
        assert [e for e in errors if REDOC_LOGO not in e] == []
        local = (demo_site.base_url, "data:", "blob:")
        assert [url for url in answered if not url.startswith(local)] == []
    finally:
        context.close()

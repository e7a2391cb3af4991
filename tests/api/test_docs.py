"""/docs and /redoc: served from local assets, no inline script, a CSP without CDNs."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from api.docs import ASSETS

pytestmark = pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # database-independent

SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.S)
LINKS = re.compile(r'(?:src|href|spec-url|data-openapi-url)="([^"]*)"')


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_pages_load_only_local_assets(anonymous_client: TestClient, path: str) -> None:
    page = anonymous_client.get(path)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    scripts = SCRIPT.findall(page.text)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    links = LINKS.findall(page.text)
    assert links and all(link.startswith("/") and not link.startswith("//") for link in links)
    for link in links:
        asset = anonymous_client.get(link)
        assert asset.status_code == 200, link
        assert len(asset.content) > 20, link
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp  # no 'unsafe-inline', no CDN host
    assert "http" not in csp and "frame-ancestors 'none'" in csp


def test_docs_assets_are_the_bundles(anonymous_client: TestClient) -> None:
    bundle = anonymous_client.get(f"{ASSETS}/swagger-ui-bundle.js")
    assert "javascript" in bundle.headers["content-type"]
    assert b"SwaggerUIBundle" in bundle.content and len(bundle.content) > 500_000
    start = anonymous_client.get(f"{ASSETS}/swagger-start.js").text
    assert "SwaggerUIBundle(" in start and "dataset.openapiUrl" in start
    assert anonymous_client.get(f"{ASSETS}/../app.py").status_code == 404
    assert anonymous_client.get("/docs/oauth2-redirect").status_code in (401, 404)


def test_redoc_fetches_nothing_from_a_cdn(anonymous_client: TestClient) -> None:
    bundle = anonymous_client.get(f"{ASSETS}/redoc.standalone.js")
    assert bundle.status_code == 200 and b"Redoc" in bundle.content
    assert b"cdn.redoc.ly" not in bundle.content
    assert f"{ASSETS}/redoc-logo.svg".encode() in bundle.content
    assert anonymous_client.get(f"{ASSETS}/redoc-logo.svg").status_code == 200

"""The API documentation pages, Swagger UI (/docs) and ReDoc (/redoc), from local assets.

The bundles come from the ``fastapi-offline`` package (Swagger UI 5, ReDoc), our start script
from ``api/docs_assets``; both are served under ``/docs-assets``. Nothing is loaded from a CDN
and the pages run no inline script, so their CSP (``api.middleware.DOCS_CSP``) allows scripts
from this site only.
"""

from __future__ import annotations

import functools
from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"
HERE = Path(__file__).resolve().parent / "docs_assets"
SWAGGER = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} – API (Swagger UI)</title>
  <link rel="icon" href="{assets}/favicon.png">
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{openapi}"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="{assets}/swagger-start.js"></script>
</body>
</html>
"""
REDOC = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} – API (ReDoc)</title>
  <link rel="icon" href="{assets}/favicon.png">
</head>
<body>
  <redoc spec-url="{openapi}"></redoc>
  <script src="{assets}/redoc.standalone.js"></script>
</body>
</html>
"""


REDOC_CDN_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


@functools.cache
def redoc_bundle() -> bytes:
    """ReDoc's bundle with its one CDN address (the sidebar logo) pointed at our own copy."""
    bundle = files("fastapi_offline").joinpath("static", "redoc.standalone.js").read_bytes()
    return bundle.replace(REDOC_CDN_LOGO, f"{ASSETS}/redoc-logo.svg".encode())


def install(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets (create the app with ``docs_url=None``)."""

    @app.get(f"{ASSETS}/redoc.standalone.js", include_in_schema=False)
    def redoc_script() -> Response:
        return Response(redoc_bundle(), media_type="text/javascript; charset=utf-8")

    app.mount(
        ASSETS,
        StaticFiles(directory=HERE, packages=[("fastapi_offline", "static")]),
        name="docs-assets",
    )
    fields = {"title": escape(app.title), "assets": ASSETS, "openapi": app.openapi_url or ""}

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(SWAGGER.format(**fields))

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(REDOC.format(**fields))

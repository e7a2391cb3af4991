"""The scoring model in use (``GET /model``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import SettingsDep
from api.errors import error_responses
from api.schemas.model import ModelPublic
from matching.scoring.card import active_documents
from matching.scoring.model_versions import describe_active

router = APIRouter(tags=["model"], responses=error_responses(401, 403, 503))


@router.get("/model", response_model=ModelPublic)
def get_model(settings: SettingsDep) -> ModelPublic:
    """The active trained model with its metrics, or the prior when none is trained."""
    return ModelPublic.model_validate(describe_active(settings.resolved_model_dir()))


MARKDOWN = "text/markdown; charset=utf-8"


DOCUMENT_ROUTES = {
    "/model/card": ("model-card.md", "The model card (Markdown)"),
    "/model/algoritmeregister": ("algoritmeregister.md", "The algoritmeregister entry (Markdown)"),
}


def _document_route(path: str, name: str, what: str) -> None:
    @router.get(
        path,
        response_class=Response,
        responses={
            200: {"content": {MARKDOWN: {"schema": {"type": "string"}}}},
            **error_responses(404),
        },
        summary=what,
        description=f"{what} of the active trained model; 404 while the prior scores.",
    )
    def get_document(settings: SettingsDep) -> Response:
        text = active_documents(settings.resolved_model_dir())[name]
        return Response(text, media_type=MARKDOWN)


for _path, (_name, _what) in DOCUMENT_ROUTES.items():
    _document_route(_path, _name, _what)

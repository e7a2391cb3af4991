"""The scoring model in use (``GET /model``)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from api.deps import SettingsDep
from api.errors import error_responses
from api.schemas.model import ModelPublic
from matching.scoring.card import active_documents
from matching.scoring.registry import describe_active

router = APIRouter(tags=["model"], responses=error_responses(401, 403, 503))


@router.get("/model", response_model=ModelPublic)
def get_model(settings: SettingsDep) -> ModelPublic:
    """The active trained model with its metrics, or the prior when none is trained."""
    return ModelPublic.model_validate(describe_active(settings.resolved_model_dir()))


MARKDOWN = "text/markdown; charset=utf-8"


@router.get(
    "/model/card",
    response_class=Response,
    responses={
        200: {"content": {MARKDOWN: {"schema": {"type": "string"}}}},
        **error_responses(404),
    },
)
def get_model_card(settings: SettingsDep) -> Response:
    """The model card (Markdown) of the active trained model; 404 while the prior scores."""
    text = active_documents(settings.resolved_model_dir())["model-card.md"]
    return Response(text, media_type=MARKDOWN)


@router.get(
    "/model/algoritmeregister",
    response_class=Response,
    responses={
        200: {"content": {MARKDOWN: {"schema": {"type": "string"}}}},
        **error_responses(404),
    },
)
def get_algorithm_register(settings: SettingsDep) -> Response:
    """The algoritmeregister entry (Markdown) of the active trained model; 404 for the prior."""
    text = active_documents(settings.resolved_model_dir())["algoritmeregister.md"]
    return Response(text, media_type=MARKDOWN)

"""The scoring model in use (``GET /model``)."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import SettingsDep
from api.errors import error_responses
from api.schemas.model import ModelPublic
from matching.scoring.registry import describe_active

router = APIRouter(tags=["model"], responses=error_responses(401, 403, 503))


@router.get("/model", response_model=ModelPublic)
def get_model(settings: SettingsDep) -> ModelPublic:
    """The active trained model with its metrics, or the prior when none is trained."""
    return ModelPublic.model_validate(describe_active(settings.resolved_model_dir()))

"""Settings: one pydantic-settings class, environment prefix ``WERKMATCH_``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_VAR_DIR = Path("var")


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``WERKMATCH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="WERKMATCH_", extra="ignore")

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file under var_dir.",
    )
    var_dir: Path = Field(default=DEFAULT_VAR_DIR, description="Where local state lives.")
    model_dir: Path | None = Field(default=None, description="Trained models; default var/models.")
    normalise_threshold: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Below this confidence a free-text item is kept as text and flagged.",
    )
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, gt=0)
    page_size_max: int = Field(default=500, gt=0)

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``sqlite:///<var_dir>/werkmatch.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'werkmatch.db').as_posix()}"

    def resolved_model_dir(self) -> Path:
        """Directory holding trained model versions."""
        return self.model_dir if self.model_dir is not None else self.var_dir / "models"

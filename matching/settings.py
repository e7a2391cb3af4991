"""Settings: one pydantic-settings class, environment prefix ``WERKMATCH_``."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from matching.plausibility import DateWindow

DEFAULT_VAR_DIR = Path("var")


class Settings(BaseSettings):
    """Runtime configuration; every field can be set as ``WERKMATCH_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="WERKMATCH_", extra="ignore")

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file under var_dir.",
    )
    database_replica_url: str = Field(
        default="",
        description="SQLAlchemy URL of a read replica; empty means every read goes to the "
        "primary. Matching pools, pages' matching and reports read from it (docs/scaling.md).",
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
    mode: Literal["development", "production"] = Field(
        default="development",
        description="production refuses to start without WERKMATCH_SECRET_KEY.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Signs CSRF tokens and salts erased-candidate traces; required in production.",
    )
    audit_retention_days: int = Field(
        default=200, ge=183, description="Audit rows are kept at least this long (≥ 6 months)."
    )
    session_hours: int = Field(default=8, gt=0, le=24 * 7, description="Login session lifetime.")
    login_attempts_per_minute: int = Field(
        default=5, gt=0, description="Login attempts per user name and IP address per minute."
    )
    login_failures_per_account: int = Field(
        default=10, gt=0, description="Failed logins per user name per minute, from any address."
    )
    login_failures_per_ip: int = Field(
        default=20, gt=0, description="Failed logins per IP address per minute, any user name."
    )
    login_failures_per_minute: int = Field(
        default=100, gt=0, description="Failed logins per minute in all (password spraying)."
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks of reverse proxies whose "
        "X-Forwarded-For/-Proto headers are believed; empty: none (the peer is the client).",
    )
    concurrent_requests: int = Field(
        default=16,
        ge=1,
        le=200,
        description="Server: requests a worker process works on at once (more wait their "
        "turn); the database pool keeps as many connections.",
    )
    fallback_threshold: float = Field(
        default=0.35,
        ge=0.0,
        le=1.0,
        description="Shortlists: least p_durable of an own-municipality candidate before "
        "candidates of other municipalities are added (cross-municipality fallback).",
    )
    fallback_radius_km: float = Field(
        default=25.0, ge=0.0, description="Shortlists: reach of the 'nearby' fallback level."
    )
    max_proposals_per_candidate: int = Field(
        default=2, ge=1, description="Allocation: concurrent proposals per candidate."
    )
    vum_max_results: int = Field(
        default=100, ge=1, le=1000, description="VUM source: results per zoekvraag at most."
    )

    jobs_worker: bool = Field(
        default=True,
        description="PostgreSQL: every API process also runs a job worker (procrastinate) in "
        "its lifespan; false when only `werkmatch jobs worker` processes run jobs.",
    )
    jobs_max_attempts: int = Field(
        default=2, ge=1, le=10, description="PostgreSQL: tries of a job whose worker died."
    )
    jobs_stalled_seconds: int = Field(
        default=60, ge=10, description="PostgreSQL: a worker silent this long is taken for dead."
    )
    jobs_keep_days: int = Field(
        default=14, ge=1, description="Finished jobs (and their results) are kept this long."
    )
    jobs_allocation_cron: str = Field(
        default="30 2 * * *",
        description="PostgreSQL: when the nightly allocation runs (cron, UTC); empty: never.",
    )
    jobs_training_cron: str = Field(
        default="0 4 * * 0",
        description="PostgreSQL: when the model is retrained (cron, UTC); empty: never.",
    )

    plausible_years_back: int = Field(
        default=50, ge=1, le=200, description="Dates more years before today are refused."
    )
    plausible_years_ahead: int = Field(
        default=10, ge=1, le=200, description="Dates more years after today are refused."
    )

    @model_validator(mode="after")
    def _secret_key_in_production(self) -> Settings:
        """In production a secret key of at least 32 characters must be configured."""
        if self.mode == "production":
            key = self.secret_key.get_secret_value() if self.secret_key else ""
            if len(key) < 32:
                raise ValueError(
                    "WERKMATCH_SECRET_KEY must be set (at least 32 characters) in production mode"
                )
        return self

    @field_validator("jobs_allocation_cron", "jobs_training_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        """Empty or five cron fields (``30 2 * * *``)."""
        value = value.strip()
        if value and len(value.split()) != 5:
            raise ValueError(f"not a cron expression of five fields: {value!r}")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxy_networks(cls, value: str) -> str:
        """Each entry an IP address or network (``10.0.0.0/8``); no wildcard."""
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError as error:
                raise ValueError(f"not an IP address or network: {entry!r}") from error
        return ",".join(entries)

    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``sqlite:///<var_dir>/werkmatch.db``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'werkmatch.db').as_posix()}"

    def resolved_model_dir(self) -> Path:
        """Directory holding trained model versions."""
        return self.model_dir if self.model_dir is not None else self.var_dir / "models"

    def date_window(self) -> DateWindow:
        """The plausible dates: from ``plausible_years_back`` before to ``…_ahead`` after today."""
        return DateWindow(self.plausible_years_back, self.plausible_years_ahead)

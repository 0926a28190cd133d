"""Settings from the environment (prefix SONAE_) or a .env file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
"""The checkout this package was installed from (editable install)."""

LOCALDB_DEFAULT_PORT = 55432


def local_cluster_url(root: Path = PROJECT_ROOT, port: int = LOCALDB_DEFAULT_PORT) -> str:
    """URL of the private cluster that backend/scripts/localdb.sh runs under var/."""
    return f"postgresql+psycopg://postgres@/sonae?host={root / 'var' / 'pg' / 'run'}&port={port}"


def key_file_problem(path: Path) -> str | None:
    """Why the My Number key file is unfit for production, or None. Never prints the key."""
    if not path.is_file():
        return f"the My Number key file {path} is missing (SONAE_MY_NUMBER_KEY_FILE)"
    if path.stat().st_mode & 0o077:
        return f"the My Number key file {path} is readable by others: chmod 600"
    text = path.read_text().strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        return f"the My Number key file {path} does not hold 64 hex characters"
    if len(set(key)) < 8:
        return f"the My Number key file {path} holds a placeholder, not a random key"
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SONAE_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; unset means the private cluster under var/ (make demo/test).",
    )
    localdb_port: int = LOCALDB_DEFAULT_PORT
    default_municipality: str = Field(default="122271", pattern=r"^\d{6}$")
    data_dir: Path = PROJECT_ROOT / "data"
    base_tiles_url: str | None = Field(
        default=None,
        description="Optional XYZ tile URL on the municipal network; none means no base tiles.",
    )
    base_tiles_attribution: str | None = None
    outside_tolerance_m: float = Field(
        default=300.0,
        ge=0,
        description="How far outside the municipal outline an imported feature may lie.",
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description="production refuses to create secrets on its own",
    )
    my_number_key_file: Path = Field(
        default=PROJECT_ROOT / "var" / "secrets" / "my_number.key",
        description="64 hex characters; created (mode 0600) only in development",
    )
    log_level: str = "INFO"
    log_json: bool = False
    token_ttl_minutes: int = Field(
        default=480, ge=5, le=7 * 24 * 60, description="lifetime of a login (bearer or cookie)"
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description="origins allowed to call the API from a browser (JSON list); none by default",
    )
    db_pool_size: int = Field(
        default=8,
        ge=1,
        le=64,
        description="database connections per server process, and requests at once that use one",
    )
    max_body_bytes: int = Field(
        default=10 * 1024 * 1024, ge=1024, description="larger request bodies get 413"
    )

    @model_validator(mode="after")
    def _tiles_need_their_credit(self) -> Settings:
        if self.base_tiles_url and not self.base_tiles_attribution:
            raise ValueError(
                "SONAE_BASE_TILES_URL needs SONAE_BASE_TILES_ATTRIBUTION (tile credits)"
            )
        return self

    @model_validator(mode="after")
    def _production_needs_real_secrets(self) -> Settings:
        if self.environment == "production":
            problem = key_file_problem(self.my_number_key_file)
            if problem:
                raise ValueError(f"refusing to start in production: {problem}")
            if not self.database_url:
                raise ValueError("refusing to start in production: set SONAE_DATABASE_URL")
        return self

    def resolved_database_url(self) -> str:
        return self.database_url or local_cluster_url(port=self.localdb_port)


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Survey photos: stored as files under a configurable directory, recorded by path and sha256.

The type is taken from the file's first bytes, not from the name or the client's header: only
JPEG, PNG and WebP are kept (what field cameras and phones produce).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from sonae.config import PROJECT_ROOT
from sonae.damage.models import DamageSurvey, SurveyPhoto
from sonae.errors import ConflictError, InvalidInputError


class PhotoSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SONAE_", env_file=".env", extra="ignore")

    damage_photo_dir: Path = Field(
        default=PROJECT_ROOT / "var" / "damage_photos",
        description="where survey photos are written (SONAE_DAMAGE_PHOTO_DIR)",
    )
    damage_photo_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)


MAGIC: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xff\xd8\xff", 0, "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png", "png"),
    (b"WEBP", 8, "image/webp", "webp"),
)


def sniff(content: bytes, *, source: str = "photo") -> tuple[str, str]:
    """(content type, suffix) from the magic bytes, or InvalidInputError naming the source (where
    in the request the bytes came from)."""
    for magic, offset, content_type, suffix in MAGIC:
        if content[offset : offset + len(magic)] == magic:
            if content_type == "image/webp" and not content.startswith(b"RIFF"):
                continue
            return content_type, suffix
    raise InvalidInputError(f"{source}: not a JPEG, PNG or WebP image")


def store_photo(
    *,
    session: Session,
    survey: DamageSurvey,
    content: bytes,
    uploaded_by: str,
    settings: PhotoSettings | None = None,
    source: str = "photo",
) -> SurveyPhoto:
    """source: where in the request the bytes came from, for the messages (the file part)."""
    settings = settings or PhotoSettings()
    if not content:
        raise InvalidInputError(f"{source}: empty file")
    if len(content) > settings.damage_photo_max_bytes:
        raise InvalidInputError(
            f"{source}: {len(content)} bytes, more than {settings.damage_photo_max_bytes}"
        )
    content_type, suffix = sniff(content, source=source)
    digest = hashlib.sha256(content).hexdigest()
    duplicate = session.scalar(
        select(SurveyPhoto.id).where(
            SurveyPhoto.municipality_code == survey.municipality_code,
            SurveyPhoto.survey_id == survey.id,
            SurveyPhoto.sha256 == digest,
        )
    )
    if duplicate is not None:
        raise ConflictError(f"photo already attached to survey {survey.id} (photo {duplicate})")
    # Content-addressed: the same picture under two surveys is one file, and a file is never
    # overwritten with other bytes.
    relative = Path(survey.municipality_code) / str(survey.event_id) / f"{digest}.{suffix}"
    target = settings.damage_photo_dir / relative
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(content)
        partial.replace(target)
    photo = SurveyPhoto(
        municipality_code=survey.municipality_code,
        survey_id=survey.id,
        path=str(relative),
        sha256=digest,
        content_type=content_type,
        size_bytes=len(content),
        uploaded_by=uploaded_by,
    )
    session.add(photo)
    session.flush()
    return photo


def list_photos(*, session: Session, survey: DamageSurvey) -> list[SurveyPhoto]:
    return list(
        session.scalars(
            select(SurveyPhoto)
            .where(
                SurveyPhoto.municipality_code == survey.municipality_code,
                SurveyPhoto.survey_id == survey.id,
            )
            .order_by(SurveyPhoto.id)
        )
    )

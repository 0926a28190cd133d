"""Welfare records (福祉情報) held by the welfare department, linked by 宛名番号 only."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Enum,
    ForeignKeyConstraint,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin
from sonae.database.core import Base


class CareLevel(enum.StrEnum):
    """介護保険の要介護状態区分."""

    support_1 = "support_1"
    support_2 = "support_2"
    care_1 = "care_1"
    care_2 = "care_2"
    care_3 = "care_3"
    care_4 = "care_4"
    care_5 = "care_5"


CARE_LEVEL_LABELS = {
    CareLevel.support_1: "要支援1",
    CareLevel.support_2: "要支援2",
    CareLevel.care_1: "要介護1",
    CareLevel.care_2: "要介護2",
    CareLevel.care_3: "要介護3",
    CareLevel.care_4: "要介護4",
    CareLevel.care_5: "要介護5",
}


class WelfareRecord(MunicipalMixin, Base):
    """What the welfare systems know of one person, as of the last welfare import."""

    __tablename__ = "welfare_record"
    __table_args__ = (
        UniqueConstraint("municipality_code", "person_id"),
        ForeignKeyConstraint(
            ["municipality_code", "person_id"],
            ["person.municipality_code", "person.id"],
            ondelete="CASCADE",
        ),
    )

    person_id: Mapped[int] = mapped_column(BigInteger)
    care_level: Mapped[CareLevel | None] = mapped_column(Enum(CareLevel, name="care_level"))
    physical_disability_grade: Mapped[int | None] = mapped_column(SmallInteger)
    """身体障害者手帳 1–6級."""
    physical_disability_type: Mapped[str | None] = mapped_column(String(40))
    """視覚, 聴覚・平衡, 音声・言語, 肢体不自由, 内部."""
    intellectual_disability_grade: Mapped[str | None] = mapped_column(String(4))
    """療育手帳 A (重度) or B."""
    mental_disability_grade: Mapped[int | None] = mapped_column(SmallInteger)
    """精神障害者保健福祉手帳 1–3級."""
    intractable_disease: Mapped[bool] = mapped_column(Boolean, default=False)
    """指定難病の医療受給者証."""
    language_need: Mapped[str | None] = mapped_column(String(40))
    """Language support needed (e.g. 英語, 中国語, やさしい日本語)."""
    phone: Mapped[str | None] = mapped_column(String(20))
    self_request: Mapped[bool] = mapped_column(Boolean, default=False)
    """手上げ: asked to be listed."""
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

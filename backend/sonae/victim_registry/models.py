"""The supports the victim registry records itself, and to whom its data went.

Livelihood payments and temporary housing live in their own features; donations (義援金), fee
exemptions (減免) and other supports are recorded here, per household (and person if given).
The ordinance's "to whom data was provided" is kept as provisions.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Literal, get_args

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    Enum,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from sonae.database.columns import MunicipalMixin, municipal_fk
from sonae.database.core import Base

# The registry's items (法第90条の3 第2項, 施行規則 第8条の5, and what ordinances add): the
# columns of its export, and what a provision may name as provided. The personal number is
# not among them: it never leaves the system in a file or to a recipient (security.my_number).
RegistryItem = Literal[
    "災害番号", "世帯番号", "宛名番号", "氏名", "氏名フリガナ", "生年月日", "性別", "続柄",
    "住所又は居所", "電話番号", "要配慮者", "要配慮者である事由", "住家の被害の程度",
    "罹災証明書番号", "罹災証明書交付日", "被災者生活再建支援金", "応急仮設住宅",
    "義援金・減免その他の援護", "安否・避難所", "台帳情報の提供先",
]  # fmt: skip
REGISTRY_ITEMS: tuple[str, ...] = get_args(RegistryItem)


class SupportGivenKind(enum.StrEnum):
    donation = "donation"
    """義援金"""
    fee_exemption = "fee_exemption"
    """税・保険料・手数料の減免"""
    goods = "goods"
    """物資"""
    other = "other"


SUPPORT_GIVEN_LABELS: dict[SupportGivenKind, str] = {
    SupportGivenKind.donation: "義援金",
    SupportGivenKind.fee_exemption: "減免",
    SupportGivenKind.goods: "物資",
    SupportGivenKind.other: "その他の援護",
}


class VictimSupport(MunicipalMixin, Base):
    __tablename__ = "victim_support"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        Index("ix_victim_support_household", "municipality_code", "event_id", "household_number"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    household_number: Mapped[str] = mapped_column(String(15))
    person_id: Mapped[int | None] = mapped_column(BigInteger)
    kind: Mapped[SupportGivenKind] = mapped_column(
        Enum(SupportGivenKind, name="victim_support_kind")
    )
    description: Mapped[str] = mapped_column(String(300))
    """What exactly: 第1次義援金, 国民健康保険料 減免, 住民税 減免…"""
    amount: Mapped[int | None] = mapped_column(Integer)
    """Yen, when the support is money (or the exempted amount)."""
    given_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )


class VictimDataProvision(MunicipalMixin, Base):
    """被災者台帳情報の提供 (法第90条の4): to whom, why and which items, per household."""

    __tablename__ = "victim_data_provision"
    __table_args__ = (
        municipal_fk("event_id", "disaster_event"),
        Index("ix_victim_provision_household", "municipality_code", "event_id", "household_number"),
    )

    event_id: Mapped[int] = mapped_column(BigInteger)
    household_number: Mapped[str] = mapped_column(String(15))
    recipient: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    items: Mapped[list[str]] = mapped_column(ARRAY(String(50)))
    provided_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )

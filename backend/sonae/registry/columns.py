"""The registry file's columns (docs/registry_format.md) and the labels its cells may hold."""

from __future__ import annotations

from dataclasses import dataclass

from sonae.registry.models import ChangeKind, ResidentKind, ResidentStatus, Sex


@dataclass(frozen=True)
class Column:
    header: str
    """The Japanese column name in the file's header row."""
    field: str
    """The attribute it fills (Person.<field>, or a file-only value such as my_number)."""
    required: bool = False
    """A value is required in every row (the column must then also be in the header)."""
    max_length: int | None = None
    """Longest value the database column holds."""


ADDRESS_NUMBER = "宛名番号"
HOUSEHOLD_NUMBER = "世帯番号"
MY_NUMBER = "個人番号"
CHANGE = "異動事由"
EFFECTIVE_ON = "異動日"

REGISTRY_COLUMNS: tuple[Column, ...] = (
    Column(ADDRESS_NUMBER, "address_number", required=True),
    Column(HOUSEHOLD_NUMBER, "household_number", required=True),
    Column("住民種別", "resident_kind", required=True),
    Column("住民状態", "status", required=True),
    Column("氏名", "name", required=True, max_length=100),
    Column("氏名フリガナ", "name_kana", max_length=100),
    Column("氏名（アルファベット）", "name_roman", max_length=200),
    Column("旧氏", "former_surname", max_length=50),
    Column("生年月日", "birth_date", required=True),
    Column("性別", "sex", required=True),
    Column("続柄", "relation_to_head", required=True, max_length=20),
    Column("住所", "address_text", required=True, max_length=300),
    Column("方書", "address_annex", max_length=200),
    Column(MY_NUMBER, "my_number"),
    Column("住民票コード", "resident_code"),
    Column("住民となった年月日", "became_resident_on"),
    Column("住所を定めた年月日", "address_since"),
    Column("国籍・地域", "nationality", max_length=60),
    Column("在留資格", "residence_status", max_length=60),
)

CHANGE_COLUMNS: tuple[Column, ...] = (
    Column(CHANGE, "change", required=True),
    Column(EFFECTIVE_ON, "effective_on", required=True),
)

DATE_FIELDS = ("birth_date", "became_resident_on", "address_since", "effective_on")
NUMBERED_FIELDS = {"address_number": 10, "household_number": 10, "resident_code": 11}
"""Digit-only cells and their length (個人番号 has its own rule, in security.my_number)."""

RESIDENT_KINDS = {"日本人住民": ResidentKind.japanese, "外国人住民": ResidentKind.foreign}
STATUSES = {
    "住民": ResidentStatus.resident,
    "転出": ResidentStatus.moved_out,
    "死亡": ResidentStatus.deceased,
    "消除": ResidentStatus.erased,
}
SEXES = {"男": Sex.male, "女": Sex.female}
CHANGES = {
    "転入": ChangeKind.moved_in,
    "出生": ChangeKind.birth,
    "転出": ChangeKind.moved_out,
    "死亡": ChangeKind.death,
    "転居": ChangeKind.address_change,
    "世帯変更": ChangeKind.household_change,
    "職権修正": ChangeKind.correction,
}
LABELS: dict[str, dict[str, str]] = {
    "resident_kind": {k: v.value for k, v in RESIDENT_KINDS.items()},
    "status": {k: v.value for k, v in STATUSES.items()},
    "sex": {k: v.value for k, v in SEXES.items()},
    "change": {k: v.value for k, v in CHANGES.items()},
}
"""Cells that must hold one of a fixed set of Japanese labels, and the stored value of each."""

STATUS_AFTER_CHANGE: dict[ChangeKind, ResidentStatus | None] = {
    ChangeKind.moved_in: ResidentStatus.resident,
    ChangeKind.birth: ResidentStatus.resident,
    ChangeKind.address_change: ResidentStatus.resident,
    ChangeKind.household_change: ResidentStatus.resident,
    ChangeKind.moved_out: ResidentStatus.moved_out,
    ChangeKind.death: ResidentStatus.deceased,
    ChangeKind.correction: None,
}
"""The 住民状態 a change file row must carry after each 異動事由 (None: any)."""


def header_of(field: str) -> str:
    """The Japanese column name of a field, for messages."""
    for column in (*REGISTRY_COLUMNS, *CHANGE_COLUMNS):
        if column.field == field:
            return column.header
    return field

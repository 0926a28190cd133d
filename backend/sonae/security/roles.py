"""Who may do what: roles, permissions, and the principal a request acts as.

Roles are operational and do not nest: admin manages users but does not implicitly hold hq,
welfare or any other operational role (a system administrator has no business reading residents'
records). A permission is an extra right on top of a role, e.g. reading personal numbers.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    hq = "hq"
    """災害対策本部: headquarters, sees the whole municipality"""
    welfare = "welfare"
    """福祉部局: welfare department, keeps the support list"""
    shelter_staff = "shelter_staff"
    """避難所職員: staff of the shelters in Principal.shelter_ids"""
    supporter = "supporter"
    """避難支援等関係者 (民生委員, 自主防災組織…): sees Principal.district only"""
    auditor = "auditor"
    """監査: reads the audit trail, nothing else"""
    admin = "admin"
    """システム管理者: manages users, no operational data"""


ROLE_LABELS: dict[Role, str] = {
    Role.hq: "災害対策本部",
    Role.welfare: "福祉部局",
    Role.shelter_staff: "避難所職員",
    Role.supporter: "避難支援等関係者",
    Role.auditor: "監査",
    Role.admin: "システム管理者",
}


class Permission(enum.StrEnum):
    my_number_read = "my_number_read"
    """特定個人情報: may see a personal number, for a stated purpose, audited"""


@dataclass(frozen=True)
class Principal:
    """The authenticated user a request acts as. Carries no secret."""

    user_id: int
    username: str
    roles: frozenset[Role]
    municipality_code: str
    district: str | None = None
    """A supporter's district: a chome name without its 丁目 number (chome.districts)."""
    shelter_ids: frozenset[int] = frozenset()
    """The shelters a shelter_staff user works in."""
    permissions: frozenset[Permission] = frozenset()

    def has(self, *roles: Role) -> bool:
        """True when the principal holds at least one of the roles."""
        return any(role in self.roles for role in roles)

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

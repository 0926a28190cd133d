"""The audit trail: who read or changed which person's data, when, and for what purpose."""

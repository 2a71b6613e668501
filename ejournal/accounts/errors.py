"""Stable codes of the refusals about people, roles and passwords (docs/api-errors.md)."""

from __future__ import annotations

from enum import StrEnum


class AccountsCode(StrEnum):
    WRONG_PASSWORD = "accounts.wrong_password"
    TOO_MANY_ATTEMPTS = "accounts.too_many_attempts"
    WEAK_PASSWORD = "accounts.weak_password"
    UNKNOWN_ROLE = "accounts.unknown_role"
    STUDENT_ROLE_CONFLICT = "accounts.student_role_conflict"
    LOGIN_TAKEN = "accounts.login_taken"
    OWN_ACCOUNT = "accounts.own_account"
    BAD_SNILS = "accounts.bad_snils"

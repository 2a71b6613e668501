"""Stable codes of the support requests' and training sessions' refusals (docs/api-errors.md)."""

from __future__ import annotations

from enum import StrEnum


class SupportCode(StrEnum):
    CLOSED = "support.closed"
    FILE_TOO_LARGE = "support.file_too_large"
    BAD_FILE_TYPE = "support.bad_file_type"
    NO_SUPPORT_ADDRESS = "support.no_support_address"
    SESSION_FULL = "support.session_full"
    NOT_AUDIENCE = "support.not_audience"
    SESSION_PAST = "support.session_past"

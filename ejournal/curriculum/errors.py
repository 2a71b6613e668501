"""Stable codes of the curriculum's refusals (docs/api-errors.md)."""

from __future__ import annotations

from enum import StrEnum


class CurriculumCode(StrEnum):
    BAD_PLAN_FILE = "curriculum.bad_plan_file"

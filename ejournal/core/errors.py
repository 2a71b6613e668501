"""Domain errors: each carries a Russian message for the user and an HTTP status for views and the API."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the school was broken; nothing was saved."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """Outside the user's scope: shown as 404 so that existence is not revealed."""

    status = 404

    def __init__(self, message: str = "Не найдено.") -> None:
        super().__init__(message)


class Forbidden(DomainError):
    status = 403


class ValidationFailed(DomainError):
    status = 422


class Conflict(DomainError):
    status = 409

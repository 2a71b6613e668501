"""Forms of signing in: the login form with lockout, the password reset request with a rate limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind
from ejournal.audit.services import client_ip, record

from . import lockout
from .mail import send_reset_letter


class LockoutAuthenticationForm(AuthenticationForm):
    """Five failures for one login from one address within 15 minutes lock that pair (settings)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        key = lockout.key_for(username, client_ip(self.request))
        lock = lockout.locked(lockout.LOGIN, key)
        if lock is not None:
            raise ValidationError(lock.message(), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            if username and self.cleaned_data.get("password"):
                lock = lockout.register_failure(lockout.LOGIN, key)
                if lock is not None:
                    record(
                        kind=EventKind.LOCKOUT,
                        summary="Вход заблокирован после неудачных попыток",
                        subject=User.objects.filter(username=username).first(),
                        request=self.request,
                    )
                    raise ValidationError(lock.message(), code="locked") from None
            raise
        lockout.clear(lockout.LOGIN, key)
        return cleaned


class RateLimitedPasswordResetForm(PasswordResetForm):
    """The same answer for any address; a few requests per address of the requester (IP) per window."""

    email = forms.EmailField(label="Адрес электронной почты", max_length=254)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        key = lockout.key_for("reset", client_ip(self.request))
        lock = lockout.locked(lockout.RESET, key)
        if lock is not None:
            raise ValidationError(lock.message("Сброс пароля временно недоступен"))
        lockout.register_failure(lockout.RESET, key)
        return cleaned

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        record(
            kind=EventKind.PASSWORD_RESET,
            summary="Запрошен сброс пароля по почте",
            subject=context["user"],
            request=self.request,
        )
        send_reset_letter.enqueue(subject, body, to_email)

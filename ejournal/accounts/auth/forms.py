"""Forms of signing in: the login form with lockout, the password reset request with a rate limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.template import loader

from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.clientip import client_ip

from . import lockout
from .mail import send_reset_letter


class LockoutAuthenticationForm(AuthenticationForm):
    """Sign-in with the limits of `lockout`: a delay per account (not for its known devices), a block per
    client address."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Неверный логин или пароль. Проверьте раскладку клавиатуры и Caps Lock.",
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        client = lockout.client_key(self.request)
        lock = lockout.locked(lockout.CLIENT, client)
        if lock is not None:
            raise ValidationError(lock.message(), code="locked")
        account = lockout.account_key(username)
        known = lockout.known_device(self.request, username)
        delay = None if known else lockout.account_delay(account)
        if delay is not None:
            raise ValidationError(delay.message(), code="delayed")
        try:
            cleaned = super().clean()
        except ValidationError:
            if username and self.cleaned_data.get("password"):
                problem = lockout.count_failure(request=self.request, username=username, known_device=known)
                if problem is not None:
                    raise ValidationError(problem, code="locked") from None
            raise
        lockout.clear(lockout.ACCOUNT, account)
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


class OwnPasswordForm(SetPasswordForm):
    """The person's own new password, with the current one unless this is the forced change after a one-time
    password. The current password is checked by accounts.services.change_own_password (with the lockout),
    not here, so the API and the page cannot differ."""

    old_password = forms.CharField(
        label="Текущий пароль",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, user: Any, *args: Any, require_current: bool = True, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        if not require_current:
            del self.fields["old_password"]

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .models import User


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Setting one's own password; the first sign-in with a one-time password lands here."""
    user: User = request.user  # type: ignore[assignment]
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        update_session_auth_hash(request, user)
        messages.success(request, "Пароль изменён.")
        return redirect("home")
    return render(request, "registration/password_set.html", {"form": form, "forced": user.must_change_password})

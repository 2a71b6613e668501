from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from ejournal.access import people as access_people
from ejournal.access import roles as access_roles
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.clientip import client_ip
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user

from . import services
from .auth import events, linking, lockout, oidc, providers, sessions, totp
from .auth.forms import LockoutAuthenticationForm, OwnPasswordForm, RateLimitedPasswordResetForm
from .models import User

UNLINKED = "ej_oidc_unlinked"  # an identity that signed in at the provider but is not linked yet


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Setting one's own password (the current one is asked); the first sign-in with a one-time password
    lands here and then needs only the new one."""
    user = current_user(request)
    forced = user.must_change_password
    form = OwnPasswordForm(user, request.POST or None, require_current=not forced)
    if request.method == "POST" and form.is_valid():
        # A refusal (a wrong or weak password, too many attempts) goes on its field; NotFound is not caught.
        # The page keeps answering 200, as for the form's own errors: to the person both are the same form.
        with refused(form) as refusal:
            ended = services.change_own_password(
                actor=user,
                current_password=form.cleaned_data.get("old_password"),
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        if refusal.error is None:
            note = f" Другие сеансы завершены: {ended}." if ended else ""
            messages.success(request, f"Пароль изменён.{note}")
            return redirect("home")
    return render(request, "registration/password_set.html", {"form": form, "forced": forced})


class LoginView(auth_views.LoginView):
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "oidc_buttons": oidc.login_buttons()}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # This browser now knows the password: an attack on the account will not slow it down (lockout).
        lockout.remember_device(self.request, response, form.get_user().get_username())
        return response


# Two-factor authentication


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if totp.pending(request) != totp.VERIFY:
        return redirect("home")
    user = current_user(request)
    error = ""
    if request.method == "POST":
        problem = totp.verify(user=user, token=request.POST.get("code", ""), request=request)
        if problem is None:
            return redirect("home")
        error = problem
    return render(request, "registration/two_factor_verify.html", {"error": error}, status=422 if error else 200)


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    if totp.pending(request) == totp.VERIFY:
        return redirect("two_factor_verify")
    if totp.confirmed_device(user) is not None:
        return render(request, "registration/two_factor_setup.html", {"enabled": True})
    error = ""
    if request.method == "POST":
        error = totp.confirm(user=user, token=request.POST.get("code", ""), request=request) or ""
        if not error:
            messages.success(request, "Двухфакторная аутентификация подключена.")
            return redirect("home")
    device = totp.new_device(user)
    context = {
        "qr": totp.qr_svg(device),
        "secret": totp.secret(device),
        "required": totp.pending(request) == totp.SETUP,
        "error": error,
    }
    return render(request, "registration/two_factor_setup.html", context, status=422 if error else 200)


@login_required
def two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """The administrator turns off a person's 2FA (lost phone)."""
    actor = current_user(request)
    person = User.objects.filter(school_id=actor.school_id, pk=user_id).first() if actor.school_id else None
    if person is None or not access_roles.manages_people(actor):
        raise Http404
    if request.method == "POST":
        totp.reset(actor=actor, person=person, request=request)
        messages.success(request, f"Двухфакторная аутентификация сброшена: {person.full_name}.")
        return redirect("two_factor_reset", user_id=person.pk)
    context = {"person": person, "enabled": totp.confirmed_device(person) is not None}
    return render(request, "registration/two_factor_reset.html", context)


# Sessions


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    rows = [
        {
            "row": s,
            "device": sessions.device_name(s.user_agent),
            "current": s.session_key == request.session.session_key,
        }
        for s in sessions.own_sessions(user)
    ]
    return render(request, "registration/sessions.html", {"rows": rows})


@require_POST
@login_required
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    if not sessions.end_session(user=current_user(request), session_id=session_id):
        raise Http404
    messages.success(request, "Сеанс завершён.")
    return redirect("sessions")


@require_POST
@login_required
def session_end_all(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    record(kind=EventKind.LOGOUT, summary="Выход на всех устройствах", actor=user, request=request)
    sessions.end_all(user=user)
    request.session.flush()
    return redirect("login")


# Password reset by e-mail


class PasswordResetView(auth_views.PasswordResetView):
    form_class = RateLimitedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.after_password_reset(user=form.user, request=self.request)
        return response


# OpenID Connect and ESIA


def _provider(name: str) -> oidc.Provider:
    provider = providers.get_provider(name)
    if provider is None:
        raise Http404
    return provider


def _refused(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "registration/oidc_refused.html", {"message": message}, status=status)


def _sign_in(request: HttpRequest, user: User, provider_name: str) -> HttpResponse:
    request.session.pop(UNLINKED, None)
    setattr(request, events.LOGIN_METHOD, provider_name)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("home")


def oidc_start(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        return redirect(oidc.begin(request, _provider(provider)))
    except oidc.OIDCError as e:
        return _refused(request, str(e), status=503)


def oidc_callback(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        config = _provider(provider)
        identity = oidc.complete(request, config, request.GET.dict())
        user = linking.find_or_link(identity, request)
    except oidc.OIDCError as e:
        return _refused(request, str(e))
    if user is None:
        request.session[UNLINKED] = {"provider": identity.provider, "subject": identity.subject}
        return redirect("oidc_not_found")
    return _sign_in(request, user, provider)


def oidc_not_found(request: HttpRequest) -> HttpResponse:
    """«Учётная запись не найдена»: the person may type the link code the school gave."""
    pending = request.session.get(UNLINKED)
    if pending is None:
        return redirect("login")
    error = ""
    if request.method == "POST":
        key = lockout.key_for("link-code", client_ip(request))
        lock = lockout.locked(lockout.LOGIN, key)
        if lock is not None:
            error = lock.message()
        else:
            identity = oidc.Identity(provider=pending["provider"], subject=pending["subject"])
            try:
                user = linking.redeem_link_code(identity=identity, code=request.POST.get("code", ""), request=request)
            except oidc.OIDCError as e:
                return _refused(request, str(e))
            if user is not None:
                lockout.clear(lockout.LOGIN, key)
                return _sign_in(request, user, pending["provider"])
            lockout.register_failure(lockout.LOGIN, key)
            error = "Код не подошёл: он неверен, уже использован или его срок истёк. Попросите в школе новый."
    return render(request, "registration/oidc_not_found.html", {"error": error}, status=422 if error else 200)


@login_required
def link_code_issue(request: HttpRequest, user_id: int) -> HttpResponse:
    """A one-time ESIA link code for a person, given by the administrator or the class teacher."""
    actor = current_user(request)
    person = User.objects.filter(school_id=actor.school_id, pk=user_id).first() if actor.school_id else None
    if person is None or not access_people.may_issue_link_code(actor, person):
        raise Http404
    code = ""
    if request.method == "POST":
        code = linking.issue_link_code(actor=actor, person=person, request=request)
    return render(request, "registration/link_code.html", {"person": person, "code": code})

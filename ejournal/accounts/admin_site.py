"""The Django admin for the operators of the installation only (people without a school).

A school's people never reach it, whatever flags someone set on them: every admin page answers 404 to a
signed-in person with a school (issue 13: a school's administrator, made superuser by the demo, read and
changed the people of other schools and signed in as them). The admin's own login form is not used: the
product's login (lockout, two-factor, security log) signs the operator in and sends them back here.
"""

from __future__ import annotations

from functools import update_wrapper
from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from ejournal.access.roles import operates_installation


class OperatorAdminSite(admin.AdminSite):
    site_header = "ЭЖ: администрирование установки"
    site_title = "ЭЖ: оператор"
    index_title = "Данные для поддержки (только чтение)"

    def has_permission(self, request: HttpRequest) -> bool:
        return operates_installation(request.user)  # type: ignore[arg-type]

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            # A signed-in person who may not enter is told nothing exists here, not sent to a login form.
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            if not self.has_permission(request):
                raise Http404
            return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
        wanted = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': wanted})}")

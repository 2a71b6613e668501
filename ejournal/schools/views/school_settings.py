"""«Настройки школы»: the administrator changes them, the director and deputy read them."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.core.requests import current_user

from ..models import School
from ..settings import EDITABLE, update_school_settings
from .common import submit


class SchoolSettingsForm(forms.ModelForm):
    class Meta:
        model = School
        fields = list(EDITABLE)


@login_required
def school_settings(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access_schools.reads_school_settings(user))
    assert user.school is not None  # reads_whole_school
    may_change = access_schools.changes_school_settings(user)
    status = 200
    if request.method == "POST":
        roles.require(may_change)
        form = SchoolSettingsForm(request.POST, instance=School.objects.get(pk=user.school_id))

        def save(data: dict) -> str:
            changed = update_school_settings(actor=user, school=user.school, changes=data)  # type: ignore[arg-type]
            return "Настройки сохранены." if changed else "Изменений нет."

        failed = submit(request, form, save)
        if failed is None:
            return redirect("schools:settings")
        status = failed
    else:
        form = SchoolSettingsForm(instance=user.school)
    if not may_change:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "schools/settings.html", {"form": form, "may_change": may_change}, status=status)

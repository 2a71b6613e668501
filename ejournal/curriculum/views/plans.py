"""КТП: a teacher's plans against the curriculum hours, one plan's topics, upload from XLSX/CSV, templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ejournal.access import curriculum as access
from ejournal.access import roles, tenancy
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.spreadsheet import download

from .. import plans as plan_files
from .. import selectors
from ..forms import PlanUploadForm, form_errors
from .common import today_for


def _may_open_plans(user: User) -> bool:
    """Teachers keep their own plans; management reads everyone's."""
    return roles.reads_whole_school(user) or roles.is_teacher(user)


@require_GET
@login_required
def plans(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(_may_open_plans(user))
    year = selectors.pick_year(user, request.GET.get("year"), today_for(user))
    if year is None:
        return render(request, "curriculum/no_year.html", {"title": "КТП"})
    whole_school = roles.reads_whole_school(user)
    teacher_id = selectors.parse_id(request.GET.get("teacher")) if whole_school else None
    class_id = selectors.parse_id(request.GET.get("class")) if whole_school else None
    context = {
        "year": year,
        "years": access_schools.visible_years(user),
        "lines": selectors.plan_lines(user=user, year=year, teacher_id=teacher_id, class_id=class_id),
        "whole_school": whole_school,
        "teachers": access.visible_week_teachers(user).order_by("last_name", "first_name") if whole_school else None,
        "classes": access_schools.visible_classes(user).filter(year=year) if whole_school else None,
        "teacher_id": teacher_id,
        "class_id": class_id,
        "is_teacher": roles.is_teacher(user),
    }
    return render(request, "curriculum/plans.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One КТП. A POST uploads a file that replaces it; a broken file changes nothing and names its rows."""
    user = current_user(request)
    assignment = tenancy.get_for(
        user, access.visible_plans(user).select_related("teacher", "class_group", "subgroup", "subject"), pk
    )
    can_edit = access.can_edit_plan(user, assignment)
    form = PlanUploadForm()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        roles.require(can_edit)
        form = PlanUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors, status = [form_errors(form)], 422
        else:
            upload = form.cleaned_data["file"]
            if upload.size > plan_files.MAX_FILE_BYTES:
                errors, status = [f"файл больше {plan_files.MAX_FILE_BYTES // 1024 // 1024} МБ"], 422
            else:
                with refused() as refusal:
                    topics = plan_files.import_plan(
                        actor=user, assignment=assignment, filename=upload.name or "", data=upload.read()
                    )
                if refusal.error is not None:
                    refusal_lines = getattr(refusal.error, "errors", None)  # PlanFileError: one line per broken row
                    errors, status = refusal_lines or [refusal.message], refusal.status
                else:
                    hours = sum(t.hours for t in topics)
                    messages.success(request, f"КТП загружено: тем {len(topics)}, часов {hours}.")
                    return redirect(reverse("curriculum:plan_detail", args=[assignment.pk]))
    context = {
        "assignment": assignment,
        "topics": selectors.plan_topics(assignment),
        "can_edit": can_edit,
        "form": form,
        "errors": errors,
    }
    return render(request, "curriculum/plan_detail.html", context, status=status)


@require_GET
@login_required
def plan_template(request: HttpRequest) -> HttpResponse:
    """The blank КТП: columns «№», «Тема», «Часы», as Russian Excel opens a CSV."""
    user = current_user(request)
    roles.require(_may_open_plans(user))
    return download(plan_files.plan_csv(), file_format="csv", name="КТП — шаблон")


@require_GET
@login_required
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The КТП as it stands, in the template's format: edit it in Excel and upload it back."""
    user = current_user(request)
    # The class and subject name the file, read in the same query as the assignment.
    assignment = tenancy.get_for(user, access.visible_plans(user).select_related("class_group", "subject"), pk)
    return download(
        plan_files.plan_csv(assignment.planned_topics.filter(school_id=assignment.school_id).order_by("position")),
        file_format="csv",
        name=f"КТП {assignment.class_group.name} {assignment.subject.name}",
    )

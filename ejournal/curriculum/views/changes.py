"""Замены и изменения расписания: the lessons of a day by class, and one lesson's замена, cancellation,
restoring, move; extra lessons; the changes of the week."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ejournal.access import curriculum as access
from ejournal.access import roles, tenancy
from ejournal.accounts.models import User
from ejournal.core.errors import ValidationFailed
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.time import ru_date
from ejournal.curriculum.models import Lesson

from .. import selectors, services
from ..forms import CancelForm, ExtraLessonForm, MoveForm, ReplaceForm, form_errors
from .common import back_to, parse_date, today_for


def _extra_assignments(user: User, day: dt.date) -> Any:
    """Assignments that run on the day, for the extra lesson form."""
    return (
        access.visible_assignments(user)
        .filter(class_group__year__start__lte=day, class_group__year__end__gte=day, start__lte=day)
        .exclude(end__lt=day)
        .select_related("class_group", "subject", "subgroup", "teacher")
        .order_by("class_group__grade", "class_group__letter", "subject__name")
    )


def _page(request: HttpRequest, user: User, day: dt.date, *, status: int = 200, **extra: Any) -> HttpResponse:
    monday = selectors.monday_of(day)
    can_manage = roles.manages_structure(user)
    context = {
        "day": day,
        "prev_day": day - dt.timedelta(days=1),
        "next_day": day + dt.timedelta(days=1),
        "classes": selectors.day_lessons(user=user, day=day),
        "week_changes": selectors.changed_lessons(user=user, start=monday, end=monday + dt.timedelta(days=6)),
        "monday": monday,
        "can_manage": can_manage,
        "bells": access.visible_bells(user).order_by("number"),
        **extra,
    }
    if can_manage and "extra_form" not in context:
        context["extra_form"] = ExtraLessonForm(
            assignments=_extra_assignments(user, day), initial={"day": day.isoformat()}
        )
    return render(request, "curriculum/changes.html", context, status=status)


@require_GET
@login_required
def changes(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.reads_whole_school(user))
    day = parse_date(request.GET.get("date")) or today_for(user)
    return _page(request, user, day)


@require_POST
@login_required
def extra_lesson(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(roles.manages_structure(user))
    day = parse_date(request.GET.get("date")) or today_for(user)
    form = ExtraLessonForm(
        request.POST, assignments=_extra_assignments(user, parse_date(request.POST.get("day")) or day)
    )
    with refused() as refusal:
        if not form.is_valid():
            raise ValidationFailed(form_errors(form))
        data = form.cleaned_data
        lesson = services.add_extra_lesson(
            actor=user, assignment=data["assignment"], day=data["day"], number=data["number"], note=data["note"]
        )
    if refusal.error is not None:
        return _page(request, user, day, extra_form=form, extra_error=refusal.message, status=refusal.status)
    messages.success(
        request,
        f"Дополнительный урок: {lesson.class_group.name}, «{lesson.subject.name}», "
        f"{ru_date(lesson.date)}, {lesson.number}-й урок.",
    )
    return back_to("changes", date=lesson.date.isoformat())


ACTIONS = ("replace", "cancel", "restore", "move")


def _do(user: User, lesson: Lesson, action: str, request: HttpRequest) -> str:
    """Carry out one change of the lesson; the message for the user."""
    if action == "replace":
        replace = ReplaceForm(request.POST, teachers=access.assignable_teachers(user))
        if not replace.is_valid():
            raise ValidationFailed(form_errors(replace))
        substitute = replace.cleaned_data["substitute"]
        services.replace_teacher(actor=user, lesson=lesson, substitute=substitute, note=replace.cleaned_data["note"])
        return f"Замена: урок ведёт {substitute.short_name}." if substitute else "Замена отменена."
    if action == "cancel":
        cancel = CancelForm(request.POST)
        if not cancel.is_valid():
            raise ValidationFailed(form_errors(cancel))
        services.cancel_lesson(actor=user, lesson=lesson, note=cancel.cleaned_data["reason"])
        return "Урок отменён."
    if action == "restore":
        services.restore_lesson(actor=user, lesson=lesson)
        return "Урок возвращён в расписание."
    move = MoveForm(request.POST)
    if not move.is_valid():
        raise ValidationFailed(form_errors(move))
    data = move.cleaned_data
    services.move_lesson(actor=user, lesson=lesson, day=data["day"], number=data["number"], note=data["note"])
    return f"Урок перенесён на {ru_date(data['day'])}, {data['number']}-й урок."


@require_http_methods(["GET", "POST"])
@login_required
def lesson_change(request: HttpRequest, pk: int) -> HttpResponse:
    """One lesson with its замена, cancellation and move forms; management reads, the deputy changes."""
    user = current_user(request)
    roles.require(roles.reads_whole_school(user))
    lessons = access.visible_lessons(user).select_related(
        "class_group", "subgroup", "subject", "teacher", "substitute", "assignment"
    )
    lesson = tenancy.get_for(user, lessons, pk)
    error, action, status = "", "", 200
    if request.method == "POST":
        roles.require(roles.manages_structure(user))
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            error, status = "Неизвестное действие.", 400
        else:
            with refused() as refusal:
                done = _do(user, lesson, action, request)
            if refusal.error is not None:
                error, status = refusal.message, refusal.status
                lesson = tenancy.get_for(user, lessons, pk)  # the service may have changed the instance in memory
            else:
                messages.success(request, done)
                return back_to("changes", date=lesson.date.isoformat())
    can_manage = roles.manages_structure(user)
    context = {
        "lesson": lesson,
        "error": error,
        "action": action,
        "can_manage": can_manage,
        "candidates": selectors.substitute_candidates(user=user, lesson=lesson) if can_manage else [],
        "bells": access.visible_bells(user).order_by("number"),
        "posted": request.POST if error else {},
    }
    return render(request, "curriculum/lesson_change.html", context, status=status)

"""Classes of a year, and one class: its students over time, class teachers and subgroups."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import curriculum as access_curriculum
from ejournal.access import people as access_people
from ejournal.access import roles
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.requests import current_user
from ejournal.core.time import ru_date

from .. import selectors, services
from ..forms import (
    ClassCreateForm,
    ClassTeachersForm,
    EnrolForm,
    NewStudentForm,
    SubgroupCreateForm,
    SubgroupMembersForm,
    TransferForm,
    WithdrawForm,
)
from ..models import AcademicYear, ClassGroup, Enrolment
from .common import parse_date, require_manager, require_reader, school_day, submit, year_id_or_404


def _teachers(user: User) -> Any:
    return access_schools.visible_teachers(user).order_by("last_name", "first_name", "middle_name")


def _render_list(
    request: HttpRequest, *, year: AcademicYear | None = None, form: ClassCreateForm | None = None, status: int = 200
) -> HttpResponse:
    user = current_user(request)
    years = list(access_schools.visible_years(user).order_by("-start"))
    today = school_day(user)
    if year is None:
        year_id = year_id_or_404(request)
        year = (
            get_object_or_404(access_schools.visible_years(user), pk=year_id)
            if year_id is not None
            else selectors.default_year(years, today)
        )
    on = selectors.clamp(today, year.start, year.end) if year else today
    classes = (
        selectors.class_rows(access_schools.visible_classes(user).filter(year=year), on=on) if year is not None else []
    )
    can_manage = roles.manages_structure(user)
    context: dict[str, Any] = {"years": years, "year": year, "on": on, "classes": classes, "can_manage": can_manage}
    if can_manage and year is not None:
        context["form"] = form or ClassCreateForm(teachers=_teachers(user))
    return render(request, "schools/class_list.html", context, status=status)


@login_required
@require_GET
def class_list(request: HttpRequest) -> HttpResponse:
    require_reader(current_user(request))
    return _render_list(request)


@login_required
@require_POST
def class_create(request: HttpRequest, year_id: int) -> HttpResponse:
    user = current_user(request)
    require_manager(user)
    year = get_object_or_404(access_schools.visible_years(user), pk=year_id)
    form = ClassCreateForm(request.POST, teachers=_teachers(user))
    created: list[ClassGroup] = []

    def action(data: dict[str, Any]) -> str:
        group = services.create_class(
            actor=user, year=year, grade=data["grade"], letter=data["letter"], class_teachers=data["class_teachers"]
        )
        created.append(group)
        return f"Класс {group.name} создан. Зачислите в него учеников."

    status = submit(request, form, action)
    if status is None:
        return redirect("schools:class_detail", class_id=created[0].pk)
    return _render_list(request, year=year, form=form, status=status)


class ClassForms:
    """The forms of a class page, each with its choices from access/: one query per list, not per student."""

    def __init__(self, user: User, group: ClassGroup, on: Any, data: Any = None, which: str = "") -> None:
        self.user, self.group, self.on = user, group, on
        self.bound: dict[str, Any] = {}
        if which:
            self.bound[which] = self.make(which, data)

    def _students(self) -> Any:
        return access_schools.visible_students(self.user).order_by("last_name", "first_name", "middle_name")

    def make(self, which: str, data: Any = None) -> Any:
        user, group = self.user, self.group
        in_class = self._students().filter(pk__in=selectors.open_in_class(group, self.on).values("student_id"))
        ever_in_class = self._students().filter(
            pk__in=Enrolment.objects.filter(school_id=group.school_id, class_group=group).values("student_id")
        )
        if which == "enrol":
            free = self._students().exclude(pk__in=selectors.still_in_year(group.year).values("student_id"))
            return EnrolForm(data, students=free, prefix="enrol", initial={"start": self.on})
        if which == "new_student":
            return NewStudentForm(data, prefix="new", initial={"start": self.on})
        if which == "transfer":
            classes = access_schools.visible_classes(user).filter(year_id=group.year_id).exclude(pk=group.pk)
            return TransferForm(data, students=in_class, classes=classes, prefix="transfer")
        if which == "withdraw":
            return WithdrawForm(data, students=in_class, prefix="withdraw", initial={"last_day": self.on})
        if which == "teachers":
            return ClassTeachersForm(
                data, teachers=_teachers(user), prefix="teachers", initial={"teachers": group.class_teachers.all()}
            )
        if which == "subgroup_new":
            subjects = access_curriculum.visible_subjects(user).order_by("name")
            return SubgroupCreateForm(data, subjects=subjects, students=ever_in_class, prefix="subgroup")
        if which == "members":
            return SubgroupMembersForm(data, students=ever_in_class)
        raise ValueError(which)

    def get(self, which: str) -> Any:
        """The posted form when it was refused (with its errors and input), else a fresh one."""
        return self.bound[which] if which in self.bound else self.make(which)


def _class_context(request: HttpRequest, group: ClassGroup, forms: ClassForms | None, errors_for: int | None) -> Any:
    user = current_user(request)
    on = forms.on if forms else _reference_day(request, user, group)
    page = selectors.class_page(class_group=group, on=on)
    can_manage = roles.manages_structure(user)
    context: dict[str, Any] = {
        "group": group,
        "page": page,
        "on": on,
        "can_manage": can_manage,
        # Enrolment is the responsible administrator's; the deputy sets class teachers and subgroups.
        "can_manage_people": roles.manages_people(user),
        # Birth dates: the administrator and the director only (152-ФЗ, access/people.py), not the deputy.
        "sees_personal_data": access_people.sees_personal_data(user),
        "teachers": list(group.class_teachers.order_by("last_name", "first_name")),
    }
    if can_manage:
        forms = forms or ClassForms(user, group, on)
        for which in ("enrol", "new_student", "transfer", "withdraw", "teachers", "subgroup_new"):
            context[f"{which}_form"] = forms.get(which)
        context["subgroup_rows"] = _subgroup_rows(page, forms.bound.get("members"), errors_for)
        new_form = context["subgroup_new_form"]
        context["subgroup_new_checked"] = _posted_ids(new_form) if new_form.is_bound else set()
    return context


def _posted_ids(form: Any) -> set[int]:
    return {i for i in map(inputs.id_or_none, form.data.getlist(form.add_prefix("students"))) if i is not None}


def _subgroup_rows(page: selectors.ClassPage, members_form: Any, errors_for: int | None) -> list[dict[str, Any]]:
    """Each subgroup with the ticks to show: as saved, or as posted when saving them was refused."""
    rows = []
    for block in page.subgroups:
        refused = members_form is not None and block.subgroup.pk == errors_for
        rows.append(
            {
                "subgroup": block.subgroup,
                "checked": _posted_ids(members_form) if refused else block.member_ids,
                "errors": [e for errors in members_form.errors.values() for e in errors] if refused else [],
            }
        )
    return rows


def _reference_day(request: HttpRequest, user: User, group: ClassGroup) -> Any:
    """The day the roster is shown for: ?on=, else the school's today, kept inside the class's year."""
    year = group.year
    day = parse_date(request.GET.get("on")) or school_day(user)
    return selectors.clamp(day, year.start, year.end)


def _group(request: HttpRequest, class_id: int, *, manage: bool) -> ClassGroup:
    user = current_user(request)
    if manage:
        require_manager(user)
    else:
        require_reader(user)
    return get_object_or_404(access_schools.visible_classes(user).select_related("year"), pk=class_id)


@login_required
@require_GET
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    group = _group(request, class_id, manage=False)
    return render(request, "schools/class_detail.html", _class_context(request, group, None, None))


def _class_action(request: HttpRequest, class_id: int, which: str, action: Any, subgroup_id: int | None = None) -> Any:
    """Parse the posted form, call the service; back to the class on success, the page with errors if not."""
    group = _group(request, class_id, manage=True)
    user = current_user(request)
    forms = ClassForms(user, group, _reference_day(request, user, group), request.POST, which)
    status = submit(request, forms.bound[which], lambda data: action(user, group, data))
    if status is None:
        return redirect(reverse("schools:class_detail", args=[group.pk]) + f"?on={forms.on.isoformat()}")
    context = _class_context(request, group, forms, subgroup_id)
    return render(request, "schools/class_detail.html", context, status=status)


@login_required
@require_POST
def class_enrol(request: HttpRequest, class_id: int) -> HttpResponse:
    def action(user: User, group: ClassGroup, data: dict[str, Any]) -> str:
        services.enrol(actor=user, student=data["student"], class_group=group, start=data["start"])
        return f"{data['student'].full_name} зачислен(а) в {group.name} с {ru_date(data['start'])}."

    return _class_action(request, class_id, "enrol", action)


@login_required
@require_POST
def class_new_student(request: HttpRequest, class_id: int) -> HttpResponse:
    def action(user: User, group: ClassGroup, data: dict[str, Any]) -> str:
        enrolment = services.create_student(
            actor=user,
            class_group=group,
            last_name=data["last_name"],
            first_name=data["first_name"],
            middle_name=data["middle_name"],
            birth_date=data["birth_date"],
            start=data["start"],
        )
        return (
            f"{enrolment.student.full_name} добавлен(а) в школу и зачислен(а) в {group.name} "
            f"с {ru_date(enrolment.start)}. Данные для входа выдаются отдельно."
        )

    return _class_action(request, class_id, "new_student", action)


@login_required
@require_POST
def class_transfer(request: HttpRequest, class_id: int) -> HttpResponse:
    def action(user: User, group: ClassGroup, data: dict[str, Any]) -> str:
        services.transfer(actor=user, student=data["student"], to_class=data["to_class"], first_day=data["first_day"])
        return (
            f"{data['student'].full_name} переведен(а) из {group.name} в {data['to_class'].name} "
            f"с {ru_date(data['first_day'])}."
        )

    return _class_action(request, class_id, "transfer", action)


@login_required
@require_POST
def class_withdraw(request: HttpRequest, class_id: int) -> HttpResponse:
    def action(user: User, group: ClassGroup, data: dict[str, Any]) -> str:
        services.withdraw(actor=user, student=data["student"], last_day=data["last_day"], reason=data["reason"])
        return f"{data['student'].full_name} выбыл(а) из {group.name} после {ru_date(data['last_day'])}."

    return _class_action(request, class_id, "withdraw", action)


@login_required
@require_POST
def class_teachers(request: HttpRequest, class_id: int) -> HttpResponse:
    def action(user: User, group: ClassGroup, data: dict[str, Any]) -> str:
        services.set_class_teachers(actor=user, class_group=group, teachers=data["teachers"])
        return f"Классные руководители {group.name} сохранены."

    return _class_action(request, class_id, "teachers", action)


@login_required
@require_POST
def subgroup_create(request: HttpRequest, class_id: int) -> HttpResponse:
    def action(user: User, group: ClassGroup, data: dict[str, Any]) -> str:
        subgroup = services.create_subgroup(
            actor=user, class_group=group, subject=data["subject"], name=data["name"], students=data["students"]
        )
        return f"Подгруппа «{subgroup.name}» ({data['subject'].name}) создана."

    return _class_action(request, class_id, "subgroup_new", action)


@login_required
@require_POST
def subgroup_members(request: HttpRequest, subgroup_id: int) -> HttpResponse:
    user = current_user(request)
    require_manager(user)
    subgroup = get_object_or_404(access_schools.visible_subgroups(user).select_related("subject"), pk=subgroup_id)

    def action(user: User, group: ClassGroup, data: dict[str, Any]) -> str:
        services.set_subgroup_members(actor=user, subgroup=subgroup, students=data["students"])
        return f"Состав подгруппы «{subgroup.name}» ({subgroup.subject.name}) сохранён: {len(data['students'])} уч."

    return _class_action(request, subgroup.class_group_id, "members", action, subgroup_id=subgroup.pk)

"""People pages (the administrator changes, the director reads) and the class credentials pages (the class
teacher for their own class, the administrator for any)."""

from __future__ import annotations

import base64
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ejournal.access import people as access_people
from ejournal.access import roles
from ejournal.core import inputs
from ejournal.core.errors import ValidationFailed
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.time import school_today
from ejournal.schools.models import ClassGroup

from . import credentials, people, services
from .models import Guardianship, Role, User


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )


class PersonForm(forms.Form):
    """Parses the fields; the rules (СНИЛС control number, phone, dates) are the service's."""

    last_name = forms.CharField(label="Фамилия", max_length=150)
    first_name = forms.CharField(label="Имя", max_length=150)
    middle_name = forms.CharField(label="Отчество", max_length=150, required=False)
    birth_date = _date_field("Дата рождения")
    snils = forms.CharField(label="СНИЛС", max_length=20, required=False, help_text="например, 112-233-445 95")
    phone = forms.CharField(label="Телефон", max_length=30, required=False)
    email = forms.CharField(label="E-mail", max_length=254, required=False)


class NewPersonForm(PersonForm):
    roles = forms.MultipleChoiceField(label="Роли", choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    # Always on the form (no script decides when to show it); the service requires it for those two roles.
    password = forms.CharField(
        label="Ваш пароль (для роли администратора или директора)",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Нужен, только если среди ролей есть администратор или директор.",
    )


def _user_school_today(user: User) -> Any:
    return school_today(user.school.timezone)  # type: ignore[union-attr]


def _person(user: User, person_id: int) -> User:
    return get_object_or_404(access_people.visible_people(user).select_related("school"), pk=person_id)


# --- the list ---------------------------------------------------------------------------------------------


def _filters(data: QueryDict, *, with_names: bool) -> people.PeopleFilter:
    role = data.get("role", "")
    class_id = data.get("class", "")
    status = data.get("status", "active")
    return people.PeopleFilter(
        q=data.get("q", "").strip()[:100] if with_names else "",
        role=role if role in Role.values else "",
        class_id=inputs.id_or_none(class_id),
        status=status if status in ("active", "inactive", "all") else "active",
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    """The search is a POST and so is every page of its results: a surname in a URL would stay in the web
    server's and proxies' access logs (152-ФЗ). A GET shows the list by role, class and status only."""
    user = current_user(request)
    access_people.require_reads_people(user)
    data = request.POST if request.method == "POST" else request.GET
    filters = _filters(data, with_names=request.method == "POST")
    page, rows = people.people_page(user=user, filters=filters, page_number=data.get("page", 1))
    classes = ClassGroup.objects.filter(school_id=user.school_id, year__end__gte=_user_school_today(user))
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "roles": Role.choices,
        "classes": classes.select_related("year").order_by("year__start", "grade", "letter"),
        "can_manage": roles.manages_people(user),
        "personal": access_people.sees_personal_data(user),
    }
    return render(request, "people/list.html", context)


# --- create and edit --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access_people.require_manages_people(user)
    form = NewPersonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            values = dict(form.cleaned_data)
            password = values.pop("password", "")
            with refused(form) as refusal:
                person = people.add_person(
                    actor=user,
                    school=user.school,  # type: ignore[arg-type]
                    granter_password=password,
                    request=request,
                    **values,
                )
            if refusal.error is None:
                messages.success(request, f"{person.full_name} добавлен(а), логин {person.username}.")
                return redirect("people:detail", person_id=person.pk)
            status = refusal.status
    return render(request, "people/form.html", {"form": form, "person": None}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    access_people.require_manages_people(user)
    person = _person(user, person_id)
    initial = {name: getattr(person, name) for name in people.EDITABLE_FIELDS}
    form = PersonForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            with refused(form) as refusal:
                changed = people.update_person(actor=user, person=person, request=request, **form.cleaned_data)
            if refusal.error is None:
                labels = ", ".join(people.FIELD_LABELS[name] for name in changed)
                messages.success(request, f"Сохранено: {labels}." if changed else "Изменений нет.")
                return redirect("people:detail", person_id=person.pk)
            status = refusal.status
    return render(request, "people/form.html", {"form": form, "person": person}, status=status)


# --- the person's page and its actions --------------------------------------------------------------------


def _detail(
    request: HttpRequest, person: User, *, error: str = "", status: int = 200, extra: dict[str, Any] | None = None
) -> HttpResponse:
    user = current_user(request)
    card = people.person_card(user=user, person=person)
    can_manage = roles.manages_people(user)
    context: dict[str, Any] = {
        "card": card,
        "person": person,
        "can_manage": can_manage,
        "personal": access_people.sees_personal_data(user),
        "error": error,
        "held_roles": [(r, Role(r).label) for r in card.roles],
        "credentials_allowed": card.credential_class is not None
        and access_people.credential_classes(user).filter(pk=card.credential_class.pk).exists(),
        "link_code_allowed": access_people.may_issue_link_code(user, person),
        "password_allowed": credentials.may_issue_from_card(user, person),
    }
    if can_manage:
        # Only roles the person may hold with theirs (no administrator for a student); none is preselected.
        context["grantable"] = [
            (r, label)
            for r, label in Role.choices
            if r not in card.roles and access_people.roles_compatible({*card.roles, r})
        ]
        # Linking searches by name (a POST: no surname in a URL) instead of a list of every parent or student.
        context["links_child"] = Role.PARENT in card.roles
        context["links_parent"] = Role.STUDENT in card.roles
        context.update(extra or {})
        if Role.TEACHER in card.roles:
            context["class_choices"] = (
                ClassGroup.objects.filter(school_id=user.school_id, year__end__gte=_user_school_today(user))
                .exclude(pk__in=[c.pk for c in card.led_classes])
                .select_related("year")
                .order_by("year__start", "grade", "letter")
            )
    return render(request, "people/detail.html", context, status=status)


@login_required
@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    user = current_user(request)
    access_people.require_reads_people(user)
    return _detail(request, _person(user, person_id))


def _act(request: HttpRequest, person: User, action: Any) -> HttpResponse:
    """Run the change; back to the person on success, the page with the refusal (nothing saved) if not."""
    with refused() as refusal:
        message = action()
    if refusal.error is not None:
        return _detail(request, person, error=refusal.message, status=refusal.status)
    messages.success(request, message)
    return redirect("people:detail", person_id=person.pk)


def _posted_id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise ValidationFailed("Выберите из списка.", field=name)
    return int(value)


def _manage_target(request: HttpRequest, person_id: int) -> tuple[User, User]:
    user = current_user(request)
    access_people.require_manages_people(user)
    return user, _person(user, person_id)


@login_required
@require_POST
def person_active(request: HttpRequest, person_id: int) -> HttpResponse:
    user, person = _manage_target(request, person_id)
    active = request.POST.get("active") == "1"

    def action() -> str:
        people.set_active(actor=user, person=person, active=active, request=request)
        if active:
            return f"{person.full_name}: доступ включён."
        return f"{person.full_name}: доступ отключён. Все записи с его (её) участием сохранены."

    return _act(request, person, action)


@login_required
@require_POST
def person_roles(request: HttpRequest, person_id: int) -> HttpResponse:
    user, person = _manage_target(request, person_id)
    role = request.POST.get("role", "")
    revoke = request.POST.get("revoke") == "1"

    if not revoke and role in Role.values and access_people.grant_needs_password(role):
        return _confirm_role(request, user, person, role)

    def action() -> str:
        if role not in Role.values:
            raise ValidationFailed("Выберите роль.", field="role")
        if revoke:
            services.revoke_role(actor=user, user=person, role=role, request=request)
            return f"Роль «{Role(role).label}» снята."
        services.grant_role(actor=user, user=person, role=role, request=request)
        return f"Роль «{Role(role).label}» выдана."

    return _act(request, person, action)


def _confirm_role(request: HttpRequest, user: User, person: User, role: str) -> HttpResponse:
    """The administrator's and the director's roles: a page that says what the role opens and asks for the
    granter's password; the first POST (from the card) only shows it."""
    error, status = "", 200
    if "password" in request.POST:
        with refused() as refusal:
            services.grant_role(
                actor=user, user=person, role=role, request=request, password=request.POST.get("password", "")
            )
        if refusal.error is None:
            messages.success(request, f"Роль «{Role(role).label}» выдана.")
            return redirect("people:detail", person_id=person.pk)
        error, status = refusal.message, refusal.status
    context = {"person": person, "role": role, "role_label": Role(role).label, "error": error}
    return render(request, "people/role_confirm.html", context, status=status)


@login_required
@require_POST
def person_password(request: HttpRequest, person_id: int) -> HttpResponse:
    """«Выдать одноразовый пароль» from the card (a teacher or a deputy who forgot theirs is on no class's page).
    The first POST only says what happens; `confirm=1` issues and shows the password once, with its slip."""
    user, person = _manage_target(request, person_id)
    credentials.require_person(user, person)
    if request.POST.get("confirm") != "1":
        return render(request, "people/password_confirm.html", {"person": person})
    with refused() as refusal:
        issued = credentials.issue_person_credentials(actor=user, person=person, request=request)
    if refusal.error is not None:
        return _detail(request, person, error=refusal.message, status=refusal.status)
    return _issued_page(
        request,
        [issued],
        heading=f"Пароль выдан: {person.full_name}",
        back=(reverse("people:detail", args=[person.pk]), f"← {person.full_name}"),
        pdf_name=f"login-{person.pk}.pdf",
        instruction=credentials.CARD_INSTRUCTION,
    )


FOUND_LIMIT = 20


@login_required
@require_POST
def person_guardians(request: HttpRequest, person_id: int) -> HttpResponse:
    """Link a child to this parent (`child`) or a parent to this student (`parent`), in three POSTs: a search
    by name (`find`, at most FOUND_LIMIT found), the choice (shows who will see whose diary), and `confirm`."""
    user, person = _manage_target(request, person_id)
    if "find" in request.POST:
        return _guardian_search(request, user, person)

    def pair() -> tuple[User, User]:
        if "child" in request.POST:
            return person, _person(user, _posted_id(request, "child"))
        return _person(user, _posted_id(request, "parent")), person

    if request.POST.get("confirm") != "1":
        with refused() as refusal:
            parent, child = pair()
            people.check_guardian(actor=user, parent=parent, child=child)
        if refusal.error is not None:
            return _detail(request, person, error=refusal.message, status=refusal.status)
        context = {
            "person": person,
            "parent": parent,
            "child": child,
            "child_classes": people.current_class_names(child),
            "key": "child" if "child" in request.POST else "parent",
            "other": child if "child" in request.POST else parent,
            "relation": request.POST.get("relation", "")[:30],
        }
        return render(request, "people/guardian_confirm.html", context)

    def action() -> str:
        parent, child = pair()
        people.link_guardian(actor=user, parent=parent, child=child, relation=request.POST.get("relation", ""))
        return f"{parent.full_name} — родитель {child.full_name}."

    return _act(request, person, action)


def _guardian_search(request: HttpRequest, user: User, person: User) -> HttpResponse:
    """Parents (for a student's card) or students (for a parent's) whose name matches; never the whole list."""
    text = request.POST.get("find", "").strip()[:100]
    kind = "child" if request.POST.get("kind") == "child" else "parent"
    if len(text) < 2:
        return _detail(request, person, error="Введите хотя бы две буквы фамилии или имени.", status=422)
    found = people.find_for_link(user=user, person=person, kind=kind, text=text, limit=FOUND_LIMIT + 1)
    extra = {
        "found": found[:FOUND_LIMIT],
        "found_kind": kind,
        "found_text": text,
        "found_more": len(found) > FOUND_LIMIT,
    }
    return _detail(request, person, extra=extra)


@login_required
@require_POST
def guardian_remove(request: HttpRequest, person_id: int, link_id: int) -> HttpResponse:
    user, person = _manage_target(request, person_id)
    link = get_object_or_404(
        Guardianship.objects.filter(school_id=user.school_id).select_related("parent", "child"),
        pk=link_id,
    )
    if person.pk not in (link.parent_id, link.child_id):
        raise Http404

    def action() -> str:
        people.unlink_guardian(actor=user, link=link)
        return f"Связь «{link.parent.full_name} — {link.child.full_name}» удалена."

    return _act(request, person, action)


@login_required
@require_POST
def person_classes(request: HttpRequest, person_id: int) -> HttpResponse:
    """Make the person class teacher of a class (`leads=1`) or no longer (`leads=0`)."""
    user, person = _manage_target(request, person_id)
    leads = request.POST.get("leads") == "1"

    def action() -> str:
        group = get_object_or_404(
            ClassGroup.objects.filter(school_id=user.school_id).select_related("year"),
            pk=_posted_id(request, "class_group"),
        )
        people.set_leads_class(actor=user, person=person, class_group=group, leads=leads)
        done = "назначен(а) классным руководителем" if leads else "больше не классный руководитель"
        return f"{person.full_name} {done} {group.name}."

    return _act(request, person, action)


# --- credentials of a class -------------------------------------------------------------------------------


@login_required
@require_GET
def credential_classes(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access_people.issues_credentials(user))
    current = access_people.credential_classes(user).filter(year__end__gte=_user_school_today(user))
    classes = current.select_related("year").order_by("year__start", "grade", "letter")
    return render(request, "people/credential_classes.html", {"classes": classes})


def _chosen_ids(request: HttpRequest) -> list[int] | None:
    """One person (`one`), everyone (`all`) or the ticked ones (`people`)."""
    if request.POST.get("one"):
        return [_posted_id(request, "one")]
    if request.POST.get("all") == "1":
        return None
    values = request.POST.getlist("people")
    if not all(v.isdigit() for v in values):
        raise ValidationFailed("Выберите людей из списка.", field="people")
    return [int(v) for v in values]


@login_required
@require_http_methods(["GET", "POST"])
def class_credentials(request: HttpRequest, class_id: int) -> HttpResponse:
    user = current_user(request)
    group = credentials.require_class(user, class_id)
    error, status = "", 200
    if request.method == "POST":
        with refused() as refusal:
            issued = credentials.issue_credentials(
                actor=user, class_group=group, person_ids=_chosen_ids(request), request=request
            )
        error, status = refusal.message, refusal.status
        if refusal.error is None:
            return _issued_page(
                request,
                issued,
                heading=f"Пароли выданы: {group.name}",
                back=(reverse("people:class_credentials", args=[group.pk]), "← К списку класса"),
                pdf_name=f"logins-{group.pk}.pdf",
            )
    rows = credentials.credential_roster(user=user, class_group=group)
    context = {"group": group, "rows": rows, "error": error, "issuable_count": sum(r.issuable for r in rows)}
    return render(request, "people/credentials.html", context, status=status)


def _issued_page(
    request: HttpRequest,
    issued: list[credentials.IssuedCredential],
    *,
    heading: str,
    back: tuple[str, str],
    pdf_name: str,
    instruction: str = credentials.INSTRUCTION,
) -> HttpResponse:
    """The passwords in clear, once: on the page and in the PDF embedded in it (nothing kept on the server)."""
    user = current_user(request)
    pdf = credentials.slips_pdf(
        school_name=user.school.name,  # type: ignore[union-attr]
        site=settings.SITE_URL,
        issued=issued,
        on=_user_school_today(user),
        instruction=instruction,
    )
    response = render(
        request,
        "people/credentials_issued.html",
        {
            "heading": heading,
            "back_url": back[0],
            "back_label": back[1],
            "issued": issued,
            "pdf_data": base64.b64encode(pdf).decode(),
            "pdf_name": pdf_name,
            "site": settings.SITE_URL,
        },
    )
    response["Cache-Control"] = "no-store"
    return response

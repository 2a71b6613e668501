"""The menu each person sees follows from the same checks that guard the pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from ejournal.accounts.models import Role, User

from . import archive, audit, help, hours, interop, notifications, people, printing, reports, retention, roles, status
from .support import asks as asks_support


@dataclass(frozen=True)
class MenuItem:
    title: str
    url: str


def menu_for(user: User) -> list[MenuItem]:
    items = [MenuItem("Главная", reverse("home"))]
    if roles.in_school(user) and user.has_role(Role.STUDENT, Role.PARENT):
        # The diary is the student's and the parent's own view; staff read marks in the journal.
        items.append(MenuItem("Дневник", reverse("diary:week")))
    if roles.is_teacher(user) or roles.reads_whole_school(user):
        items.append(MenuItem("Журнал", reverse("journal:index")))
    if reports.sees_teacher_reports(user):
        items.append(MenuItem("Отчёты", reverse("reports:index")))
    elif reports.reads_region(user):
        items.append(MenuItem("Сводка по муниципалитету", reverse("reports:region")))
    if hours.reads_hours(user):
        items.append(MenuItem("Проведённые часы", reverse("hours:index")))
    if printing.opens_printing(user):
        items.append(MenuItem("Печать журнала", reverse("printing:book")))
    if notifications.has_inbox(user):
        items.append(MenuItem("Уведомления", reverse("notifications:inbox")))
    if roles.reads_whole_school(user):
        # The director reads the structure pages; they show him no forms.
        items += [
            MenuItem("Календарь года", reverse("schools:calendar")),
            MenuItem("Классы", reverse("schools:class_list")),
            MenuItem("Предметы и учебный план", reverse("curriculum:subjects")),
            MenuItem("Нагрузка", reverse("curriculum:assignments")),
            MenuItem("Расписание", reverse("curriculum:timetable")),
            MenuItem("Замены и изменения", reverse("curriculum:changes")),
            MenuItem("Настройки школы", reverse("schools:settings")),
        ]
    if roles.is_teacher(user):
        items.append(MenuItem("Моя неделя", reverse("curriculum:teacher_week")))
    if roles.is_teacher(user) or roles.reads_whole_school(user):
        items.append(MenuItem("КТП", reverse("curriculum:plans")))
    if people.reads_people(user):
        items.append(MenuItem("Пользователи", reverse("people:list")))
    if interop.may_import(user):
        items.append(MenuItem("Импорт", reverse("interop:list")))
    if people.issues_credentials(user):
        items.append(MenuItem("Логины и пароли", reverse("people:credential_classes")))
    if notifications.watches_deliveries(user):
        items.append(MenuItem("Недоставленные уведомления", reverse("notifications:undelivered")))
    if audit.reads_usage(user):
        items.append(MenuItem("Мониторинг использования", reverse("audit:usage")))
    if audit.reads_security_log(user):
        items.append(MenuItem("Журнал безопасности", reverse("audit:security_log")))
    if archive.reads_backups(user):
        items.append(MenuItem("Резервные копии", reverse("archive:backups")))
    if archive.reads_period_archives(user):
        items.append(MenuItem("Архив периода", reverse("archive:periods")))
    if retention.reads_register(user):
        items.append(MenuItem("Реестр хранения", reverse("retention:register")))
    if asks_support(user):
        items.append(MenuItem("Вопросы и обучение", reverse("support:tickets")))
    if status.reads_status(user):
        items.append(MenuItem("Состояние системы", reverse("status:page")))
    if help.reads_help(user):
        items.append(MenuItem("Справка", reverse("help:index")))
    if roles.operates_installation(user):
        items.append(MenuItem("Администрирование", reverse("admin:index")))
    return items

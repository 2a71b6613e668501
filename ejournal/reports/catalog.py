"""Every report the product has, for the reports index page: title, URL name and who may open it.

Each entry's `visible` is a check from ejournal/access/ taking the user; the index shows only those
the user passes, and each report view checks access again by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ejournal.accounts.models import User


@dataclass(frozen=True)
class CatalogEntry:
    title: str
    url_name: str
    description: str
    visible: Callable[[User], bool]


CATALOG: list[CatalogEntry] = []

# Quality: success, quality of knowledge, СОУ (views_quality.py).
from ejournal.access import reports as quality_access  # noqa: E402

CATALOG += [
    CatalogEntry(
        "Сводный отчёт школы",
        "reports:school",
        "Качество знаний, успеваемость, СОУ и средний балл за период по классам, параллелям, предметам и "
        "учителям, с изменением к прошлому периоду; переход к классу, предмету, ученику.",
        quality_access.reads_school_reports,
    ),
    CatalogEntry(
        "Отчёт учителя",
        "reports:teacher",
        "Распределение отметок, качество, успеваемость, СОУ и средний балл по классам и предметам учителя.",
        quality_access.sees_teacher_reports,
    ),
    CatalogEntry(
        "Отчёт классного руководителя",
        "reports:classes",
        "Ученики на начало и конец периода, отличники, хорошисты, с одной «4» и «3», неуспевающие, пропуски.",
        quality_access.leads_any_class,
    ),
    CatalogEntry(
        "Архив отчётов",
        "reports:archive",
        "Отчёты, сформированные автоматически ежемесячно и по окончании периодов, в XLSX и PDF.",
        quality_access.reads_school_reports,
    ),
    CatalogEntry(
        "Сводка по школам муниципалитета",
        "reports:region",
        "Показатели школ без персональных данных: качество знаний, успеваемость, СОУ, средний балл.",
        quality_access.reads_region,
    ),
]

# Attendance, journal keeping and program execution (views_keeping.py).
from ejournal.access.journal_keeping import reads_keeping_reports  # noqa: E402

CATALOG += [
    CatalogEntry(
        "Посещаемость",
        "reports:attendance",
        "Пропущенные уроки и дни по причинам, по классам и ученикам; за период или даты.",
        reads_keeping_reports,
    ),
    CatalogEntry(
        "Анализ работы с классным журналом ЭЖ",
        "reports:journal_keeping",
        "Темы, домашние задания, накопляемость, отметки после срока, уроки без записей — по учителям.",
        reads_keeping_reports,
    ),
    CatalogEntry(
        "Выполнение программы",
        "reports:program_execution",
        "План по учебному плану и КТП против проведённых уроков, отставание по учителям, классам, предметам.",
        reads_keeping_reports,
    ),
]

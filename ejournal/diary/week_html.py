"""The day cards of the diary week as HTML, built in Python: Django's template engine spends more on a
full week (≈ 35 lessons with marks and homework) than the whole rest of the request (docs/architecture.md:
«render hot tables with … a small, tested HTML builder»). Everything from the database is escaped."""

from __future__ import annotations

import datetime as dt

from django.template.defaultfilters import floatformat, linebreaksbr
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .selectors import DiaryDay, DiaryHomework, DiaryLesson, DiaryWeek

SENTINEL = "2147483647"


def _time(value: dt.time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _title(text: str) -> str:
    return f' title="{escape(text)}"' if text else ""


def _homework(hw: DiaryHomework, attachment_url: str) -> str:
    due = f" к {hw.due_date:%d.%m}" if hw.due_date else ""
    files = ""
    if hw.files:
        items = "".join(
            f'<li><a href="{attachment_url.replace(SENTINEL, str(f.id))}">{escape(f.name)}</a></li>' for f in hw.files
        )
        files = f'<ul class="diary-files">{items}</ul>'
    return (
        f'<div class="diary-hw"><span class="diary-hw-label">Д/з{due}:</span> '
        f"{linebreaksbr(hw.text, autoescape=True)}{files}</div>"
    )


def _lesson(item: DiaryLesson, attachment_url: str) -> str:
    marks = "".join(
        f'<span class="diary-mark"{_title(m.comment)}>'
        f"{escape(m.value)}<small>{escape(m.kind)} · вес {floatformat(m.weight, '-2')}</small></span>"
        for m in item.marks
    )
    if item.attendance:
        marks += f'<span class="diary-att" title="Посещаемость">{escape(item.attendance)}</span>'
    times = f"{_time(item.starts_at)}–{_time(item.ends_at)}" if item.starts_at else ""
    subgroup = f" ({escape(item.subgroup)})" if item.subgroup else ""
    meta: str = escape(item.teacher)
    if item.room:
        meta += f" · каб. {escape(item.room)}"
    if item.cancelled:
        meta += ' · <span class="badge diary-badge-cancel">урок отменён</span>'
    if item.substituted:
        meta += ' · <span class="badge">замена</span>'
    if item.change_note:
        meta += f" · {escape(item.change_note)}"
    topic = f'<div class="diary-topic">Тема: {escape(item.topic)}</div>' if item.topic else ""
    homework = "".join(_homework(hw, attachment_url) for hw in item.homework)
    return (
        f'<li class="diary-lesson{" is-cancelled" if item.cancelled else ""}"><div class="diary-head">'
        f'<span class="diary-num">{item.number}</span><span class="diary-time">{times}</span>'
        f'<strong class="diary-subject">{escape(item.subject)}{subgroup}</strong>'
        f'<span class="diary-marks">{marks}</span></div>'
        f'<div class="diary-meta muted">{meta}</div>{topic}{homework}</li>'
    )


def _day(day: DiaryDay, today: dt.date, attachment_url: str) -> str:
    title: str = escape(date_format(day.date, "l, j E"))
    if day.class_name:
        title += f' <span class="muted">· {escape(day.class_name)}</span>'
    if day.lessons:
        body = f'<ol class="diary-lessons">{"".join(_lesson(i, attachment_url) for i in day.lessons)}</ol>'
    elif day.class_name:
        body = '<p class="muted">Уроков нет.</p>'
    else:
        body = '<p class="muted">Не зачислен в класс в этот день.</p>'
    today_class = " diary-today-card" if day.date == today else ""
    return f'<section class="card diary-day{today_class}"><h2>{title}</h2>{body}</section>'


def week_days_html(week: DiaryWeek, today: dt.date) -> SafeString:
    """The six day cards of the week (Monday to Saturday)."""
    # One reverse() for every file: each file's id takes the place of the sentinel.
    attachment_url = reverse("journal:attachment", args=[SENTINEL])
    return mark_safe("".join(_day(day, today, attachment_url) for day in week.days))

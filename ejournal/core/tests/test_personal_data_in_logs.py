"""No personal data in logs, URLs or audit summaries (152-ФЗ; docs/domain.md «Login and personal data»).

Representative traffic on the demo school runs with every log record captured (the root logger and
django.request / django.security at DEBUG): every demo role signs in and opens every page of its menu,
wrong passwords (one typed as an e-mail address), a mark saved, an import with errors, a notification
that cannot be delivered, a 404 and a 500 (on a parent's diary). The captured records, with their
tracebacks, are scanned for sentinel personal data: the demo people's names, a fake СНИЛС, a birth date,
an e-mail address, the passwords typed and the session ids. Hits: 0.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ejournal.access.navigation import menu_for
from ejournal.access.tests.matrix_spec import walk
from ejournal.accounts.models import User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.conftest import SmallSchool
from ejournal.curriculum.models import Lesson
from ejournal.demo.generator import DEMO_PASSWORD, generate
from ejournal.demo.logins import demo_accounts
from ejournal.interop.models import ImportBatch, ImportStatus
from ejournal.interop.tests.files import STUDENTS_HEADER, csv_bytes
from ejournal.journal import services
from ejournal.journal.models import ChangeKind, ChangeRecord
from ejournal.journal.tests.conftest import TODAY as JOURNAL_TODAY
from ejournal.journal.tests.conftest import build_journal, set_clock
from ejournal.notifications import delivery
from ejournal.notifications.models import Delivery, Event, Message, Status
from ejournal.schools.models import AcademicYear, Enrolment

TODAY = dt.date(2026, 11, 20)
SNILS = "987-654-321 00"
BIRTH = dt.date(2013, 9, 14)
EMAIL = "roditel.sentinel@example.ru"
PASSWORD = "Sentinel-Пароль-731"
WRONG_PASSWORD = "Wrong-Пароль-Sentinel-9"
IMPORTED_NAME = ("Сентинелова", "Снежана")  # a child named only in a refused import file
# URL parameters name objects by id; a parameter named after personal data would put it into URLs and logs.
PERSONAL_PARAMS = ("name", "snils", "email", "mail", "birth", "phone", "password", "username", "login", "fio")


def test_url_patterns_carry_ids_only() -> None:
    patterns = list(walk())
    offending = [(p.route, param) for p in patterns for param in p.params if any(w in param for w in PERSONAL_PARAMS)]
    print(f"\nURL patterns scanned: {len(patterns)}, parameters naming personal data: {len(offending)}")
    assert offending == []


def formatted(records: list[logging.LogRecord]) -> list[str]:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return [formatter.format(r) for r in records]


@pytest.mark.django_db
def test_no_personal_data_in_captured_logs(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch, settings
) -> None:
    monkeypatch.setattr("ejournal.home.views.school_today", lambda tz: TODAY)
    set_clock(monkeypatch, TODAY)
    demo = generate(3, grades=(5,), classes_per_parallel=1, students_per_class=4, today=TODAY)
    accounts = {a.key: a.user for a in demo_accounts(demo.school, TODAY)}
    student, parent = accounts["student"], accounts["parent"]
    student.snils, student.birth_date = SNILS, BIRTH
    student.save(update_fields=["snils", "birth_date"])
    parent.email = EMAIL
    parent.set_password(PASSWORD)
    parent.save(update_fields=["email", "password"])
    # Nothing can be delivered: real SMTP (pytest-django swaps in locmem) to a closed port on 127.0.0.1.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    for name in ("", "django", "django.request", "django.security"):
        caplog.set_level(logging.DEBUG, logger=name)

    clients: dict[str, Client] = {}
    for key, user in accounts.items():
        client = Client(raise_request_exception=False)
        password = PASSWORD if user == parent else DEMO_PASSWORD
        assert client.post(reverse("login"), {"username": user.username, "password": password}).status_code == 302
        for item in menu_for(user):
            client.get(item.url, follow=True)
        clients[key] = client
    # Wrong passwords, one login typed as an e-mail address.
    for username in (student.username, student.username, EMAIL):
        Client().post(reverse("login"), {"username": username, "password": WRONG_PASSWORD})
    # A mark saved by the teacher.
    teacher = accounts["teacher"]
    lesson = Lesson.objects.filter(teacher=teacher, date__lte=TODAY).order_by("-date").first()
    assert lesson is not None
    child = Enrolment.objects.filter(class_group=lesson.class_group).order_by("pk").first()
    assert child is not None
    saved = clients["teacher"].post(
        reverse("journal:cell", args=[lesson.pk, child.student_id]), {"text": "4"}, content_type="application/json"
    )
    assert saved.status_code == 200, saved.content
    # An import with errors: the file names a child and her СНИЛС.
    year = AcademicYear.objects.filter(school=demo.school).order_by("-start").first()
    assert year is not None
    rows = [STUDENTS_HEADER, [*IMPORTED_NAME, "", BIRTH.strftime("%d.%m.%Y"), "ж", "99Я", SNILS]]
    upload = SimpleUploadedFile("ученики.csv", csv_bytes(rows), content_type="text/csv")
    clients["admin"].post(
        reverse("interop:upload"), {"kind": "students", "year": year.pk, "start": TODAY.isoformat(), "file": upload}
    )
    assert ImportBatch.objects.get(school=demo.school).status == ImportStatus.REJECTED
    # A notification to the parent's e-mail that cannot be delivered.
    now = timezone.now()
    message = Message.objects.create(
        school=demo.school,
        recipient=parent,
        event=Event.MARK,
        title="Новая отметка",
        text="4",
        created_at=now,
        ready_at=now,
    )
    failed = Delivery.objects.create(
        school=demo.school, message=message, channel="email", status=Status.PENDING, next_attempt_at=now
    )
    delivery.deliver_due(now + dt.timedelta(seconds=1))
    failed.refresh_from_db()
    assert failed.attempts == 1 and failed.status != Status.SENT
    # A 404 and a 500.
    assert clients["teacher"].get(reverse("journal:grid", args=[99_999_999])).status_code == 404

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("selector failed")

    monkeypatch.setattr("ejournal.diary.views.diary_week", broken)
    assert clients["parent"].get(reverse("diary:week"), follow=True).status_code == 500

    people = User.objects.filter(school=demo.school)
    sentinels = {SNILS, SNILS.replace("-", "").replace(" ", ""), BIRTH.strftime("%d.%m.%Y"), BIRTH.isoformat()}
    sentinels |= {EMAIL, PASSWORD, WRONG_PASSWORD, " ".join(IMPORTED_NAME), IMPORTED_NAME[0]}
    sentinels |= {c.cookies["sessionid"].value for c in clients.values() if "sessionid" in c.cookies}
    sentinels |= {p.last_name for p in people if len(p.last_name) >= 5} | {
        f"{p.last_name} {p.first_name}" for p in people
    }
    lines = formatted(caplog.records)
    hits = sorted({f"{s!r} in: {line[:200]}" for line in lines for s in sentinels if s in line})
    audit = [f"{e.summary} {e.details}" for e in SecurityEvent.objects.filter(school=demo.school)]
    audit_hits = sorted({f"{s!r} in audit: {text[:200]}" for text in audit for s in sentinels if s in text})
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    print(
        f"\nPERSONAL DATA IN LOGS: log records {len(lines)}, audit records {len(audit)}, sentinels {len(sentinels)},"
        f" hits in logs {len(hits)}, hits in audit summaries {len(audit_hits)}"
    )
    assert any("Internal Server Error" in line and "RuntimeError" in line for line in lines), "the 500 was logged"
    assert hits == []
    assert audit_hits == []
    assert {EventKind.LOGIN, EventKind.LOGIN_FAILED} <= kinds


@pytest.mark.django_db
def test_every_change_and_personal_data_export_leaves_one_audit_record(
    small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Marks and attendance: one history record per change that changed something (a resend changes
    nothing and records nothing). Files with students' names: one security-log record per download."""
    set_clock(monkeypatch, JOURNAL_TODAY)
    j = build_journal(small_school)
    s = small_school
    lesson = j.in_period(j.q2)[-3]
    student, absent = s.students_5a[0], s.students_5a[1]
    marks = ["5", "5/4", "5/4", "4", "", "3"]  # the third is a resend: no change
    for text in marks:
        services.set_cell(actor=s.teacher, lesson=lesson, student=student, text=text)
    attendance = [("н", s.teacher), ("н", s.teacher), ("б", s.class_teacher), ("", s.teacher)]
    for code, actor in attendance:
        services.set_attendance(actor=actor, lesson=lesson, student=absent, code=code)
    mark_changes = sum(1 for old, new in zip(["", *marks], marks, strict=False) if old != new)
    att_changes = sum(
        1 for old, new in zip(["", *[c for c, _ in attendance]], [c for c, _ in attendance], strict=False) if old != new
    )
    mark_records = ChangeRecord.objects.filter(lesson=lesson, student=student, kind=ChangeKind.MARK).count()
    att_records = ChangeRecord.objects.filter(lesson=lesson, student=absent, kind=ChangeKind.ATTENDANCE).count()

    client = Client()
    client.force_login(s.admin)
    exports: list[tuple[str, dict[str, Any]]] = [
        (reverse("journal:class_overview_xlsx", args=[s.class_5a.pk]), {}),
        (reverse("reports:student", args=[student.pk]), {"format": "csv"}),
        (reverse("reports:journal", args=[s.math_5a.pk]), {"format": "xlsx"}),
        (reverse("reports:class", args=[s.class_5a.pk]), {"view": "students", "format": "csv"}),
        (reverse("reports:attendance"), {"class": s.class_5a.pk, "format": "csv"}),
        (reverse("audit:usage"), {"format": "csv"}),
    ]
    before = SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_EXPORT).count()
    for url, params in exports:
        assert client.get(url, params).status_code == 200, url
    export_records = SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_EXPORT).count() - before
    print(
        f"\nAUDIT: records per change — marks {mark_records}/{mark_changes} = {mark_records / mark_changes:.1f},"
        f" attendance {att_records}/{att_changes} = {att_records / att_changes:.1f},"
        f" personal-data exports {export_records}/{len(exports)} = {export_records / len(exports):.1f}"
    )
    assert (mark_records, att_records, export_records) == (mark_changes, att_changes, len(exports))

"""Two schools with every kind of object a URL can name, for the authorization matrix and the log scan.

School A is the small school of ejournal/conftest.py with lessons (journal/tests/conftest.py), plus an
"other teacher" who teaches only in 10А, a subgroup, homework with a file, a failed delivery, a stored
report, an import and a session. School B is built the same way. Every person gets a unique sentinel
surname, so that a name found in a response body tells exactly whose it is; the students of A get a
sentinel СНИЛС and birth date, which no teacher's response may contain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ejournal.accounts import services
from ejournal.accounts.models import Guardianship, Role, User, UserSession
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.services import log_entry
from ejournal.conftest import SmallSchool, build_small_school
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson, TeachingAssignment, TimetableSlot
from ejournal.interop.models import ImportBatch, ImportStatus
from ejournal.journal import attachments, lessons
from ejournal.journal import services as journal
from ejournal.journal.models import Homework, HomeworkAttachment
from ejournal.journal.tests.conftest import build_journal
from ejournal.notifications.models import Delivery, Event, Message, Status
from ejournal.reports.models import Occasion, StoredReport
from ejournal.schools import services as schools
from ejournal.schools.models import Enrolment, Holiday, Period, PeriodScheme, Subgroup
from ejournal.support import services as support
from ejournal.support.models import Audience, Ticket, Training

LESSON_DAY = dt.date(2026, 12, 21)  # a Monday of the second quarter, before the journal tests' TODAY
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Sentinels: a СНИЛС with a valid-looking shape and a birth date in every format a page could print.
SNILS = "112-233-445 95"
BIRTH_DATE = dt.date(2014, 3, 17)
BIRTH_DATE_TEXTS = ("17.03.2014", "2014-03-17", "17 марта 2014")


@dataclass
class SchoolObjects:
    """The objects of one school that URL parameters name."""

    s: SmallSchool
    other_teacher: User
    lesson: Lesson  # math 5А, with homework and a file
    lesson_10a: Lesson
    assignment_10a: TeachingAssignment
    homework: Homework
    attachment: HomeworkAttachment
    subgroup: Subgroup
    slot: TimetableSlot  # math 5А, Monday
    slot_10a: TimetableSlot
    period: Period  # the first quarter
    enrolment: Enrolment
    scheme: PeriodScheme
    holiday: Holiday
    delivery: Delivery
    report: StoredReport
    batch: ImportBatch
    session: UserSession
    link: Guardianship
    # Issue 13: a teacher and a director who are also parents of a 5А student, and a second administrator,
    # as targets of credentials and link codes (matrix_spec.CREDENTIAL_TARGETS).
    parent_teacher: User
    parent_director: User
    other_admin: User
    # Issue 15: a made period archive (a real file, so the director's download answers) and its copy to a disk.
    archive_entry: BackupLogEntry
    copy_entry: BackupLogEntry
    # Issue 18: the parent's support request (with a file) and a training session for parents.
    ticket: Ticket
    training: Training
    names: dict[int, str] = field(default_factory=dict)  # user id -> sentinel surname

    @property
    def student(self) -> User:
        return self.s.students_5a[0]

    @property
    def other_child(self) -> User:
        return self.s.students_5a[1]


def _rename(s: SmallSchool, extra: list[User], prefix: str) -> dict[int, str]:
    """Unique surnames that are no substring of one another (fixed width), e.g. «ЖжА07ъ»."""
    people = User.objects.filter(school=s.school).order_by("pk")
    names = {}
    for i, person in enumerate(people):
        names[person.pk] = f"{prefix}{i:02d}ъ"
        person.last_name = names[person.pk]
        person.save(update_fields=["last_name"])
    for obj in [s.admin, s.director, s.deputy, s.teacher, s.teacher2, s.class_teacher, s.parent, *extra]:
        if obj is not None:
            obj.last_name = names[obj.pk]
    for student in [*s.students_5a, *s.students_10a]:
        student.last_name = names[student.pk]
    return names


def _archive_entries(s: SmallSchool, period: Period, prefix: str) -> tuple[BackupLogEntry, BackupLogEntry]:
    content = f"архив {prefix}".encode()
    path = Path(tempfile.mkdtemp(prefix="matrix-archive-")) / "архив.7z"
    path.write_bytes(content)
    sha = hashlib.sha256(content).hexdigest()
    made = log_entry(
        kind=LogKind.ARCHIVE,
        status=LogStatus.DONE,
        what="Архив периода",
        where=str(path),
        size=len(content),
        sha256=sha,
        school=s.school,
        actor=s.director,
        details={"period_id": period.pk},
    )
    copy = log_entry(
        kind=LogKind.COPY_OUT,
        status=LogStatus.DONE,
        what="Архив периода: записан на диск «Диск 1»",
        where="Диск 1",
        size=len(content),
        sha256=sha,
        school=s.school,
        actor=s.director,
        details={"source": made.pk, "file": path.name, "holder": "Директор", "recipient": "Секретарь"},
    )
    return made, copy


def build_school(name: str, prefix: str) -> SchoolObjects:
    s = build_small_school(name=name, students_per_class=3)
    build_journal(s)
    other_teacher = s.person("Чужакова", "Чара", Role.TEACHER)
    assignment_10a = curriculum.create_assignment(
        actor=s.admin, teacher=other_teacher, class_group=s.class_10a, subject=s.math
    )
    slot_10a = curriculum.set_slot(actor=s.admin, year=s.year, assignment=assignment_10a, weekday=1, number=3)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    lesson = Lesson.objects.get(assignment=s.math_5a, date=LESSON_DAY)
    lesson_10a = Lesson.objects.get(assignment=assignment_10a, date=LESSON_DAY)
    student = s.students_5a[0]
    lessons.set_topic(actor=s.teacher, lesson=lesson, topic="Дроби")
    homework = lessons.set_homework(actor=s.teacher, lesson=lesson, text="№ 125")
    assert homework is not None
    (attachment,) = attachments.add_attachments(
        actor=s.teacher, lesson=lesson, uploads=[SimpleUploadedFile("задание.pdf", PDF_BYTES)]
    )
    journal.set_cell_content(actor=s.teacher, lesson=lesson, student=student, marks=["5"], attendance="")
    journal.set_cell_content(actor=s.teacher, lesson=lesson, student=s.students_5a[1], marks=["4"], attendance="")
    subgroup = schools.create_subgroup(
        actor=s.admin, class_group=s.class_5a, subject=s.russian, name="1 группа", students=s.students_5a[:1]
    )
    now = timezone.now()
    message = Message.objects.create(
        school=s.school,
        recipient=s.parent,
        event=Event.MARK,
        title="Новая отметка",
        text="5",
        created_at=now,
        ready_at=now,
        inbox_at=now,
    )
    delivery = Delivery.objects.create(
        school=s.school, message=message, channel="email", status=Status.FAILED, attempts=3, last_error="550"
    )
    period = Period.objects.filter(school=s.school).order_by("start").first()
    assert period is not None
    report = StoredReport.objects.create(
        school=s.school,
        key=f"period:{period.pk}",
        occasion=Occasion.PERIOD,
        grouping="class",
        period=period,
        as_of=period.end,
        title="Отчёт",
        created_at=now,
        xlsx=b"PK",
        pdf=PDF_BYTES,
    )
    batch = ImportBatch.objects.create(
        school=s.school,
        kind="students",
        status=ImportStatus.REJECTED,
        year=s.year,
        start=s.year.start,
        file_name="ученики.csv",
        file_size=10,
        file_sha256="0" * 64,
        created_by=s.admin,
    )
    session = UserSession.objects.create(
        user=s.admin, session_key=f"matrix-{prefix}", started_at=now, last_active_at=now
    )
    for person in s.students_5a:
        person.snils = SNILS
        person.birth_date = BIRTH_DATE
        person.save(update_fields=["snils", "birth_date"])
    parent_teacher = s.person("Родучителева", "Раиса", Role.TEACHER, Role.PARENT)
    parent_director = s.person("Роддиректорова", "Дина", Role.DIRECTOR, Role.PARENT)
    for parent in (parent_teacher, parent_director):
        services.link_parent(actor=s.admin, parent=parent, child=s.students_5a[2])
    other_admin = s.person("Второадминова", "Вера", Role.ADMIN)
    names = _rename(s, [other_teacher, parent_teacher, parent_director, other_admin], prefix)
    archive_entry, copy_entry = _archive_entries(s, period, prefix)
    assert s.parent is not None
    ticket = support.ask(
        actor=s.parent, text="Не вижу отметки", page="/diary/", upload=SimpleUploadedFile("экран.pdf", PDF_BYTES)
    )
    training = Training.objects.create(
        school=s.school,
        title="Дневник для родителей",
        starts_at=now + dt.timedelta(days=30),
        place="Кабинет 12",
        audience=Audience.PARENTS,
        capacity=30,
        created_by=s.admin,
    )
    return SchoolObjects(
        s=s,
        other_teacher=other_teacher,
        lesson=lesson,
        lesson_10a=lesson_10a,
        assignment_10a=assignment_10a,
        homework=homework,
        attachment=attachment,
        subgroup=subgroup,
        slot=TimetableSlot.objects.get(assignment=s.math_5a, weekday=1),
        slot_10a=slot_10a,
        period=period,
        enrolment=Enrolment.objects.get(student=student, class_group=s.class_5a),
        scheme=PeriodScheme.objects.filter(school=s.school).order_by("pk").first(),  # type: ignore[arg-type]
        holiday=Holiday.objects.filter(school=s.school).order_by("pk").first(),  # type: ignore[arg-type]
        delivery=delivery,
        report=report,
        batch=batch,
        session=session,
        link=Guardianship.objects.get(parent=s.parent, child=student),
        parent_teacher=parent_teacher,
        parent_director=parent_director,
        other_admin=other_admin,
        archive_entry=archive_entry,
        copy_entry=copy_entry,
        ticket=ticket,
        training=training,
        names=names,
    )


@dataclass
class World:
    a: SchoolObjects  # the school of every actor but the foreign administrator
    b: SchoolObjects  # another school of the region

    def actors(self) -> dict[str, User]:
        s = self.a.s
        assert s.parent is not None
        return {
            "admin": s.admin,
            "director": s.director,
            "deputy": s.deputy,
            "teacher": s.teacher,
            "other_teacher": self.a.other_teacher,
            "class_teacher": s.class_teacher,
            "student": self.a.student,
            "parent": s.parent,
            "foreign_admin": self.b.s.admin,
        }


def credential_targets(world: World) -> dict[str, User]:
    """matrix_spec.CREDENTIAL_TARGETS: whose credentials and link codes are asked for, by their roles."""
    a, s = world.a, world.a.s
    assert s.parent is not None
    return {
        "student": a.student,
        "parent_only": s.parent,
        "parent_teacher": a.parent_teacher,
        "parent_director": a.parent_director,
        "teacher": s.teacher,
        "deputy": s.deputy,
        "director": s.director,
        "admin": s.admin,
        "other_admin": a.other_admin,
        "other_school": world.b.student,
    }


def build_world() -> World:
    return World(a=build_school("Школа №1", "ЖжА"), b=build_school("Школа №2", "ЖжБ"))

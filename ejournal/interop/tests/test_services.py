"""interop.services: preview, all-or-nothing commit, duplicates, re-import, audit, who may import."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ejournal.accounts.models import Guardianship, Role, User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.core.errors import Conflict, NotFound, ValidationFailed
from ejournal.interop import services
from ejournal.interop.models import ImportBatch, ImportStatus
from ejournal.schools.models import ClassGroup, Enrolment

from .files import CLASSES_HEADER, PARENTS_HEADER, STAFF_HEADER, STUDENTS_HEADER, csv_bytes, xlsx_bytes

d = dt.date


def upload(s, kind, rows, *, actor=None, name="список.csv", data=None, start=None):
    return services.upload(
        actor=actor or s.admin,
        kind=kind,
        file_name=name,
        data=data if data is not None else csv_bytes(rows),
        year=s.year,
        start=start,
    )


def commit(s, batch, actor=None):
    """The page's «Импортировать»: queued for the worker, which the test settings run at once."""
    services.request_commit(actor=actor or s.admin, batch=batch)
    batch.refresh_from_db()
    return batch


def rows_of(batch):
    return [(r["row"], r["action"]) for r in batch.report["rows"]]


def errors_of(batch):
    return [(r["row"], e["column"], e["message"]) for r in batch.report["rows"] for e in r["errors"]]


STUDENTS = [
    STUDENTS_HEADER,
    ["Петров", "Иван", "Сергеевич", "14.03.2015", "м", "5А", "112-233-445 95"],
    ["Сидорова", "Алёна", "", "02.11.2014", "ж", "5 а", ""],
    ["Кузнецов", "Пётр", "Ильич", "01.01.2010", "", "10А", ""],
]


def test_students_preview_then_commit_enrols_from_year_start(small_school):
    s = small_school
    batch = upload(s, "students", STUDENTS)
    assert batch.status == ImportStatus.READY
    assert rows_of(batch) == [(2, "create"), (3, "create"), (4, "create")]
    assert (batch.created_count, batch.updated_count, batch.unchanged_count, batch.error_count) == (3, 0, 0, 0)
    assert not User.objects.filter(last_name="Петров").exists()  # the preview writes nothing

    batch = commit(s, batch)
    assert batch.status == ImportStatus.COMMITTED and batch.content == b""
    petrov = User.objects.get(last_name="Петров")
    assert (petrov.birth_date, petrov.snils, petrov.middle_name) == (d(2015, 3, 14), "112-233-445 95", "Сергеевич")
    assert petrov.has_role(Role.STUDENT) and not petrov.has_usable_password()
    enrolments = Enrolment.objects.filter(student__last_name__in=["Петров", "Сидорова", "Кузнецов"])
    assert sorted((e.student.last_name, e.class_group.name, e.start) for e in enrolments) == [
        ("Кузнецов", "10А", s.year.start),
        ("Петров", "5А", s.year.start),
        ("Сидорова", "5А", s.year.start),
    ]


def test_reimport_of_the_same_file_changes_nothing(small_school):
    s = small_school
    commit(s, upload(s, "students", STUDENTS))
    people_before = User.objects.count()
    again = upload(s, "students", STUDENTS)
    assert rows_of(again) == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]
    assert again.report["same_file_as"] == ImportBatch.objects.get(status=ImportStatus.COMMITTED).pk
    commit(s, again)
    assert User.objects.count() == people_before
    assert Enrolment.objects.filter(student__last_name="Петров").count() == 1


def test_enrolment_starts_on_the_given_day(small_school):
    s = small_school
    batch = upload(s, "students", STUDENTS[:2], start=d(2026, 11, 16))
    commit(s, batch)
    assert Enrolment.objects.get(student__last_name="Петров").start == d(2026, 11, 16)


def test_start_outside_the_year_is_refused(small_school):
    with pytest.raises(ValidationFailed, match="вне учебного года"):
        upload(small_school, "students", STUDENTS, start=d(2030, 1, 1))


def test_same_name_and_birth_date_is_the_same_person_in_file_and_school(small_school):
    s = small_school
    rows = [*STUDENTS, ["ПЕТРОВ", "Иван", "Сергеевич", "14.03.2015", "", "5А", ""]]
    batch = upload(s, "students", rows)
    assert errors_of(batch) == [(5, "ФИО", "этот человек уже указан в строке 2")]
    assert batch.status == ImportStatus.REJECTED and batch.content == b""

    # A student already in the school (written «Фёдоров» there, «Федоров» in the file) is found, not doubled.
    existing = s.person("Фёдоров", "Глеб", Role.STUDENT)
    existing.birth_date = d(2015, 5, 5)
    existing.save()
    batch = upload(s, "students", [STUDENTS_HEADER, ["федоров", "глеб", "", "05.05.2015", "", "5А", ""]])
    assert batch.report["rows"][0]["changes"] == ["зачисление в 5А с 01.09.2026"]
    commit(s, batch)
    assert User.objects.filter(first_name__in=["Глеб", "глеб"]).count() == 1
    assert Enrolment.objects.get(student=existing).class_group == s.class_5a


def test_a_student_of_another_class_is_not_moved(small_school):
    s = small_school
    student = s.students_10a[0]
    student.last_name, student.first_name, student.birth_date = "Десятов", "Денис", d(2010, 2, 2)
    student.save()
    batch = upload(s, "students", [STUDENTS_HEADER, ["Десятов", "Денис", "", "02.02.2010", "", "5А"]])
    assert errors_of(batch) == [
        (
            2,
            "Класс",
            "ученик уже зачислен в 10А (2026/2027) с 01.09.2026: перевод в другой класс делается на странице класса",
        )
    ]


def test_one_bad_row_imports_nothing_and_every_error_is_reported(small_school):
    s = small_school
    rows = [
        STUDENTS_HEADER,
        ["Петров", "Иван", "", "14.03.2015", "", "5А", ""],
        ["Сидорова", "Алёна", "", "31.02.2014", "", "15А", "123-456-789 00"],
        ['=HYPERLINK("http://evil";"x")', "Пётр", "", "1.1.2010", "", "5В", ""],
    ]
    batch = upload(s, "students", rows)
    assert batch.status == ImportStatus.REJECTED
    assert errors_of(batch) == [
        (3, "Дата рождения", "«31.02.2014» — такой даты нет"),
        (3, "Класс", "параллель 15 вне 1–11"),
        (3, "СНИЛС", "«123-456-789 00» — неверное контрольное число СНИЛС"),
        (
            4,
            "Фамилия",
            "значение начинается с «=»: формулы и такие значения не принимаются (уберите знак в начале или "
            "вставьте в таблицу значения, а не формулы)",
        ),
        (4, "Класс", "класса 5В в 2026/2027 нет: сначала импортируйте классы или создайте его"),
    ]
    assert (batch.created_count, batch.error_count) == (1, 2)
    with pytest.raises(Conflict):
        services.request_commit(actor=s.admin, batch=batch)
    assert not User.objects.filter(last_name="Петров").exists()


def test_a_service_refusal_during_commit_rolls_everything_back(small_school, monkeypatch):
    s = small_school
    batch = upload(s, "students", STUDENTS)
    from ejournal.schools import services as schools

    real = schools.create_student
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ValidationFailed("отказ сервиса")
        return real(**kwargs)

    monkeypatch.setattr(schools, "create_student", flaky)
    batch = commit(s, batch)
    assert not User.objects.filter(last_name__in=["Петров", "Сидорова"]).exists()
    assert batch.status == ImportStatus.FAILED and batch.report["commit_error"] == "отказ сервиса"
    assert not SecurityEvent.objects.filter(kind=EventKind.IMPORT).exists()


def test_commit_rechecks_against_the_school_as_it_is_then(small_school):
    s = small_school
    batch = upload(s, "students", STUDENTS)
    ClassGroup.objects.filter(pk=s.class_10a.pk).update(letter="Б")
    batch = commit(s, batch)
    assert batch.status == ImportStatus.REJECTED and batch.report["stale"]
    assert not User.objects.filter(last_name="Петров").exists()


def test_committed_import_is_audited_with_counts_and_no_names(small_school):
    s = small_school
    batch = commit(s, upload(s, "students", STUDENTS))
    event = SecurityEvent.objects.get(kind=EventKind.IMPORT)
    assert event.actor == s.admin and event.school_id == s.school.pk
    assert event.details["created"] == 3 and event.details["batch"] == batch.pk
    text = event.summary + str(event.details)
    for secret in ("Петров", "14.03.2015", "2015-03-14", "112-233-445"):
        assert secret not in text


def test_staff_created_then_roles_added(small_school):
    s = small_school
    rows = [STAFF_HEADER, ["Иванова Мария Петровна", "05.06.1980", "учитель", "Ivanova@Example.ru"]]
    commit(s, upload(s, "staff", rows))
    ivanova = User.objects.get(last_name="Иванова")
    assert ivanova.roles == {Role.TEACHER} and ivanova.email == "ivanova@example.ru"

    rows[1][2] = "учитель, завуч"
    batch = upload(s, "staff", rows)
    assert batch.report["rows"][0]["changes"] == ["роль «заместитель директора по УВР»"]
    commit(s, batch)
    assert User.objects.get(pk=ivanova.pk).roles == {Role.TEACHER, Role.DEPUTY}
    assert errors_of(upload(s, "staff", [STAFF_HEADER, ["Сергеев Олег", "01.01.1970", "охранник", ""]])) == [
        (2, "Роли", "«охранник» — неизвестная роль: учитель, завуч, директор или администратор")
    ]


def test_classes_created_with_class_teacher_and_reassigned(small_school):
    s = small_school
    rows = [CLASSES_HEADER, ["5", "Б", "Учителева Ульяна"], ["6", "a", ""], ["10", "А", "Педагогов Пётр"]]
    batch = upload(s, "classes", rows)
    assert rows_of(batch) == [(2, "create"), (3, "create"), (4, "update")]
    commit(s, batch)
    b5 = ClassGroup.objects.get(year=s.year, grade=5, letter="Б")
    assert list(b5.class_teachers.all()) == [s.teacher]
    assert ClassGroup.objects.filter(year=s.year, grade=6, letter="А").exists()
    assert list(s.class_10a.class_teachers.all()) == [s.teacher2]
    assert rows_of(upload(s, "classes", rows)) == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]

    bad = upload(s, "classes", [CLASSES_HEADER, ["15", "А", ""], ["7", "В", "Никтов Никто"], ["7", "В", ""]])
    assert errors_of(bad) == [
        (2, "Параллель", "параллель 15 вне 1–11"),
        (3, "Классный руководитель", "учителя «Никтов Никто» в школе нет: сначала импортируйте сотрудников"),
        (4, "Класс", "класс 7В уже указан в строке 3"),
    ]


def test_parents_get_the_role_and_the_link_to_each_child(small_school):
    s = small_school
    commit(s, upload(s, "students", STUDENTS))
    rows = [
        PARENTS_HEADER,
        ["Петрова Ольга Ивановна", "8 (912) 345-67-89", "", "Петров Иван Сергеевич", "14.03.2015", "мать"],
        ["Петрова Ольга Ивановна", "+7 912 345 67 89", "", "Сидорова Алёна", "02.11.2014", "опекун"],
        ["Сидоров Олег", "", "sid@example.ru", "Сидорова Алена", "02.11.2014", ""],
    ]
    batch = upload(s, "parents", rows)
    assert rows_of(batch) == [(2, "create"), (3, "update"), (4, "create")]
    assert batch.report["rows"][1]["changes"] == ["тот же родитель, что в строке 2", "связь с ребёнком (опекун)"]
    commit(s, batch)
    petrova = User.objects.get(last_name="Петрова")
    assert petrova.phone == "+79123456789" and petrova.roles == {Role.PARENT}
    links = Guardianship.objects.filter(parent=petrova).order_by("child__last_name")
    assert [(g.child.last_name, g.relation) for g in links] == [("Петров", "мать"), ("Сидорова", "опекун")]

    again = upload(s, "parents", rows)
    assert rows_of(again) == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]
    rows[3][5] = "отец"
    assert upload(s, "parents", rows).report["rows"][2]["changes"] == ["кем приходится: отец"]


def test_parent_of_an_unknown_child_and_without_contacts_is_an_error(small_school):
    batch = upload(small_school, "parents", [PARENTS_HEADER, ["Иванов Иван", "", "", "Иванов Пётр", "01.01.2015", ""]])
    assert errors_of(batch) == [
        (2, "Телефон", "укажите телефон или e-mail родителя"),
        (2, "ФИО ребёнка", "ученика «Иванов Пётр», 01.01.2015 г. р., в школе нет: сначала импортируйте учеников"),
    ]


def test_xlsx_with_excel_dates(small_school):
    s = small_school
    rows: list[list[Any]] = [STUDENTS_HEADER, ["Петров", "Иван", "", d(2015, 3, 14), None, "5А", None]]
    batch = upload(s, "students", rows, name="ученики.xlsx", data=xlsx_bytes(rows))
    assert rows_of(batch) == [(2, "create")]


def test_file_errors_are_kept_as_a_refused_import(small_school):
    batch = upload(small_school, "students", [["Фамилия", "Имя", "Класс"], ["Петров", "Иван", "5А"]])
    assert batch.status == ImportStatus.REJECTED
    assert batch.report["file_error"].startswith("В файле нет столбцов: «Дата рождения».")
    junk = upload(small_school, "students", [], name="ученики.xlsx", data=b"MZ\x90\x00" + bytes(300))
    assert "не читается как таблица" in junk.report["file_error"]


def test_a_file_over_the_limit_is_refused_before_reading(small_school, settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(ValidationFailed, match="больше допустимых"):
        upload(small_school, "students", [], data=b"x" * 1001)
    assert not ImportBatch.objects.exists()
    with pytest.raises(ValidationFailed):
        services.check_request_size(str(100 * 1024 * 1024))
    services.check_request_size("1000")


@pytest.mark.parametrize("who", ["deputy", "director", "teacher", "class_teacher", "parent"])
def test_only_the_administrator_imports(small_school, who):
    s = small_school
    with pytest.raises(NotFound):
        upload(s, "classes", [CLASSES_HEADER, ["7", "Б", ""]], actor=getattr(s, who))
    batch = upload(s, "classes", [CLASSES_HEADER, ["7", "Б", ""]])
    with pytest.raises(NotFound):
        services.request_commit(actor=getattr(s, who), batch=batch)
    with pytest.raises(NotFound):
        services.discard(actor=getattr(s, who), batch=batch)


def test_another_schools_batch_and_year_are_out_of_scope(small_school, other_school):
    batch = upload(small_school, "classes", [CLASSES_HEADER, ["7", "Б", ""]])
    with pytest.raises(NotFound):
        services.request_commit(actor=other_school.admin, batch=batch)
    with pytest.raises(NotFound):
        services.upload(actor=other_school.admin, kind="classes", file_name="x.csv", data=b"x", year=small_school.year)


def test_discard_drops_the_file(small_school):
    s = small_school
    batch = services.discard(actor=s.admin, batch=upload(s, "classes", [CLASSES_HEADER, ["7", "Б", ""]]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED and bytes(batch.content) == b""
    with pytest.raises(Conflict):
        services.request_commit(actor=s.admin, batch=batch)


cell = st.one_of(
    st.text(max_size=15),
    st.sampled_from(["5А", "15Б", "14.03.2015", "31.02.2015", "=1+1", "+7 912 345-67-89", "учитель", "Петров Иван"]),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["classes", "students", "parents", "staff"]), rows=st.lists(st.lists(cell, max_size=9)))
def test_any_cells_under_a_right_header_give_a_report_never_an_exception(small_school, kind, rows):
    header = {"classes": CLASSES_HEADER, "students": STUDENTS_HEADER, "parents": PARENTS_HEADER, "staff": STAFF_HEADER}
    data = csv_bytes([header[kind], *rows], encoding="utf-8-sig")
    batch = upload(small_school, kind, [], data=data)
    assert batch.status in (ImportStatus.READY, ImportStatus.REJECTED)
    for row in batch.report.get("rows", []):
        assert row["action"] in ("create", "update", "unchanged", "error")
        assert (row["action"] == "error") == bool(row["errors"])


# --- issue 13, part E: the administrator's and the director's roles by a staff file -------------------------

PASSWORD = "пароль-администратора"


@pytest.fixture
def admin_password(small_school):
    small_school.admin.set_password(PASSWORD)
    small_school.admin.save()
    return PASSWORD


def director_of_the_file(s):
    """The teacher, found by name and birth date, becomes the director as well."""
    s.teacher.birth_date = d(1985, 2, 3)
    s.teacher.save(update_fields=["birth_date"])
    return [STAFF_HEADER, [s.teacher.full_name, "03.02.1985", "учитель, директор", ""]]


def test_the_plan_knows_which_rows_need_the_password(small_school):
    s = small_school
    rows = [
        *director_of_the_file(s),
        ["Петров Пётр Петрович", "01.01.1975", "администратор", ""],
        ["Сидорова Анна", "02.02.1990", "учитель, завуч", ""],
    ]
    batch = upload(s, "staff", rows)
    short = s.teacher.short_name
    assert batch.report["confirm"] == [
        {"row": 2, "roles": [Role.DIRECTOR], "name": short},
        {"row": 3, "roles": [Role.ADMIN], "name": "Петров П. П."},
    ]
    assert services.needs_password(batch)
    assert services.confirmation_text(batch) == (
        f"Файл выдаёт роль администратора: Петров П. П.; роль директора: {short}; для выполнения введите свой пароль."
    )


@pytest.mark.parametrize("password", [None, "", "не тот"])
def test_a_wrong_password_queues_nothing_and_is_logged(small_school, admin_password, password):
    s = small_school
    batch = upload(s, "staff", director_of_the_file(s))
    with pytest.raises(ValidationFailed) as refused:
        services.request_commit(actor=s.admin, batch=batch, password=password)
    assert refused.value.field == "password"
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY and batch.content and "confirmed" not in batch.report
    assert not User.objects.get(pk=s.teacher.pk).has_role(Role.DIRECTOR)
    [event] = SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANT_REFUSED)
    assert event.actor == s.admin and event.details == {"batch": batch.pk, "roles": [Role.DIRECTOR]}


def test_the_right_password_grants_an_existing_person_the_role(small_school, admin_password):
    """Before: the worker's grant_role had no password and refused, so the whole import failed."""
    s = small_school
    batch = upload(s, "staff", director_of_the_file(s))
    services.request_commit(actor=s.admin, batch=batch, password=admin_password)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.COMMITTED, batch.report
    assert User.objects.get(pk=s.teacher.pk).roles == {Role.TEACHER, Role.DIRECTOR}
    assert SecurityEvent.objects.filter(kind=EventKind.ROLE_GRANTED, subject=s.teacher).count() == 1


def test_the_right_password_creates_a_new_administrator(small_school, admin_password):
    """Before: a new person with the administrator's role was created without any confirmation."""
    s = small_school
    batch = upload(s, "staff", [STAFF_HEADER, ["Петров Пётр Петрович", "01.01.1975", "администратор", ""]])
    with pytest.raises(ValidationFailed):
        services.request_commit(actor=s.admin, batch=batch)
    assert not User.objects.filter(last_name="Петров").exists()
    services.request_commit(actor=s.admin, batch=batch, password=admin_password)
    assert User.objects.get(last_name="Петров").roles == {Role.ADMIN}


def test_an_unconfirmed_grant_at_commit_is_stale_and_writes_nothing(small_school, admin_password):
    """At commit the plan is made again; one that now grants a role nobody confirmed with a password (the
    school changed since the preview; here the kept file itself differs) is refused and writes nothing."""
    s = small_school
    rows = [STAFF_HEADER, ["Петров Пётр Петрович", "01.01.1975", "учитель", ""]]
    batch = upload(s, "staff", rows)
    assert not services.needs_password(batch)
    # The file kept in the batch is replaced behind the preview's back: a director's row nobody confirmed.
    ImportBatch.objects.filter(pk=batch.pk).update(
        content=csv_bytes([STAFF_HEADER, ["Петров Пётр Петрович", "01.01.1975", "учитель, директор", ""]])
    )
    batch = commit(s, batch)
    assert batch.status == ImportStatus.REJECTED and batch.report["stale"]
    assert errors_of(batch) == [
        (2, "Роли", "роль директора выдаётся только после подтверждения паролем: загрузите файл снова и введите пароль")
    ]
    assert not User.objects.filter(last_name="Петров").exists()


def test_what_was_confirmed_is_kept_in_the_report(small_school, admin_password):
    s = small_school
    batch = upload(s, "staff", director_of_the_file(s))
    services.request_commit(actor=s.admin, batch=batch, password=admin_password)
    batch.refresh_from_db()
    assert batch.report["confirmed"] == {"by": s.admin.pk, "grants": [[2, Role.DIRECTOR]]}

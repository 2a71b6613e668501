"""Services of classes, enrolment and subgroups."""

import datetime as dt

import pytest

from ejournal.accounts.models import Role, User
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.schools import services
from ejournal.schools.models import ClassGroup, Enrolment, Subgroup, SubgroupMember

d = dt.date


@pytest.fixture
def class_5b(small_school):
    return services.create_class(actor=small_school.admin, year=small_school.year, grade=5, letter="б")


def test_class_letter_is_upper_case_and_unique(small_school, class_5b):
    assert class_5b.name == "5Б"
    with pytest.raises(ValidationFailed, match="Класс 5Б в 2026/2027 уже есть"):
        services.create_class(actor=small_school.admin, year=small_school.year, grade=5, letter=" Б ")
    with pytest.raises(ValidationFailed, match="длиннее 4 знаков"):
        services.create_class(actor=small_school.admin, year=small_school.year, grade=5, letter="АБВГД")


def test_only_a_teacher_can_be_a_class_teacher(small_school, class_5b):
    s = small_school
    with pytest.raises(ValidationFailed, match="не учитель"):
        services.set_class_teachers(actor=s.admin, class_group=class_5b, teachers=[s.parent])
    services.set_class_teachers(actor=s.deputy, class_group=class_5b, teachers=[s.teacher, s.teacher2])
    assert set(class_5b.class_teachers.all()) == {s.teacher, s.teacher2}


def test_student_enrolled_twice_at_once_is_refused(small_school, class_5b):
    s = small_school
    student = s.students_5a[0]
    before = Enrolment.objects.count()
    with pytest.raises(ValidationFailed) as e:
        services.enrol(actor=s.admin, student=student, class_group=class_5b, start=d(2026, 10, 1))
    assert e.value.message == (
        f"{student.full_name} уже зачислен(а) в 5А (с 01.09.2026): ученик не может быть в двух классах одновременно."
    )
    assert Enrolment.objects.count() == before


def test_enrolment_outside_the_year_is_refused(small_school, class_5b):
    s = small_school
    student = s.person("Новикова", "Нина", Role.STUDENT)
    with pytest.raises(ValidationFailed, match=r"Зачисление в 5Б с 01\.06\.2027 вне учебного года 2026/2027"):
        services.enrol(actor=s.admin, student=student, class_group=class_5b, start=d(2027, 6, 1))


def test_create_student_enrols_in_one_step(small_school, class_5b):
    s = small_school
    enrolment = services.create_student(
        actor=s.admin,
        class_group=class_5b,
        last_name="Петров",
        first_name="Пётр",
        middle_name="Петрович",
        birth_date=d(2015, 3, 8),
        start=d(2026, 11, 2),
    )
    student = enrolment.student
    assert student.has_role(Role.STUDENT)
    assert (student.school_id, student.birth_date, enrolment.class_group_id) == (
        s.school.pk,
        d(2015, 3, 8),
        class_5b.pk,
    )
    assert not student.has_usable_password()


def test_create_student_refuses_a_twin_and_a_date_outside_the_year_and_saves_nothing(small_school, class_5b):
    s = small_school
    kwargs = dict(class_group=class_5b, last_name="Петров", first_name="Пётр", birth_date=d(2015, 3, 8))
    services.create_student(actor=s.admin, start=d(2026, 11, 2), **kwargs)
    users, enrolments = User.objects.count(), Enrolment.objects.count()
    with pytest.raises(ValidationFailed, match=r"Петров Пётр, 08\.03\.2015 г\. р\., в школе уже есть"):
        services.create_student(actor=s.admin, start=d(2026, 11, 2), **kwargs)
    with pytest.raises(ValidationFailed, match="вне учебного года"):
        services.create_student(
            actor=s.admin, class_group=class_5b, last_name="Сидоров", first_name="Сидор", start=d(2027, 7, 1)
        )
    assert (User.objects.count(), Enrolment.objects.count()) == (users, enrolments)


def test_mid_year_transfer_ends_one_enrolment_and_starts_another(small_school, class_5b):
    s = small_school
    student = s.students_5a[1]
    new = services.transfer(actor=s.admin, student=student, to_class=class_5b, first_day=d(2027, 1, 12))
    old = Enrolment.objects.get(student=student, class_group=s.class_5a)
    assert (old.start, old.end, old.reason_out) == (d(2026, 9, 1), d(2027, 1, 11), "переведён(а) в 5Б")
    assert (new.class_group_id, new.start, new.end) == (class_5b.pk, d(2027, 1, 12), None)
    before, after = (
        services.current_enrolment(student, d(2027, 1, 11)),
        services.current_enrolment(student, d(2027, 1, 12)),
    )
    assert before is not None and before.class_group_id == s.class_5a.pk
    assert after is not None and after.class_group_id == class_5b.pk


def test_transfer_to_the_same_class_is_refused(small_school):
    s = small_school
    with pytest.raises(ValidationFailed, match="уже в 5А"):
        services.transfer(actor=s.admin, student=s.students_5a[0], to_class=s.class_5a, first_day=d(2027, 1, 12))


def test_withdraw_needs_a_reason(small_school):
    s = small_school
    student = s.students_5a[2]
    with pytest.raises(ValidationFailed, match="Укажите причину выбытия"):
        services.withdraw(actor=s.admin, student=student, last_day=d(2026, 12, 1), reason=" ")
    services.withdraw(actor=s.admin, student=student, last_day=d(2026, 12, 1), reason="переезд")
    assert Enrolment.objects.get(student=student).end == d(2026, 12, 1)


def test_foreign_admin_cannot_enrol_into_this_school(small_school, other_school):
    with pytest.raises(NotFound):
        services.enrol(
            actor=other_school.admin,
            student=other_school.students_5a[0],
            class_group=small_school.class_5a,
            start=d(2026, 9, 1),
        )


def test_subgroups_split_a_class_per_subject(small_school):
    s = small_school
    first, second = s.students_5a[:2], s.students_5a[2:4]
    g1 = services.create_subgroup(
        actor=s.admin, class_group=s.class_5a, subject=s.math, name="1 группа", students=first
    )
    g2 = services.create_subgroup(actor=s.admin, class_group=s.class_5a, subject=s.math, name="2 группа")
    with pytest.raises(ValidationFailed, match=r"уже в подгруппе «1 группа» по этому предмету"):
        services.set_subgroup_members(actor=s.admin, subgroup=g2, students=[first[0], *second])
    assert SubgroupMember.objects.filter(subgroup=g2).count() == 0
    with pytest.raises(ValidationFailed, match="не учится в классе 5А"):
        services.set_subgroup_members(actor=s.admin, subgroup=g2, students=[s.students_10a[0]])
    services.set_subgroup_members(actor=s.admin, subgroup=g2, students=second)
    assert set(g2.students.all()) == set(second)
    with pytest.raises(ValidationFailed, match="уже есть"):
        services.create_subgroup(actor=s.admin, class_group=s.class_5a, subject=s.math, name="1 группа")
    assert Subgroup.objects.filter(class_group=s.class_5a).count() == 2
    assert ClassGroup.objects.get(pk=g1.class_group_id) == s.class_5a


def test_transfer_keeps_the_old_subgroup_for_the_days_before(small_school):
    s = small_school
    student = s.students_5a[0]
    group = services.create_subgroup(
        actor=s.admin, class_group=s.class_5a, subject=s.math, name="1 группа", students=[student]
    )
    class_5b = services.create_class(actor=s.admin, year=s.year, grade=5, letter="Б")
    services.transfer(actor=s.admin, student=student, to_class=class_5b, first_day=dt.date(2026, 12, 1))
    assert SubgroupMember.objects.filter(subgroup=group, student=student).exists()

"""Предметы и учебный план: management changes, the director reads, everyone else gets 404."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ejournal.curriculum import services
from ejournal.curriculum.models import CurriculumHours, Subject

from .conftest import as_user, url


@pytest.mark.parametrize("who", ["admin", "deputy", "director"])
def test_management_sees_subjects_and_grid(client, small_school, who):
    s = small_school
    services.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=s.math, hours_per_week=Decimal(5))
    r = as_user(client, getattr(s, who)).get(url("subjects", year=s.year.pk))
    assert r.status_code == 200
    text = r.content.decode()
    assert "Математика" in text and "Учебный план 2026/2027" in text
    assert (f'name="h-{s.math.pk}-5" value="5"' in text) == (who != "director")


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    assert as_user(client, getattr(small_school, who)).get(url("subjects")).status_code == 404


def test_student_gets_404_and_anonymous_goes_to_login(client, small_school):
    assert as_user(client, small_school.students_5a[0]).get(url("subjects")).status_code == 404
    client.logout()
    r = client.get(url("subjects"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_foreign_admin_cannot_touch_this_schools_subject(client, small_school, other_school):
    c = as_user(client, other_school.admin)
    r = c.post(url("subject_update", small_school.math.pk), {"name": "Взлом", "short_name": "X"})
    assert r.status_code == 404
    assert c.post(url("subject_delete", small_school.math.pk)).status_code == 404
    assert Subject.objects.get(pk=small_school.math.pk).name == "Математика"
    # Their own page lists their own subjects only.
    other = Subject.objects.create(school=small_school.school, name="Только первой школы", short_name="Т")
    assert "Только первой школы" not in c.get(url("subjects")).content.decode()
    assert other.pk


def test_create_subject_and_duplicate_is_refused(client, small_school):
    c = as_user(client, small_school.deputy)
    r = c.post(url("subject_create"), {"name": "Физика", "short_name": "Физ"})
    assert r.status_code == 302
    assert Subject.objects.filter(school=small_school.school, name="Физика", short_name="Физ").exists()
    r = c.post(url("subject_create"), {"name": "Физика"})
    assert r.status_code == 422
    assert "Предмет «Физика» уже есть." in r.content.decode()
    assert Subject.objects.filter(school=small_school.school, name="Физика").count() == 1


def test_teacher_cannot_create_subject(client, small_school):
    r = as_user(client, small_school.teacher).post(url("subject_create"), {"name": "Астрология"})
    assert r.status_code == 404
    assert not Subject.objects.filter(name="Астрология").exists()


def test_rename_subject_and_delete_unused(client, small_school):
    c = as_user(client, small_school.admin)
    physics = services.create_subject(actor=small_school.admin, name="Физика")
    r = c.post(
        url("subject_update", physics.pk), {"name": "Физика и астрономия", "short_name": "Физ", "pass_fail": "on"}
    )
    assert r.status_code == 302
    physics.refresh_from_db()
    assert (physics.name, physics.short_name, physics.pass_fail) == ("Физика и астрономия", "Физ", True)
    assert c.post(url("subject_delete", physics.pk)).status_code == 302
    assert not Subject.objects.filter(pk=physics.pk).exists()


def test_subject_in_use_is_not_deleted(client, small_school):
    r = as_user(client, small_school.admin).post(url("subject_delete", small_school.math.pk))
    assert r.status_code == 422
    assert "удалить нельзя: по нему есть нагрузка учителей" in r.content.decode()
    assert Subject.objects.filter(pk=small_school.math.pk).exists()


def test_grid_saves_all_cells_with_totals(client, small_school):
    s = small_school
    c = as_user(client, s.deputy)
    data = {"year": s.year.pk, f"h-{s.math.pk}-5": "5", f"h-{s.russian.pk}-5": "4,5", f"h-{s.math.pk}-10": "4"}
    r = c.post(url("curriculum_save"), data)
    assert r.status_code == 302
    hours = {(h.subject_id, h.grade): h.hours_per_week for h in CurriculumHours.objects.filter(year=s.year)}
    assert hours == {(s.math.pk, 5): Decimal(5), (s.russian.pk, 5): Decimal("4.5"), (s.math.pk, 10): Decimal(4)}
    page = c.get(url("subjects", year=s.year.pk)).content.decode()
    assert "<th>9,5</th>" in page  # the 5th parallel's total
    # Emptying a cell removes the line.
    c.post(url("curriculum_save"), {"year": s.year.pk, f"h-{s.math.pk}-10": ""})
    assert not CurriculumHours.objects.filter(year=s.year, grade=10).exists()


def test_grid_with_a_bad_cell_saves_nothing_and_shows_the_typed_values(client, small_school):
    s = small_school
    c = as_user(client, s.deputy)
    data = {"year": s.year.pk, f"h-{s.math.pk}-5": "5", f"h-{s.russian.pk}-5": "пять"}
    r = c.post(url("curriculum_save"), data)
    assert r.status_code == 422
    text = r.content.decode()
    assert "Часы в неделю — число" in text and 'value="пять"' in text and "cell-error" in text
    assert not CurriculumHours.objects.filter(year=s.year).exists()
    r = c.post(url("curriculum_save"), {"year": s.year.pk, f"h-{s.math.pk}-5": "5", f"h-{s.russian.pk}-6": "40"})
    assert r.status_code == 422
    assert "Русский язык, 6 кл.: часов в неделю должно быть от 0 до 12" in r.content.decode()
    assert not CurriculumHours.objects.filter(year=s.year).exists()


def test_director_cannot_save_grid(client, small_school):
    s = small_school
    r = as_user(client, s.director).post(url("curriculum_save"), {"year": s.year.pk, f"h-{s.math.pk}-5": "5"})
    assert r.status_code == 404
    assert not CurriculumHours.objects.exists()


def test_grid_of_another_schools_year_is_404(client, small_school, other_school):
    c = as_user(client, small_school.admin)
    assert c.get(url("subjects", year=other_school.year.pk)).status_code == 404
    r = c.post(url("curriculum_save"), {"year": other_school.year.pk, f"h-{small_school.math.pk}-5": "5"})
    assert r.status_code == 404


def test_subjects_page_queries_do_not_grow(client, small_school, django_assert_max_num_queries):
    s = small_school
    c = as_user(client, s.admin)
    with django_assert_max_num_queries(14) as few:
        c.get(url("subjects", year=s.year.pk))
    for i in range(15):
        subject = services.create_subject(actor=s.admin, name=f"Предмет {i}")
        services.set_curriculum_hours(actor=s.admin, year=s.year, grade=5, subject=subject, hours_per_week=Decimal(1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(url("subjects", year=s.year.pk))

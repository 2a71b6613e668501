"""The homework list (upcoming by due date, then past) and one homework, with files; own lessons only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ejournal.curriculum.models import Lesson
from ejournal.diary.homework import PAST_PAGE, homework_list
from ejournal.journal.models import Homework
from ejournal.schools.models import Subgroup, SubgroupMember

from .conftest import TODAY


def list_url(diary, student=None):
    return reverse("diary:student_homework", args=[(student or diary.child).pk])


def item_url(diary, homework, student=None):
    return reverse("diary:student_homework_item", args=[(student or diary.child).pk, homework.pk])


def test_upcoming_first_then_past(diary):
    found = homework_list(diary.child, today=TODAY)
    assert [h.id for h in found.upcoming] == [diary.upcoming.pk]
    assert [h.id for h in found.past] == [diary.past.pk]
    upcoming = found.upcoming[0]
    assert upcoming.subject == "Математика" and upcoming.due == dt.date(2026, 12, 28) and upcoming.due_given
    assert [(f.id, f.name) for f in upcoming.files] == [(diary.attachment.pk, "карточки.pdf")]


def test_order_by_due_date_and_paging_of_the_past(diary):
    s = diary.s
    lessons = list(Lesson.objects.filter(class_group=s.class_5a, date__lt=TODAY).exclude(homework__isnull=False))
    made = [
        Homework.objects.create(
            school=s.school,
            lesson=lesson,
            text=f"Задание {i}",
            due_date=None if i % 2 else lesson.date + dt.timedelta(days=2),
            created_by=s.teacher,
            created_at=timezone.now(),
        )
        for i, lesson in enumerate(lessons[: PAST_PAGE + 5])
    ]
    later = Homework.objects.create(
        school=s.school,
        lesson=Lesson.objects.get(assignment=s.russian_5a, date=dt.date(2026, 12, 22)),
        text="К пятнице",
        due_date=dt.date(2027, 1, 15),
        created_by=s.teacher2,
        created_at=timezone.now(),
    )
    first = homework_list(diary.child, today=TODAY)
    assert [h.id for h in first.upcoming] == [diary.upcoming.pk, later.pk]  # the soonest first
    dues = [h.due for h in first.past]
    assert dues == sorted(dues, reverse=True) and len(first.past) == PAST_PAGE and first.more_past
    second = homework_list(diary.child, today=TODAY, past_offset=first.next_offset)
    undated = next(h for h in first.past + second.past if h.id == made[1].pk)
    assert undated.due == made[1].lesson.date and not undated.due_given  # no due date: the lesson's date
    assert not second.more_past
    assert {h.id for h in first.past}.isdisjoint({h.id for h in second.past})
    assert len(first.past) + len(second.past) == len(made) + 1  # and the fixture's past one


def test_subgroup_homework_only_for_members(diary):
    s = diary.s
    group = Subgroup.objects.create(school=s.school, class_group=s.class_5a, subject=s.russian, name="1 группа")
    SubgroupMember.objects.create(school=s.school, subgroup=group, student=s.students_5a[2])
    lesson = Lesson.objects.create(
        school=s.school,
        assignment=s.russian_5a,
        class_group=s.class_5a,
        subgroup=group,
        subject=s.russian,
        teacher=s.teacher2,
        date=TODAY,
        number=5,
    )
    only = Homework.objects.create(
        school=s.school, lesson=lesson, text="Группе", created_by=s.teacher2, created_at=timezone.now()
    )
    assert only.pk in [h.id for h in homework_list(s.students_5a[2], today=TODAY).upcoming]
    assert only.pk not in [h.id for h in homework_list(diary.child, today=TODAY).upcoming]


def test_page_lists_homework_with_files(client, diary):
    client.force_login(diary.s.parent)
    response = client.get(list_url(diary))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("№ 512, 514") < body.index("Упражнение 125")  # upcoming before past
    assert reverse("journal:attachment", args=[diary.attachment.pk]) in body and "карточки.pdf" in body
    assert response["X-Diary-Page"] == "homework"


def test_a_bad_offset_of_the_past_shows_the_first_page(client, diary):
    client.force_login(diary.s.parent)
    for raw in ("²", "-1", "9" * 20):  # "²" passed isdigit() and failed int(): was a 500
        response = client.get(list_url(diary), {"past": raw})
        assert response.status_code == 200 and "Упражнение 125" in response.content.decode()


def test_the_file_downloads_for_the_parent_and_not_for_another(client, diary, other_school):
    from django.core.files.base import ContentFile

    diary.attachment.file.save("cards.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    client.force_login(diary.s.parent)
    download = reverse("journal:attachment", args=[diary.attachment.pk])
    assert client.get(download).status_code == 200
    client.force_login(other_school.parent)
    assert client.get(download).status_code == 404


def test_one_homework_page(client, diary):
    client.force_login(diary.child)
    response = client.get(item_url(diary, diary.upcoming))
    assert response.status_code == 200
    assert "№ 512, 514" in response.content.decode() and "карточки.pdf" in response.content.decode()


def test_another_class_homework_is_404(client, diary):
    s = diary.s
    math_10a = s.math_5a.__class__.objects.create(
        school=s.school, teacher=s.teacher, class_group=s.class_10a, subject=s.math, start=s.year.start
    )
    lesson = Lesson.objects.create(
        school=s.school,
        assignment=math_10a,
        class_group=s.class_10a,
        subject=s.math,
        teacher=s.teacher,
        date=TODAY,
        number=4,
    )
    foreign = Homework.objects.create(
        school=s.school, lesson=lesson, text="10А", created_by=s.teacher, created_at=timezone.now()
    )
    client.force_login(s.parent)
    assert client.get(item_url(diary, foreign)).status_code == 404
    assert "10А" not in client.get(list_url(diary)).content.decode()


def test_another_childs_homework_is_404(client, diary):
    client.force_login(diary.s.parent)
    assert client.get(list_url(diary, diary.s.students_5a[1])).status_code == 404
    assert client.get(item_url(diary, diary.upcoming, diary.s.students_5a[1])).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "deputy"])
def test_staff_have_no_diary(client, diary, who):
    client.force_login(getattr(diary.s, who))
    assert client.get(list_url(diary)).status_code == 404
    assert client.get(item_url(diary, diary.upcoming)).status_code == 404


def test_anonymous_is_sent_to_login(client, diary):
    response = client.get(list_url(diary))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_query_count_is_fixed(client, diary, django_assert_max_num_queries):
    client.force_login(diary.s.parent)
    with django_assert_max_num_queries(7):  # session, user, roles, diaries, upcoming, past, files
        assert client.get(list_url(diary)).status_code == 200

"""Homework files and lessons reach a student (and her parents) exactly as her diary shows them
(access.diary.lessons_in_diaries): her own subgroup only; after a transfer her former class only for
the days she was in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ejournal.access.curriculum import visible_lessons
from ejournal.access.diary import student_lessons
from ejournal.accounts import services as people
from ejournal.curriculum.models import Lesson
from ejournal.diary.selectors import diary_week
from ejournal.journal import attachments

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def file_of(actor, lesson) -> int:
    upload = SimpleUploadedFile("Задание.pdf", PDF_BYTES, content_type="application/pdf")
    [item] = attachments.add_attachments(actor=actor, lesson=lesson, uploads=[upload])
    return item.pk


def download(client, user, attachment_id: int) -> int:
    client.force_login(user)
    return client.get(reverse("journal:attachment", args=[attachment_id])).status_code


def test_other_subgroups_file_is_404_for_student_and_parent(client, transfer):
    s = transfer.s
    own_lesson = Lesson.objects.filter(assignment=transfer.english_1, date__lt=transfer.first_day).first()
    other_lesson = Lesson.objects.filter(assignment=transfer.english_2, date__lt=transfer.first_day).first()
    own = file_of(s.teacher, own_lesson)
    other = file_of(s.teacher2, other_lesson)
    for user in (transfer.student, s.parent):
        assert download(client, user, own) == 200
        assert download(client, user, other) == 404
    # A member of the second subgroup gets its file, and not the first's.
    assert download(client, s.students_5a[2], other) == 200
    assert download(client, s.students_5a[2], own) == 404


def test_former_class_files_only_for_the_days_she_was_in_it(client, transfer):
    s, j = transfer.s, transfer.j
    before = file_of(s.teacher, transfer.before[0])
    after_lesson = next(lesson for lesson in j.in_period(j.q2) if lesson.date >= transfer.first_day)
    after = file_of(s.teacher, after_lesson)
    new_class = file_of(s.teacher2, transfer.after[0])
    for user in (transfer.student, s.parent):
        assert download(client, user, before) == 200  # in her diary's history
        assert download(client, user, after) == 404  # 5А after she left: not hers
        assert download(client, user, new_class) == 200
    assert download(client, s.students_5a[1], after) == 200  # still in 5А


def test_former_class_future_lessons_are_listed_nowhere(client, transfer):
    s, j = transfer.s, transfer.j
    student = transfer.student
    old_after = {lesson.pk for lesson in j.lessons if lesson.date >= transfer.first_day}
    old_before = {lesson.pk for lesson in transfer.before}
    for user in (student, s.parent):
        seen = set(visible_lessons(user).values_list("pk", flat=True))
        assert not seen & old_after and old_before <= seen
        client.force_login(user)
        listed = client.get(reverse("api-lessons"), {"from": "2026-09-01", "to": "2027-05-31"}).json()
        rows = listed["results"] if isinstance(listed, dict) else listed
        ids = {row["id"] for row in rows}
        assert not ids & old_after and old_before <= ids
        assert transfer.after[0].pk in ids
    diary_ids = set(student_lessons(student).values_list("pk", flat=True))
    assert not diary_ids & old_after
    week = diary_week(student, transfer.first_day + dt.timedelta(days=7))
    classes = {day.class_name for day in week.days if day.lessons}
    assert classes <= {"5Б"}
    # The other subgroup's lessons are in neither the diary nor the lesson lists.
    other_group = set(Lesson.objects.filter(assignment=transfer.english_2).values_list("pk", flat=True))
    assert not other_group & diary_ids
    assert not other_group & set(visible_lessons(s.parent).values_list("pk", flat=True))


def test_a_parent_of_two_sees_each_childs_own_subgroup_only(transfer):
    """The subgroup is checked against the same child whose enrolment opens the class."""
    s = transfer.s
    # The parent's second child is in 5А, in the second subgroup; the first child (moved to 5Б) is still
    # a member of the first subgroup on paper.
    people.link_parent(actor=s.admin, parent=s.parent, child=s.students_5a[2])
    seen = set(visible_lessons(s.parent).values_list("pk", flat=True))
    first_after = set(
        Lesson.objects.filter(assignment=transfer.english_1, date__gte=transfer.first_day).values_list("pk", flat=True)
    )
    second = set(Lesson.objects.filter(assignment=transfer.english_2).values_list("pk", flat=True))
    assert second <= seen and not first_after & seen

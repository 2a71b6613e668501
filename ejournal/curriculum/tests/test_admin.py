"""The admin shows curriculum data to staff and writes nothing around the services' rules."""

from __future__ import annotations

from django.urls import reverse

from ejournal.accounts.models import User


def test_admin_lists_are_read_only(client, timetabled):
    root = User.objects.create_superuser(username="root", password="x-Strong-42", email="r@example.org")
    client.force_login(root)
    for model in (
        "subject",
        "curriculumhours",
        "teachingassignment",
        "plannedtopic",
        "bell",
        "timetableslot",
        "lesson",
    ):
        r = client.get(reverse(f"admin:curriculum_{model}_changelist"))
        assert r.status_code == 200, model
    assert client.get(reverse("admin:curriculum_subject_add")).status_code == 403
    lesson = timetabled.math_5a.lessons.first()
    r = client.post(reverse("admin:curriculum_lesson_change", args=[lesson.pk]), {"topic": "x"})
    assert r.status_code == 403

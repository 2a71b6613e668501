"""Homework files: types checked by content, limits, closed periods, history, who may upload, remove and
download them (page endpoints and the API)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from rest_framework.test import APIClient

from ejournal.core.errors import Forbidden, NotFound, ValidationFailed
from ejournal.journal import attachments, lessons
from ejournal.journal.errors import JournalLocked
from ejournal.journal.models import ChangeKind, ChangeRecord, Homework, HomeworkAttachment
from ejournal.journal.periods import close_period

MONDAY = dt.date(2026, 12, 21)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def ooxml(main_type: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def xlsx() -> bytes:
    out = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Задание"  # type: ignore[index]
    book.save(out)
    return out.getvalue()


DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"


def files_of(lesson) -> list[HomeworkAttachment]:
    return list(HomeworkAttachment.objects.filter(homework__lesson=lesson).order_by("id"))


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


# --- the service -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Задание.pdf", PDF_BYTES, "application/pdf"),
        ("Схема.PNG", PNG_BYTES, "image/png"),
        ("доска.jpg", JPEG_BYTES, "image/jpeg"),
        ("доска.jpeg", JPEG_BYTES, "image/jpeg"),
        (
            "Упражнения.docx",
            ooxml(DOCX_MAIN),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("Таблица.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Слайды.pptx", ooxml(PPTX_MAIN), "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
        ("Текст.odt", odt(), "application/vnd.oasis.opendocument.text"),
        ("Слова.txt", "Выучить слова: яблоко, груша\r\n".encode(), "text/plain"),
        ("Слова-1251.txt", "Выучить слова".encode("cp1251"), "text/plain"),
    ],
)
def test_allowed_types_are_recognised_by_content(journal, media, name, content, content_type):
    lesson = journal.lesson_on(MONDAY)
    # The browser's word for the type is ignored: the stored type comes from the content.
    [item] = attachments.add_attachments(
        actor=journal.teacher, lesson=lesson, uploads=[upload(name, content, "application/x-whatever")]
    )
    assert (item.original_name, item.size, item.content_type) == (name, len(content), content_type)
    school = journal.s.school.pk
    stored = str(item.file.name)
    assert stored.startswith(f"homework/{school}/2026/") and name not in stored
    assert (media / item.file.name).read_bytes() == content
    homework = Homework.objects.get(lesson=lesson)
    assert homework.text == "" and homework.due_date == dt.date(2026, 12, 23)  # by the next lesson
    record = ChangeRecord.objects.get(lesson=lesson, kind=ChangeKind.ATTACHMENT)
    assert record.actor == journal.teacher and record.old_value == "" and name in record.new_value


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Задание.pdf", EXE_BYTES, "не принимается"),  # a program renamed to .pdf
        ("setup.exe", EXE_BYTES, "не принимается"),
        ("Макрос.docx", ooxml(DOCM_MAIN), "не принимается"),  # macro-enabled Word
        ("архив.docx", b"PK\x03\x04" + b"\x00" * 100, "не принимается"),  # a broken ZIP
        ("бинарный.txt", b"text\x00\x01\x02", "не принимается"),
        ("Задание.txt", PDF_BYTES, "по содержимому — PDF"),  # extension does not match the content
        ("page.html", b"<html><script>alert(1)</script></html>", "по содержимому — TXT"),
        ("пусто.pdf", b"", "пустой"),
    ],
)
def test_other_files_are_refused_in_russian(journal, media, name, content, message):
    lesson = journal.lesson_on(MONDAY)
    with pytest.raises(ValidationFailed) as error:
        attachments.add_attachments(actor=journal.teacher, lesson=lesson, uploads=[upload(name, content)])
    assert message in error.value.message
    assert files_of(lesson) == [] and stored_files(media) == []
    assert not Homework.objects.filter(lesson=lesson).exists()


def test_a_file_over_10_mb_is_refused(journal, media):
    lesson = journal.lesson_on(MONDAY)
    big = upload("Большой.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    with pytest.raises(ValidationFailed) as error:
        attachments.add_attachments(actor=journal.teacher, lesson=lesson, uploads=[big])
    assert "11,0 МБ" in error.value.message and "10,0 МБ" in error.value.message
    assert files_of(lesson) == [] and stored_files(media) == []


def test_at_most_five_files_per_homework_all_or_nothing(journal, media):
    lesson = journal.lesson_on(MONDAY)
    teacher = journal.teacher
    attachments.add_attachments(actor=teacher, lesson=lesson, uploads=[upload(f"{i}.pdf", PDF_BYTES) for i in range(4)])
    with pytest.raises(ValidationFailed) as error:  # 4 + 2 > 5: neither of the two is stored
        attachments.add_attachments(
            actor=teacher, lesson=lesson, uploads=[upload("5.pdf", PDF_BYTES), upload("6.pdf", PDF_BYTES)]
        )
    assert "можно добавить ещё 1" in error.value.message
    assert len(files_of(lesson)) == 4 and len(stored_files(media)) == 4
    attachments.add_attachments(actor=teacher, lesson=lesson, uploads=[upload("5.pdf", PDF_BYTES)])
    with pytest.raises(ValidationFailed) as error:
        attachments.add_attachments(actor=teacher, lesson=lesson, uploads=[upload("6.pdf", PDF_BYTES)])
    assert "не больше 5 файлов" in error.value.message
    assert len(files_of(lesson)) == 5 and len(stored_files(media)) == 5


def test_one_bad_file_of_several_stores_none(journal, media):
    lesson = journal.lesson_on(MONDAY)
    with pytest.raises(ValidationFailed):
        attachments.add_attachments(
            actor=journal.teacher,
            lesson=lesson,
            uploads=[upload("1.pdf", PDF_BYTES), upload("2.pdf", EXE_BYTES)],
        )
    assert files_of(lesson) == [] and stored_files(media) == []


def test_closed_period_refuses_upload_and_removal(journal, media):
    s = journal.s
    lesson = journal.in_period(journal.q1)[0]
    [item] = attachments.add_attachments(actor=s.teacher, lesson=lesson, uploads=[upload("a.pdf", PDF_BYTES)])
    close_period(actor=s.deputy, period=journal.q1, class_group=s.class_5a)
    with pytest.raises(JournalLocked):
        attachments.add_attachments(actor=s.teacher, lesson=lesson, uploads=[upload("b.pdf", PDF_BYTES)])
    with pytest.raises(JournalLocked):
        attachments.remove_attachment(actor=s.teacher, attachment=item)
    # The administrator corrects with a written reason.
    with pytest.raises(ValidationFailed):
        attachments.add_attachments(actor=s.admin, lesson=lesson, uploads=[upload("b.pdf", PDF_BYTES)])
    attachments.add_attachments(
        actor=s.admin, lesson=lesson, uploads=[upload("b.pdf", PDF_BYTES)], reason="по заявлению учителя"
    )
    assert [f.original_name for f in files_of(lesson)] == ["a.pdf", "b.pdf"]


def test_only_who_writes_the_lesson_uploads(journal, other_school):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    with pytest.raises(Forbidden):  # reads the journal of their class, writes no homework into it
        attachments.add_attachments(actor=s.class_teacher, lesson=lesson, uploads=[upload("a.pdf", PDF_BYTES)])
    for user in (s.teacher2, s.students_5a[0], other_school.admin):
        with pytest.raises(NotFound):
            attachments.add_attachments(actor=user, lesson=lesson, uploads=[upload("a.pdf", PDF_BYTES)])


def test_removal_deletes_the_file_after_commit_and_keeps_history(journal, media, django_capture_on_commit_callbacks):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    [item] = attachments.add_attachments(actor=s.teacher, lesson=lesson, uploads=[upload("a.pdf", PDF_BYTES)])
    path = media / item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachments.remove_attachment(actor=s.teacher, attachment=item)
    assert not path.exists() and files_of(lesson) == []
    # The homework had no text: with its last file it is gone.
    assert not Homework.objects.filter(lesson=lesson).exists()
    kinds = list(
        ChangeRecord.objects.filter(lesson=lesson, kind=ChangeKind.ATTACHMENT).values_list("old_value", "new_value")
    )
    assert [bool(old) for old, _new in kinds] == [True, False]  # newest first: removal, then upload


def test_clearing_the_text_keeps_the_files(journal):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    lessons.set_homework(actor=s.teacher, lesson=lesson, text="№ 5")
    attachments.add_attachments(actor=s.teacher, lesson=lesson, uploads=[upload("a.pdf", PDF_BYTES)])
    lessons.set_homework(actor=s.teacher, lesson=lesson, text="")
    homework = Homework.objects.get(lesson=lesson)
    assert homework.text == "" and [f.original_name for f in files_of(lesson)] == ["a.pdf"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\Учитель\\Задание.pdf", "Задание.pdf"),
        ("../../etc/passwd.txt", "passwd.txt"),
        ("отчёт\u202egpj.exe", "отчётgpj.exe"),  # a right-to-left override hides the real extension
        ("", "файл"),
        ("д" * 300 + ".pdf", "д" * 196 + ".pdf"),
    ],
)
def test_names_are_cleaned(raw, clean):
    assert attachments.clean_name(raw) == clean


def test_oversized_request_is_refused_before_reading():
    attachments.check_request_size(str(10 * 1024 * 1024))
    with pytest.raises(ValidationFailed):
        attachments.check_request_size(str(60 * 1024 * 1024))


# --- the grid's endpoints and the download page -------------------------------------------------------------


def upload_url(lesson) -> str:
    return reverse("journal:attachments", args=[lesson.pk])


def test_teacher_uploads_from_the_lesson_panel(client, journal):
    lesson = journal.lesson_on(MONDAY)
    client.force_login(journal.teacher)
    response = client.post(upload_url(lesson), {"file": [upload("Задание.pdf", PDF_BYTES)]})
    assert response.status_code == 200
    data = response.json()
    [item] = data["files"]
    assert item["name"] == "Задание.pdf" and item["size"] == len(PDF_BYTES)
    assert item["url"] == reverse("journal:attachment", args=[item["id"]])
    assert data["history"][0]["what"] == "файл к заданию"
    panel = client.get(reverse("journal:lesson", args=[lesson.pk])).json()
    assert [f["name"] for f in panel["homework"]["files"]] == ["Задание.pdf"]
    grid = client.get(reverse("journal:grid", args=[journal.assignment.pk])).content.decode()
    assert "js/journal-files.js" in grid and 'id="jr-files"' in grid


def test_upload_endpoint_refuses_bad_input_with_a_message(client, journal):
    lesson = journal.lesson_on(MONDAY)
    client.force_login(journal.teacher)
    response = client.post(upload_url(lesson), {"file": [upload("Задание.pdf", EXE_BYTES)]})
    assert response.status_code == 422 and "не принимается" in response.json()["message"]
    big = upload("Большой.pdf", b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
    assert client.post(upload_url(lesson), {"file": [big]}).status_code == 422
    assert client.post(upload_url(lesson), {}).json()["message"] == "Выберите файл."
    for i in range(5):
        assert client.post(upload_url(lesson), {"file": [upload(f"{i}.pdf", PDF_BYTES)]}).status_code == 200
    sixth = client.post(upload_url(lesson), {"file": [upload("6.pdf", PDF_BYTES)]})
    assert sixth.status_code == 422 and "не больше 5 файлов" in sixth.json()["message"]
    assert len(files_of(lesson)) == 5


def test_upload_endpoint_in_a_closed_period(client, journal):
    s = journal.s
    lesson = journal.in_period(journal.q1)[0]
    close_period(actor=s.deputy, period=journal.q1)
    client.force_login(s.teacher)
    response = client.post(upload_url(lesson), {"file": [upload("a.pdf", PDF_BYTES)]})
    assert response.status_code == 423 and "закрыт" in response.json()["message"]


def test_upload_endpoint_scope(client, journal, other_school):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    client.force_login(s.class_teacher)
    assert client.post(upload_url(lesson), {"file": [upload("a.pdf", PDF_BYTES)]}).status_code == 403
    for user in (s.teacher2, s.students_5a[0], s.parent, other_school.admin):
        client.force_login(user)
        assert client.post(upload_url(lesson), {"file": [upload("a.pdf", PDF_BYTES)]}).status_code == 404
    client.logout()
    assert client.post(upload_url(lesson), {"file": [upload("a.pdf", PDF_BYTES)]}).status_code == 401
    assert files_of(lesson) == []


def test_delete_endpoint(client, journal, other_school, django_capture_on_commit_callbacks):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    [item] = attachments.add_attachments(actor=s.teacher, lesson=lesson, uploads=[upload("a.pdf", PDF_BYTES)])
    url = reverse("journal:attachment_delete", args=[item.pk])
    client.force_login(s.class_teacher)
    assert client.post(url).status_code == 403
    for user in (s.teacher2, s.students_5a[0], s.parent, other_school.admin):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert files_of(lesson) == [item]
    client.force_login(s.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 200 and response.json()["files"] == []
    assert files_of(lesson) == []


@pytest.fixture
def given_file(journal) -> HomeworkAttachment:
    lesson = journal.lesson_on(MONDAY)
    [item] = attachments.add_attachments(
        actor=journal.teacher, lesson=lesson, uploads=[upload("Задание по алгебре.pdf", PDF_BYTES)]
    )
    return item


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "deputy", "director", "admin", "student", "parent"])
def test_download_for_everyone_who_sees_the_lesson(client, journal, given_file, who):
    s = journal.s
    user = s.students_5a[0] if who == "student" else getattr(s, who)  # the parent's child is students_5a[0]
    client.force_login(user)
    response = client.get(reverse("journal:attachment", args=[given_file.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''%D0%97%D0%B0%D0%B4%D0%B0%D0%BD%D0%B8%D0%B5%20%D0%BF%D0%BE%20"
        "%D0%B0%D0%BB%D0%B3%D0%B5%D0%B1%D1%80%D0%B5.pdf"
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_download_out_of_scope_is_404(client, journal, given_file, other_school):
    s = journal.s
    url = reverse("journal:attachment", args=[given_file.pk])
    # A teacher of the school who does not teach the lesson; a student of another class; another school.
    for user in (s.teacher2, s.students_10a[0], other_school.admin, other_school.students_5a[0]):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_download_of_a_lost_file_is_404(client, journal, given_file, media):
    (media / given_file.file.name).unlink()
    client.force_login(journal.teacher)
    assert client.get(reverse("journal:attachment", args=[given_file.pk])).status_code == 404


# --- the API -------------------------------------------------------------------------------------------------


def test_api_upload_list_and_delete(journal, other_school, django_capture_on_commit_callbacks):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    api = APIClient()
    url = reverse("api-journal-attachments", args=[lesson.pk])
    assert url == f"/api/v1/journal/lessons/{lesson.pk}/attachments/"
    api.force_authenticate(s.teacher)
    created = api.post(url, {"file": upload("Задание.pdf", PDF_BYTES)}, format="multipart")
    assert created.status_code == 201
    [item] = created.json()
    assert item["name"] == "Задание.pdf" and item["content_type"] == "application/pdf"
    bad = api.post(url, {"file": upload("Задание.pdf", EXE_BYTES)}, format="multipart")
    assert bad.status_code == 422 and "не принимается" in bad.json()["message"]

    for user in (s.students_5a[0], s.parent, s.class_teacher, s.deputy):  # all of them see the lesson
        api.force_authenticate(user)
        assert [f["name"] for f in api.get(url).json()] == ["Задание.pdf"]
    for user in (s.teacher2, s.students_10a[0], other_school.admin):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404

    detail = reverse("api-journal-attachment", args=[lesson.pk, item["id"]])
    for user, status in ((s.class_teacher, 403), (s.students_5a[0], 404), (s.teacher2, 404), (other_school.admin, 404)):
        api.force_authenticate(user)
        assert api.delete(detail).status_code == status
        assert api.post(url, {"file": upload("a.pdf", PDF_BYTES)}, format="multipart").status_code == status
    api.force_authenticate(s.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(detail).status_code == 204
    assert api.get(url).json() == []
    api.force_authenticate(None)
    assert api.get(url).status_code == 403  # DRF: not signed in


def test_api_closed_period(journal):
    s = journal.s
    lesson = journal.in_period(journal.q1)[0]
    close_period(actor=s.deputy, period=journal.q1)
    api = APIClient()
    api.force_authenticate(s.teacher)
    response = api.post(
        reverse("api-journal-attachments", args=[lesson.pk]), {"file": upload("a.pdf", PDF_BYTES)}, format="multipart"
    )
    assert response.status_code == 423

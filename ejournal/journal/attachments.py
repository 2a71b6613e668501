"""Files given with the homework: put and removed by whoever may write the lesson, with history.

The type of a file is read from its content, never from its name or the browser's word for it: a program
renamed to .pdf is refused. Allowed: PDF, DOCX, XLSX, PPTX (a ZIP whose [Content_Types].xml names the
document), ODT, JPEG, PNG and plain text. The name's extension must agree with the content, so that the
file opens in the right program at home. Files are stored under a random name
(models.attachment_path); the original name is kept in the row and given back on download.
"""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.base import File
from django.db import transaction

from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.curriculum.models import Lesson

from . import history
from .errors import JournalCode
from .lessons import begin_lesson_write, next_lesson_date
from .models import ChangeKind, Homework, HomeworkAttachment

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5  # per homework
MAX_NAME = 200
# Multipart framing and the form's other fields on top of the files themselves.
BODY_OVERHEAD = 256 * 1024
# [Content_Types].xml of a real document is a few kilobytes; a bigger one is not read (a ZIP bomb).
MAX_CONTENT_TYPES_XML = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = FileType("docx", "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = FileType("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
PPTX = FileType("pptx", "PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation", (".pptx",))
ODT = FileType("odt", "ODT", "application/vnd.oasis.opendocument.text", (".odt",))
JPEG = FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", "PNG", "image/png", (".png",))
TXT = FileType("txt", "TXT", "text/plain", (".txt",))
FILE_TYPES = (PDF, DOCX, XLSX, PPTX, ODT, JPEG, PNG, TXT)
ALLOWED_TEXT = "PDF, DOCX, XLSX, PPTX, ODT, JPEG, PNG или TXT"
ACCEPT = ",".join(ext for t in FILE_TYPES for ext in t.extensions)

# The main part of each Office Open XML document; macro-enabled (.docm, .xlsm) and template variants
# name other types and are refused with the rest.
_OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
# Bytes a text file never holds: control characters other than tab, line feed, form feed, return.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13)) + b"\x7f"


def size_ru(size: int) -> str:
    """«850 КБ», «10,5 МБ»."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} КБ"
    return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")


def check_request_size(content_length: str | None) -> None:
    """A request larger than every allowed file together cannot hold only allowed files: it is refused as
    a whole, by its declared length, without looking at (or storing) any of its files."""
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    if length > MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + BODY_OVERHEAD:
        raise ValidationFailed(
            f"Слишком большой запрос: файл к заданию — не больше {size_ru(MAX_ATTACHMENT_BYTES)}, "
            f"к одному заданию — не больше {MAX_ATTACHMENTS} файлов.",
            code=JournalCode.FILE_TOO_LARGE,
            field="file",
        )


def clean_name(raw: str) -> str:
    """The file's own name without any folder, invisible or direction-changing characters, at most 200
    characters (the extension kept)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if len(name) > MAX_NAME:
        stem, ext = os.path.splitext(name)
        ext = ext[:20]
        name = stem[: MAX_NAME - len(ext)] + ext
    return name or "файл"


def _read(upload: File, size: int = -1) -> bytes:
    upload.seek(0)
    data = upload.read(size)
    return data if isinstance(data, bytes) else data.encode()


def _zip_type(upload: File) -> FileType | None:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                # ODF: the first entry "mimetype" names the document type.
                info = archive.getinfo("mimetype")
                if info.file_size <= 200 and archive.read(info).strip() == ODT.content_type.encode():
                    return ODT
                return None
            if "[Content_Types].xml" not in names:
                return None
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > MAX_CONTENT_TYPES_XML:
                return None
            types = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError, ValueError):
        # A broken or encrypted archive, or one packed with an unknown method, is no document we accept.
        return None
    for file_type, main in _OOXML_MAIN.items():
        if re.search(r"ContentType\s*=\s*[\"']" + re.escape(main) + r"[\"']", types):
            return file_type
    return None


def _is_text(upload: File) -> bool:
    data = _read(upload)
    if not data or len(data.translate(None, _BINARY_BYTES)) != len(data):
        return False
    for encoding in ("utf-8-sig", "cp1251"):  # as Russian Windows and everything else save text
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def detect_type(upload: File) -> FileType | None:
    """The type of a file by its content, or None for anything not allowed."""
    head = _read(upload, 8)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(upload)
    if _is_text(upload):
        return TXT
    return None


@dataclass(frozen=True)
class CheckedFile:
    upload: File
    name: str
    size: int
    file_type: FileType


def check_file(upload: File) -> CheckedFile:
    """Size, type by content, and the extension against the type; a Russian refusal otherwise."""
    name = clean_name(upload.name or "")
    size = upload.size or 0
    if size <= 0:
        raise ValidationFailed(f"Файл «{name}» пустой.", field="file")
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationFailed(
            f"Файл «{name}» — {size_ru(size)}: к заданию прикладывают файлы не больше "
            f"{size_ru(MAX_ATTACHMENT_BYTES)}. Уменьшите его (сожмите фото, сохраните в PDF) "
            f"или дайте ссылку в тексте задания.",
            code=JournalCode.FILE_TOO_LARGE,
            field="file",
        )
    file_type = detect_type(upload)
    if file_type is None:
        raise ValidationFailed(
            f"Файл «{name}» не принимается: к заданию можно приложить {ALLOWED_TEXT} "
            f"(тип проверяется по содержимому файла, а не по имени).",
            code=JournalCode.BAD_FILE_TYPE,
            field="file",
        )
    stem, ext = os.path.splitext(name)
    if ext.lower() not in file_type.extensions:
        raise ValidationFailed(
            f"Файл «{name}» по содержимому — {file_type.label}: переименуйте его в "
            f"«{stem or 'файл'}{file_type.extensions[0]}» и загрузите снова.",
            code=JournalCode.BAD_FILE_TYPE,
            field="file",
        )
    return CheckedFile(upload, name, size, file_type)


def _history(actor: User, lesson: Lesson, old: str, new: str, reason: str) -> None:
    kind = ChangeKind.ATTACHMENT
    history.record(school_id=lesson.school_id, actor=actor, kind=kind, lesson=lesson, old=old, new=new, reason=reason)


def _label(attachment: HomeworkAttachment) -> str:
    return f"{attachment.original_name} ({size_ru(attachment.size)})"


def lesson_attachments(lesson: Lesson) -> list[HomeworkAttachment]:
    """The files of the lesson's homework, in the order they were given."""
    return list(
        HomeworkAttachment.objects.filter(school_id=lesson.school_id, homework__lesson=lesson)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "id")
    )


@transaction.atomic
def add_attachments(
    *, actor: User, lesson: Lesson, uploads: Sequence[File], reason: str = ""
) -> list[HomeworkAttachment]:
    """Attach files to the lesson's homework (created without text if there is none yet, due by the next
    lesson). All or nothing: every file is checked before any is stored. Refused in a closed period
    (the administrator corrects with a reason) and for anyone who may not write the lesson."""
    lesson, reason = begin_lesson_write(actor, lesson, reason)
    if not uploads:
        raise ValidationFailed("Выберите файл.", field="file")
    checked = [check_file(upload) for upload in uploads]
    homework = Homework.objects.filter(school_id=lesson.school_id, lesson=lesson).order_by("id").first()
    already = HomeworkAttachment.objects.filter(school_id=lesson.school_id, homework__lesson=lesson).count()
    if already + len(checked) > MAX_ATTACHMENTS:
        left = MAX_ATTACHMENTS - already
        more = f"можно добавить ещё {left}" if left > 0 else "удалите ненужный файл или объедините несколько в один"
        raise ValidationFailed(
            f"К одному заданию прикладывают не больше {MAX_ATTACHMENTS} файлов; уже приложено {already}: {more}.",
            code=JournalCode.TOO_MANY_FILES,
            field="file",
        )
    now = clock.now()
    if homework is None:
        homework = Homework.objects.create(
            school_id=lesson.school_id,
            lesson=lesson,
            text="",
            due_date=next_lesson_date(lesson),
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
    stored: list[HomeworkAttachment] = []
    created: list[HomeworkAttachment] = []
    try:
        for item in checked:
            attachment = HomeworkAttachment(
                school_id=lesson.school_id,
                homework=homework,
                original_name=item.name,
                size=item.size,
                content_type=item.file_type.content_type,
                uploaded_by=actor,
                uploaded_at=now,
            )
            item.upload.seek(0)
            attachment.file.save(f"file{item.file_type.extensions[0]}", item.upload, save=False)
            stored.append(attachment)
            attachment.save()
            _history(actor, lesson, "", _label(attachment), reason)
            created.append(attachment)
    except BaseException:
        # The rows roll back with the transaction; the files written so far must go with them.
        for written in stored:
            if written.file.name:
                written.file.storage.delete(written.file.name)
        raise
    return created


@transaction.atomic
def remove_attachment(*, actor: User, attachment: HomeworkAttachment, reason: str = "") -> None:
    """Remove a file from the homework; the file leaves the disk once the removal is committed (a rolled
    back removal keeps its file). Homework left with neither text nor files is removed too."""
    lesson = Lesson.objects.filter(pk=attachment.homework.lesson_id, school_id=attachment.school_id).first()
    if lesson is None:
        raise NotFound()
    lesson, reason = begin_lesson_write(actor, lesson, reason)
    current = (
        HomeworkAttachment.objects.filter(school_id=lesson.school_id, pk=attachment.pk)
        .select_related("homework")
        .first()
    )
    if current is None:
        raise NotFound()
    name = current.file.name or ""
    storage = current.file.storage
    current.delete()
    homework = current.homework
    if (
        not homework.text
        and not HomeworkAttachment.objects.filter(school_id=homework.school_id, homework=homework).exists()
    ):
        homework.delete()
    _history(actor, lesson, _label(current), "", reason)
    if name:
        transaction.on_commit(lambda: storage.delete(name))

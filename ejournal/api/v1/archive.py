"""REST API of the backups and the period archive: the same services and access rules as the pages
(archive.overview, archive.jobs, archive.handover, archive.forms_pdf).

- GET  backups/                      — the key status (fingerprint only), folder, free space, last backup, next
                                       holidays backup, the log the user may read, the latest jobs;
- POST backups/                      — «Сделать копию сейчас» (202, the job; follow it in GET backups/);
- POST backups/copy-outs/            — record a copy of a file handed over on a disk (201, the log entry);
- GET  backups/log-pdf/              — the backup log's pages (PDF); backups/copy-outs/<id>/act/ — the act (PDF);
- GET  period-archives/              — every period with its archives and its latest job;
- POST period-archives/<period_id>/  — create the archive: {"code", "repeated"} (202, the job);
- GET  period-archives/files/<id>/   — the archive file (encrypted), logged as a copy-out;
       period-archives/files/<id>/undertaking/ — the director's non-disclosure undertaking (PDF).

The access code is accepted in the JSON body only, never in a query string, and is never answered back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import archive as access
from ejournal.access import roles
from ejournal.access.tenancy import get_for
from ejournal.archive import forms_pdf, handover, jobs, overview
from ejournal.archive.models import ArchiveJob, BackupLogEntry
from ejournal.core.requests import current_user
from ejournal.core.spreadsheet import download
from ejournal.schools.models import Period


def entry_payload(e: BackupLogEntry) -> dict[str, Any]:
    details = {k: v for k, v in e.details.items() if k in ("occasion", "encrypted", "period_id", "source", "error")}
    for key in ("holder", "recipient", "file", "download"):
        if key in e.details:
            details[key] = e.details[key]
    return {
        "id": e.pk,
        "kind": e.kind,
        "kind_text": e.get_kind_display(),
        "at": e.at.isoformat(),
        "actor": e.actor_id,
        "actor_name": e.actor.short_name if e.actor else None,
        "what": e.what,
        "where": e.where,
        "size": e.size,
        "sha256": e.sha256,
        "status": e.status,
        "status_text": e.get_status_display(),
        "school": e.school_id,
        "details": details,
    }


def job_payload(j: ArchiveJob) -> dict[str, Any]:
    return {
        "id": j.pk,
        "kind": j.kind,
        "status": j.status,
        "status_text": j.get_status_display(),
        "period": j.period_id,
        "ordered_by": j.ordered_by_id,
        "ordered_at": j.ordered_at.isoformat(),
        "finished_at": j.finished_at.isoformat() if j.finished_at else None,
        "entry": j.entry_id,
        "error": j.error,
    }


def _pdf(content: bytes, name: str) -> HttpResponse:
    return download(content, file_format="pdf", name=name)


class BackupsView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Резервные копии: состояние и журнал")
    def get(self, request: Request) -> Response:
        page = overview.backups_page(current_user(request))
        return Response(
            {
                "key": {
                    "configured": page.key.configured,
                    "fingerprint": page.key.fingerprint,
                    "problem": page.key.problem,
                },
                "folder": page.folder,
                "free_bytes": page.free_bytes,
                "folder_problem": page.folder_problem,
                "may_order": page.may_order,
                "several_schools": page.several_schools,
                "last_backup": entry_payload(page.last_backup) if page.last_backup else None,
                "next_holidays_backup": page.next_holidays.isoformat() if page.next_holidays else None,
                "jobs": [job_payload(j) for j in page.jobs],
                "log": [entry_payload(e) for e in page.entries],
            }
        )

    @extend_schema(request=None, responses={202: OpenApiTypes.OBJECT}, summary="Сделать копию сейчас")
    def post(self, request: Request) -> Response:
        user = current_user(request)
        roles.require(access.reads_backups(user))
        return Response(job_payload(jobs.order_backup(actor=user)), status=status.HTTP_202_ACCEPTED)


class CopyOutView(APIView):
    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT},
        summary="Записать выдачу копии на диск: {entry, label, recipient, holder?}",
    )
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        entry = handover.record_copy_out(
            actor=current_user(request),
            entry=data.get("entry"),
            label=data.get("label"),
            recipient=data.get("recipient"),
            holder=data.get("holder"),
        )
        return Response(entry_payload(entry), status=status.HTTP_201_CREATED)


class LogPdfView(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Журнал копий (PDF)")
    def get(self, request: Request) -> HttpResponse:
        return _pdf(forms_pdf.log_pages(user=current_user(request)), "Журнал пользования резервной копией")


class ActPdfView(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Акт передачи носителя (PDF)")
    def get(self, request: Request, copy_id: int) -> HttpResponse:
        return _pdf(forms_pdf.act(user=current_user(request), entry_id=copy_id), f"Акт передачи носителя {copy_id}")


class PeriodArchivesView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Учебные периоды и их архивы")
    def get(self, request: Request) -> Response:
        rows = overview.period_archives(current_user(request))
        return Response(
            [
                {
                    "period": r.period.pk,
                    "name": r.period.name,
                    "year": r.period.scheme.year.name,
                    "grades": [r.period.scheme.grade_from, r.period.scheme.grade_to],
                    "start": r.period.start.isoformat(),
                    "end": r.period.end.isoformat(),
                    "archives": [entry_payload(a) for a in r.archives],
                    "job": job_payload(r.job) if r.job else None,
                }
                for r in rows
            ]
        )


class PeriodArchiveOrderView(APIView):
    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={202: OpenApiTypes.OBJECT},
        summary="Создать архив периода: {code, repeated} — код доступа дважды",
    )
    def post(self, request: Request, period_id: int) -> Response:
        user = current_user(request)
        roles.require(access.orders_period_archive(user))
        period = get_for(user, Period, period_id)
        data = request.data if isinstance(request.data, dict) else {}
        job = jobs.order_archive(actor=user, period=period, code=data.get("code"), repeated=data.get("repeated"))
        return Response(job_payload(job), status=status.HTTP_202_ACCEPTED)


class ArchiveFileView(APIView):
    @extend_schema(
        responses={(200, "application/x-7z-compressed"): OpenApiTypes.BINARY},
        summary="Скачать архив периода (зашифрован; записывается как выдача копии)",
    )
    def get(self, request: Request, entry_id: int) -> HttpResponse:
        entry, content = handover.archive_file(actor=current_user(request), entry_id=entry_id)
        response = HttpResponse(content, content_type="application/x-7z-compressed")
        response["Content-Disposition"] = content_disposition_header(True, Path(entry.where).name)
        return response


class UndertakingPdfView(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Подписка о неразглашении (PDF)")
    def get(self, request: Request, entry_id: int) -> HttpResponse:
        content = forms_pdf.undertaking(user=current_user(request), entry_id=entry_id)
        return _pdf(content, f"Подписка о неразглашении кода архива {entry_id}")


urlpatterns = [
    path("backups/", BackupsView.as_view(), name="api-backups"),
    path("backups/copy-outs/", CopyOutView.as_view(), name="api-backup-copy-outs"),
    path("backups/copy-outs/<id:copy_id>/act/", ActPdfView.as_view(), name="api-backup-act"),
    path("backups/log-pdf/", LogPdfView.as_view(), name="api-backup-log-pdf"),
    path("period-archives/", PeriodArchivesView.as_view(), name="api-period-archives"),
    path("period-archives/<id:period_id>/", PeriodArchiveOrderView.as_view(), name="api-period-archive-order"),
    path("period-archives/files/<id:entry_id>/", ArchiveFileView.as_view(), name="api-period-archive-file"),
    path(
        "period-archives/files/<id:entry_id>/undertaking/",
        UndertakingPdfView.as_view(),
        name="api-period-archive-undertaking",
    ),
]

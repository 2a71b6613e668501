from django.contrib import admin
from django.urls import include, path

handler400 = "ejournal.core.failures.bad_request"
handler404 = "ejournal.core.failures.not_found"
handler500 = "ejournal.core.failures.server_error"

urlpatterns = [
    path("", include("ejournal.home.urls")),
    path("accounts/", include("ejournal.accounts.urls")),
    path("people/", include("ejournal.accounts.urls_people")),
    path("school/", include("ejournal.schools.urls")),
    path("curriculum/", include("ejournal.curriculum.urls")),
    path("journal/", include("ejournal.journal.urls")),
    path("diary/", include("ejournal.diary.urls")),
    path("notifications/", include("ejournal.notifications.urls")),
    path("reports/", include("ejournal.reports.urls")),
    path("printing/", include("ejournal.printing.urls")),
    path("hours/", include("ejournal.hours.urls")),
    path("imports/", include("ejournal.interop.urls")),
    path("archive/", include("ejournal.archive.urls")),
    path("retention/", include("ejournal.retention.urls")),
    path("status/", include("ejournal.status.urls")),
    path("support/", include("ejournal.support.urls")),
    path("audit/", include("ejournal.audit.urls")),
    path("help/", include("ejournal.help.urls")),
    path("api/v1/", include("ejournal.api.v1.urls")),
    path("admin/", admin.site.urls),
]

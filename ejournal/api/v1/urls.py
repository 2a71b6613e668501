from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("ejournal.api.v1.schools")),
    path("", include("ejournal.api.v1.school_settings")),
    path("", include("ejournal.api.v1.curriculum")),
    path("", include("ejournal.api.v1.journal")),
    path("", include("ejournal.api.v1.journal_overview")),
    path("", include("ejournal.api.v1.journal_as_of")),
    path("", include("ejournal.api.v1.retention")),
    path("", include("ejournal.api.v1.support")),
    path("", include("ejournal.api.v1.journal_attachments")),
    path("", include("ejournal.api.v1.diary")),
    path("", include("ejournal.api.v1.people")),
    path("", include("ejournal.api.v1.audit")),
    path("", include("ejournal.api.v1.imports")),
    path("", include("ejournal.api.v1.archive")),
    path("", include("ejournal.api.v1.printing")),
    path("", include("ejournal.api.v1.notifications")),
    path("", include("ejournal.api.v1.reports")),
    path("", include("ejournal.api.v1.reports_keeping")),
    path("", include("ejournal.api.v1.hours")),
    path("", include("ejournal.api.v1.help")),
    path("", include("ejournal.api.v1.status")),
]

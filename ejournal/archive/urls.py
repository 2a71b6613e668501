from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("backups/", views.backups, name="backups"),
    path("backups/make/", views.order_backup, name="order_backup"),
    path("backups/copy-out/", views.copy_out, name="copy_out"),
    path("backups/log.pdf", views.log_pdf, name="log_pdf"),
    path("backups/copy-out/<id:copy_id>/act.pdf", views.act_pdf, name="act_pdf"),
    path("periods/", views.periods, name="periods"),
    path("periods/<id:period_id>/make/", views.order_archive, name="order_archive"),
    path("files/<id:entry_id>/download/", views.archive_download, name="download"),
    path("files/<id:entry_id>/undertaking.pdf", views.undertaking_pdf, name="undertaking_pdf"),
]

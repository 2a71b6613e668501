from django.urls import path

from . import views, views_attachments, views_overview

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("periods/", views.closures, name="closures"),
    path("<int:assignment_id>/", views.grid, name="grid"),
    path("<int:assignment_id>/year/", views.summary, name="summary"),
    path("class/<int:class_id>/", views_overview.overview_page, name="class_overview"),
    path("class/<int:class_id>/xlsx/", views_overview.overview_xlsx, name="class_overview_xlsx"),
    path("cell/<int:lesson_id>/<int:student_id>/", views.cell, name="cell"),
    path("cell/<int:lesson_id>/<int:student_id>/history/", views.cell_history, name="cell_history"),
    path("lesson/<int:lesson_id>/", views.lesson, name="lesson"),
    path("lesson/<int:lesson_id>/attachments/", views_attachments.upload, name="attachments"),
    path("attachment/<int:attachment_id>/", views_attachments.download, name="attachment"),
    path("attachment/<int:attachment_id>/delete/", views_attachments.delete, name="attachment_delete"),
    path("<int:assignment_id>/period-mark/<int:student_id>/", views.period_mark, name="period_mark"),
    path(
        "<int:assignment_id>/period-mark/<int:student_id>/history/",
        views.period_mark_history,
        name="period_mark_history",
    ),
]

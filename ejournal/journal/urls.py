from django.urls import path

from . import views, views_as_of, views_attachments, views_overview

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("periods/", views.closures, name="closures"),
    path("<id:assignment_id>/", views.grid, name="grid"),
    path("<id:assignment_id>/year/", views.summary, name="summary"),
    path("<id:assignment_id>/as-of/", views_as_of.grid_as_of, name="grid_as_of"),
    path("class/<id:class_id>/as-of/", views_as_of.sheet_as_of, name="sheet_as_of"),
    path("class/<id:class_id>/", views_overview.overview_page, name="class_overview"),
    path("class/<id:class_id>/xlsx/", views_overview.overview_xlsx, name="class_overview_xlsx"),
    path("cell/<id:lesson_id>/<id:student_id>/", views.cell, name="cell"),
    path("cell/<id:lesson_id>/<id:student_id>/history/", views.cell_history, name="cell_history"),
    path("lesson/<id:lesson_id>/", views.lesson, name="lesson"),
    path("lesson/<id:lesson_id>/attachments/", views_attachments.upload, name="attachments"),
    path("attachment/<id:attachment_id>/", views_attachments.download, name="attachment"),
    path("attachment/<id:attachment_id>/delete/", views_attachments.delete, name="attachment_delete"),
    path("<id:assignment_id>/period-mark/<id:student_id>/", views.period_mark, name="period_mark"),
    path(
        "<id:assignment_id>/period-mark/<id:student_id>/history/",
        views.period_mark_history,
        name="period_mark_history",
    ),
]

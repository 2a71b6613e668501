from django.urls import path

from . import views

app_name = "journal"
urlpatterns = [
    path("", views.index, name="index"),
    path("periods/", views.closures, name="closures"),
    path("<int:assignment_id>/", views.grid, name="grid"),
    path("<int:assignment_id>/year/", views.summary, name="summary"),
    path("cell/<int:lesson_id>/<int:student_id>/", views.cell, name="cell"),
    path("cell/<int:lesson_id>/<int:student_id>/history/", views.cell_history, name="cell_history"),
    path("lesson/<int:lesson_id>/", views.lesson, name="lesson"),
    path("<int:assignment_id>/period-mark/<int:student_id>/", views.period_mark, name="period_mark"),
    path(
        "<int:assignment_id>/period-mark/<int:student_id>/history/",
        views.period_mark_history,
        name="period_mark_history",
    ),
]

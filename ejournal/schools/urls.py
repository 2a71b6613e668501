from django.urls import path

from . import views

app_name = "schools"
urlpatterns = [
    path("settings/", views.school_settings, name="settings"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/years/new/", views.year_create, name="year_create"),
    path("calendar/years/<id:year_id>/", views.year_update, name="year_update"),
    path("calendar/years/<id:year_id>/schemes/new/", views.scheme_create, name="scheme_create"),
    path("calendar/schemes/<id:scheme_id>/", views.scheme_update, name="scheme_update"),
    path("calendar/schemes/<id:scheme_id>/delete/", views.scheme_delete, name="scheme_delete"),
    path("calendar/years/<id:year_id>/holidays/new/", views.holiday_create, name="holiday_create"),
    path("calendar/holidays/<id:holiday_id>/", views.holiday_update, name="holiday_update"),
    path("calendar/holidays/<id:holiday_id>/delete/", views.holiday_delete, name="holiday_delete"),
    path("classes/", views.class_list, name="class_list"),
    path("years/<id:year_id>/classes/new/", views.class_create, name="class_create"),
    path("classes/<id:class_id>/", views.class_detail, name="class_detail"),
    path("classes/<id:class_id>/enrol/", views.class_enrol, name="class_enrol"),
    path("classes/<id:class_id>/students/new/", views.class_new_student, name="class_new_student"),
    path("classes/<id:class_id>/transfer/", views.class_transfer, name="class_transfer"),
    path("classes/<id:class_id>/withdraw/", views.class_withdraw, name="class_withdraw"),
    path("classes/<id:class_id>/teachers/", views.class_teachers, name="class_teachers"),
    path("classes/<id:class_id>/subgroups/new/", views.subgroup_create, name="subgroup_create"),
    path("subgroups/<id:subgroup_id>/members/", views.subgroup_members, name="subgroup_members"),
]

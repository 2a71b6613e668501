from django.urls import path

from . import views_people as views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("<id:person_id>/", views.person_detail, name="detail"),
    path("<id:person_id>/edit/", views.person_edit, name="edit"),
    path("<id:person_id>/active/", views.person_active, name="active"),
    path("<id:person_id>/roles/", views.person_roles, name="roles"),
    path("<id:person_id>/guardians/", views.person_guardians, name="guardians"),
    path("<id:person_id>/guardians/<id:link_id>/remove/", views.guardian_remove, name="guardian_remove"),
    path("<id:person_id>/classes/", views.person_classes, name="classes"),
    path("<id:person_id>/password/", views.person_password, name="password"),
    path("credentials/", views.credential_classes, name="credential_classes"),
    path("credentials/<id:class_id>/", views.class_credentials, name="class_credentials"),
]

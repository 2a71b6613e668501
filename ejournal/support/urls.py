from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.tickets_page, name="tickets"),
    path("ask/", views.ask_page, name="ask"),
    path("<id:ticket_id>/", views.ticket_page, name="ticket"),
    path("<id:ticket_id>/file/", views.ticket_file, name="ticket_file"),
    path("<id:ticket_id>/reply/", views.reply, name="reply"),
    path("<id:ticket_id>/take/", views.take, name="take"),
    path("<id:ticket_id>/close/", views.close, name="close"),
    path("<id:ticket_id>/escalate/", views.escalate, name="escalate"),
    path("<id:ticket_id>/regional/", views.regional, name="regional"),
    path("<id:ticket_id>/publish/", views.publish, name="publish"),
    path("faq/", views.faq_page, name="faq"),
    path("trainings/", views.trainings_page, name="trainings"),
    path("trainings/<id:training_id>/", views.training_page, name="training"),
    path("trainings/<id:training_id>/signup/", views.signup, name="signup"),
    path("trainings/<id:training_id>/cancel/", views.cancel, name="cancel"),
    path("trainings/<id:training_id>/attendance/", views.attendance, name="attendance"),
]

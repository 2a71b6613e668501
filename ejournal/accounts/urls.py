from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/reset/<id:user_id>/", views.two_factor_reset, name="two_factor_reset"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/<id:session_id>/end/", views.session_end, name="session_end"),
    path("sessions/end-all/", views.session_end_all, name="session_end_all"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("oidc/not-found/", views.oidc_not_found, name="oidc_not_found"),
    path("oidc/<slug:provider>/", views.oidc_start, name="oidc_start"),
    path("oidc/<slug:provider>/callback/", views.oidc_callback, name="oidc_callback"),
    path("esia/code/<id:user_id>/", views.link_code_issue, name="link_code_issue"),
]

"""Signing in with school-issued credentials."""

from django.contrib.auth.hashers import identify_hasher
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from ejournal.accounts.models import Role, User


def test_login_page_is_russian(client, db):
    body = client.get(reverse("login")).content.decode()
    assert "Вход в электронный журнал" in body


def test_person_without_issued_credentials_cannot_sign_in(client, small_school):
    student = small_school.students_5a[0]
    assert not student.has_usable_password()
    response = client.post(reverse("login"), {"username": student.username, "password": "anything"})
    assert response.status_code == 200
    assert "Неверный логин или пароль" in response.content.decode()


def test_teacher_signs_in_and_out(client, small_school):
    teacher = small_school.teacher
    teacher.set_password("Kx7-pass-word")
    teacher.save()
    response = client.post(reverse("login"), {"username": teacher.username, "password": "Kx7-pass-word"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_hashed_with_argon2(small_school):
    user = small_school.teacher
    user.set_password("Kx7-pass-word")
    user.save()
    assert identify_hasher(User.objects.get(pk=user.pk).password).algorithm == "argon2"


def test_createschool_prints_a_one_time_password_once(db, capsys):
    call_command(
        "createschool",
        "--name",
        "МАОУ «СОШ №5»",
        "--short-name",
        "СОШ №5",
        "--admin-last-name",
        "Петрова",
        "--admin-first-name",
        "Мария",
    )
    out = capsys.readouterr().out
    admin = User.objects.get(last_name="Петрова")
    assert admin.has_role(Role.ADMIN) and admin.must_change_password
    password = out.split("одноразовый пароль ")[1].split()[0]
    assert admin.check_password(password)
    assert password not in admin.password


def test_one_time_password_forces_a_new_one(client, small_school):
    student = small_school.students_5a[0]
    student.set_password("one-time-77")
    student.must_change_password = True
    student.save()
    client.post(reverse("login"), {"username": student.username, "password": "one-time-77"})
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    weak = client.post(reverse("password_change"), {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    student.refresh_from_db()
    assert student.must_change_password
    done = client.post(reverse("password_change"), {"new_password1": "Sv0y-parol-x", "new_password2": "Sv0y-parol-x"})
    assert done.status_code == 302
    student.refresh_from_db()
    assert not student.must_change_password and student.check_password("Sv0y-parol-x")
    assert client.get(reverse("home")).status_code == 200


def test_password_page_needs_login(client, db):
    assert client.get(reverse("password_change")).status_code == 302

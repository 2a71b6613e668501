from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ejournal.accounts"
    label = "accounts"
    verbose_name = "Пользователи"

    def ready(self) -> None:
        from .auth import events  # noqa: F401  (connects the sign-in signals)

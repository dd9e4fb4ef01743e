from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "throughcare.accounts"
    verbose_name = "Agencies and users"

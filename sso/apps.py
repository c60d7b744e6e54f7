from django.apps import AppConfig


class SsoConfig(AppConfig):
    """Single sign-on with OpenID Connect (mozilla-django-oidc underneath)."""

    name = "sso"
    verbose_name = "Single sign-on"

    def ready(self):
        from sso import checks  # noqa: F401  (registers the system checks)

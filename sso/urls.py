"""Sign-in routes under accounts/: the sign-in page, and single sign-on's two steps (with
mozilla-django-oidc's route names, which its backend reverses)."""

from django.urls import path

from sso import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path(
        "oidc/authenticate/",
        views.OidcAuthenticateView.as_view(),
        name="oidc_authentication_init",
    ),
    path("oidc/callback/", views.OidcCallbackView.as_view(), name="oidc_authentication_callback"),
]

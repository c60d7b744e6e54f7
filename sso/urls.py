"""Single sign-on routes (mozilla-django-oidc's names, which its backend reverses)."""

from django.urls import path

from sso import views

urlpatterns = [
    path("authenticate/", views.OidcAuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", views.OidcCallbackView.as_view(), name="oidc_authentication_callback"),
]

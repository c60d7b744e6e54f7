"""Root URLs: the web app, the Django admin and the REST API."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

handler404 = "l_and_d_planner.security.page_not_found"
handler500 = "l_and_d_planner.security.server_error"

admin.site.site_header = "L&D Planner administration"
admin.site.site_title = "L&D Planner admin"
admin.site.index_title = "Catalog, members, plans"

urlpatterns = [
    path("accounts/", include("sso.urls")),  # sign-in: the password form and single sign-on
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("l_and_d_planner.api_urls")),
    path("", include("roles.urls")),
    path("", include("plans.urls")),
]

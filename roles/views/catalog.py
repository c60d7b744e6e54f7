"""Web views of the role catalog: browse and filter; organization admins create and edit roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from roles import permissions
from roles.filters import RoleCatalogPageFilterSet
from roles.forms import RoleForm, add_service_errors
from roles.selectors import catalog_for_organization, role_visible
from roles.services import role_create, role_update
from roles.views.organization import organization_context


@login_required
@require_GET
def role_list(request: HttpRequest) -> HttpResponse:
    """The shared catalog and the current organization's roles, filtered."""
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    filterset = RoleCatalogPageFilterSet(
        request.GET,
        queryset=catalog_for_organization(organization.id if organization else None),
    )
    form = filterset.form
    roles = filterset.qs if filterset.is_valid() else filterset.queryset.filter(active=True)
    context = {
        "form": form,
        "roles": list(roles.order_by("discipline__band", "discipline__name", "title")),
        "is_admin": permissions.allows(
            request.user, "organization.administer", organization and organization.id
        ),
        # The role just added or saved: highlighted and scrolled to (it lands mid-list).
        "new_role_id": int(new)
        if (new := request.GET.get("new", "")).isdigit() and len(new) < 12
        else None,
    }
    status = 200 if filterset.is_valid() else 400
    return render(request, "roles/role_list.html", {**org_context, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def role_create_view(request: HttpRequest) -> HttpResponse:
    """A new role in the current organization's own catalog (admins only)."""
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    permissions.require(request.user, "organization.administer", organization and organization.id)
    form = RoleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                role = role_create(organization=organization, **form.role_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Added {role.title} to the catalog.")
                return redirect(f"{reverse('roles:list')}?new={role.pk}#role-{role.pk}")
        status = 400
    context = {"form": form, "role": None}
    return render(request, "roles/role_form.html", {**org_context, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def role_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one of the organization's own roles (admins only; the shared catalog is read-only)."""
    role = role_visible(request.user, pk)
    if role is None:
        raise Http404("No such role.")
    permissions.require(request.user, "role.edit", role)
    form = RoleForm(request.POST or None, instance=role)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                role = role_update(role=role_visible(request.user, role.pk), **form.role_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Saved {role.title}.")
                return redirect(f"{reverse('roles:list')}?new={role.pk}#role-{role.pk}")
        status = 400
    context = {"form": form, "role": role}
    return render(
        request, "roles/role_form.html", {**organization_context(request), **context}, status=status
    )


urlpatterns = [
    path("roles/", role_list, name="list"),
    path("roles/new/", role_create_view, name="create"),
    path("roles/<int:pk>/edit/", role_update_view, name="update"),
]

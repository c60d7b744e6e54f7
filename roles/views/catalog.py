"""Web views of the role catalog: browse and filter; organization admins create and edit roles."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from plans.views.planner import organization_context
from roles.forms import RoleFilterForm, RoleForm, add_service_errors
from roles.models import Role
from roles.selectors import roles_visible_to, user_is_admin
from roles.services import role_create, role_update


@login_required
@require_GET
def role_list(request: HttpRequest) -> HttpResponse:
    """The shared catalog and the current organization's roles, filtered."""
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    form = RoleFilterForm(request.GET or None)
    roles = roles_visible_to(request.user).filter(
        Q(organization__isnull=True) | Q(organization_id=organization.id if organization else None)
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if filters.get("q"):
        roles = roles.filter(
            Q(title__icontains=filters["q"]) | Q(description__icontains=filters["q"])
        )
    if filters.get("band"):
        roles = roles.filter(discipline__band=filters["band"])
    if filters.get("discipline"):
        roles = roles.filter(discipline=filters["discipline"])
    if not filters.get("inactive"):
        roles = roles.filter(active=True)
    context = {
        "form": form,
        "roles": list(roles.order_by("discipline__band", "discipline__name", "title")),
        "is_admin": organization is not None and user_is_admin(request.user, organization.id),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "roles/role_list.html", {**org_context, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def role_create_view(request: HttpRequest) -> HttpResponse:
    """A new role in the current organization's own catalog (admins only)."""
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    if organization is None or not user_is_admin(request.user, organization.id):
        raise PermissionDenied("Only an admin of the organization can add roles.")
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
                return redirect("roles:list")
        status = 400
    context = {"form": form, "role": None}
    return render(request, "roles/role_form.html", {**org_context, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def role_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one of the organization's own roles (admins only; the shared catalog is read-only)."""
    role = roles_visible_to(request.user).filter(pk=pk).first()
    if role is None:
        raise Http404("No such role.")
    if role.organization_id is None or not user_is_admin(request.user, role.organization_id):
        raise PermissionDenied("Only an admin of the role's organization can edit it.")
    form = RoleForm(request.POST or None, instance=role)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                role = role_update(role=Role.objects.get(pk=role.pk), **form.role_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Saved {role.title}.")
                return redirect("roles:list")
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

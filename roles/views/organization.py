"""The current organization: every page's switcher and the session that remembers it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from roles.selectors import membership_roles, organizations_for

SESSION_ORGANIZATION = "current_organization_id"


def organization_context(request: HttpRequest) -> dict:
    """The user's organizations and the current one (kept in the session), for every page."""
    organizations = list(organizations_for(request.user))
    chosen = request.session.get(SESSION_ORGANIZATION)
    current = next((org for org in organizations if org.id == chosen), None)
    if current is None and organizations:
        current = organizations[0]
    is_admin = current is not None and membership_roles(request.user).get(current.id) == "admin"
    return {
        "organizations": organizations,
        "current_organization": current,
        "current_organization_admin": is_admin,
    }


def remember_organization(request: HttpRequest, organization_id: int) -> None:
    if request.session.get(SESSION_ORGANIZATION) != organization_id:
        request.session[SESSION_ORGANIZATION] = organization_id


def page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    """A full page: the template with the organization switcher's context."""
    return render(request, template, {**organization_context(request), **context}, status=status)


@login_required
@require_POST
def organization_switch(request: HttpRequest) -> HttpResponse:
    """Make another of the user's organizations the current one."""
    organizations = {org.id: org for org in organizations_for(request.user)}
    raw = request.POST.get("organization", "")
    if not raw.isdigit() or int(raw) not in organizations:
        raise Http404("No such organization.")
    remember_organization(request, int(raw))
    messages.success(request, f"Now working in {organizations[int(raw)].name}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("plans:dashboard")
    return redirect(target)

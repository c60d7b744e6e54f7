"""The members page: an organization's admins list, re-role, remove, invite and erase members;
and the invitation link that anyone holding it opens to join."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from roles import permissions, presenters, selectors, services
from roles.forms import InvitationForm, InvitationSignUpForm, MemberRoleForm, add_service_errors
from roles.views.organization import organization_context, remember_organization


def _require_admin(request: HttpRequest, context: dict) -> None:
    organization = context["current_organization"]
    permissions.require(request.user, "organization.administer", organization and organization.id)


def _admin_context(request: HttpRequest) -> dict:
    """The organization context, after checking the user administers the current one."""
    context = organization_context(request)
    _require_admin(request, context)
    return context


def _current_id(context: dict) -> int | None:
    organization = context["current_organization"]
    return organization.id if organization else None


def _members_page(request, context: dict, *, form=None, issued_link="", status=200):
    organization = context["current_organization"]
    now = timezone.now()
    members = [
        {
            "membership": membership,
            "role_word": presenters.role_word(membership.role),
            "last_sign_in": presenters.last_sign_in(membership.user.last_login),
            "is_you": membership.user_id == request.user.id,
        }
        for membership in selectors.members_of(organization.id)
    ]
    invitations = [
        {
            "invitation": invitation,
            "state": invitation.state(now),
            "state_word": presenters.invitation_state_word(invitation.state(now)),
            "role_word": presenters.role_word(invitation.role),
        }
        for invitation in selectors.invitations_of([organization.id])[:50]
    ]
    page_context = {
        "members": members,
        "invitations": invitations,
        "former_members": selectors.former_members_of(organization.id),
        "invite_form": form or InvitationForm(),
        "role_choices": MemberRoleForm.base_fields["role"].choices,
        "issued_link": issued_link,
        "erase_rule": presenters.ERASE_RULE,
    }
    return render(request, "roles/members.html", {**context, **page_context}, status=status)


@login_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    return _members_page(request, _admin_context(request))


def _membership_or_404(request: HttpRequest, context: dict, pk: int):
    """A membership of the current organization (else 404, whoever asks), for an admin (else
    403): ids of other organizations answer like ids that do not exist."""
    organization_id = _current_id(context)
    membership = organization_id and selectors.membership_in(organization_id, pk)
    if not membership:
        raise Http404("No such member.")
    _require_admin(request, context)
    return membership


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_or_404(request, organization_context(request), pk)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose admin, planner or viewer.")
        return redirect("roles:members")
    try:
        services.membership_update(membership=membership, role=form.cleaned_data["role"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            presenters.member_role_changed_message(
                membership.user.get_username(), form.cleaned_data["role"]
            ),
        )
    return redirect("roles:members")


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership_or_404(request, organization_context(request), pk)
    try:
        services.membership_delete(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, presenters.member_removed_message(membership.user.get_username()))
        if membership.user_id == request.user.id:
            return redirect("plans:dashboard")  # no longer an admin here
    return redirect("roles:members")


def invitation_link(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("roles:invitation", args=[token]))


@never_cache
@login_required
@require_POST
def member_invite(request: HttpRequest) -> HttpResponse:
    """Create an invitation; mail it, or show its link (once) when no mail server is set."""
    context = _admin_context(request)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            issued = services.invitation_create(
                organization=context["current_organization"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            link = invitation_link(request, issued.token)
            mailed = services.invitation_send(issued=issued, link=link)
            messages.success(
                request, presenters.invitation_created_message(issued.invitation.email, mailed)
            )
            if mailed:
                return redirect("roles:members")
            return _members_page(request, context, issued_link=link)
    return _members_page(request, context, form=form, status=400)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    context = organization_context(request)
    organization_id = _current_id(context)
    invitation = organization_id and selectors.invitation_in(organization_id, pk)
    if not invitation:
        raise Http404("No such invitation.")
    _require_admin(request, context)
    try:
        services.invitation_revoke(invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, presenters.invitation_revoked_message(invitation.email))
    return redirect("roles:members")


@login_required
@require_http_methods(["GET", "POST"])
def member_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then erase a former member (user `pk`) of the current organization."""
    context = organization_context(request)
    organization = context["current_organization"]
    person = organization and selectors.former_member(organization.id, pk)
    if not person:
        raise Http404("No such former member.")
    _require_admin(request, context)
    decision = permissions.decide(request.user, "member.erase", organization.id, person)
    if request.method == "POST" and decision:
        pseudonym = services.member_erase(organization=organization, user=person, by=request.user)
        messages.success(request, presenters.member_erased_message(pseudonym))
        return redirect("roles:members")
    page_context = {"person": person, "decision": decision, "erase_rule": presenters.ERASE_RULE}
    return render(
        request,
        "roles/member_erase.html",
        {**context, **page_context},
        status=200 if decision else 403,
    )


# --- the invitation link -----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """Join with an invitation: as the signed-in invited user, or by creating an account."""
    try:
        invitation = services.invitation_usable(token)
    except services.InvitationRefused as error:
        return render(
            request, "roles/invitation.html", {"refusal": " ".join(error.messages)}, status=410
        )
    form = InvitationSignUpForm(request.POST or None) if not request.user.is_authenticated else None
    status = 200
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                membership = services.invitation_accept(token=token, user=request.user)
            elif form.is_valid():
                user, membership = services.invitation_sign_up(
                    token=token,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                membership = None
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
            else:
                add_service_errors(form, error)
            membership = None
        if membership is not None:
            remember_organization(request, membership.organization_id)
            messages.success(
                request,
                presenters.joined_message(membership.organization.name, membership.role),
            )
            return redirect("plans:dashboard")
        status = 400
    context = {
        "invitation": invitation,
        "role_word": presenters.role_word(invitation.role),
        "form": form,
        "email_matches": request.user.is_authenticated
        and (request.user.email or "").strip().lower() == invitation.email,
    }
    return render(request, "roles/invitation.html", context, status=status)


urlpatterns = [
    path("members/", member_list, name="members"),
    path("members/<int:pk>/role/", member_role, name="member_role"),
    path("members/<int:pk>/remove/", member_remove, name="member_remove"),
    path("members/invite/", member_invite, name="member_invite"),
    path("members/invitations/<int:pk>/revoke/", invitation_revoke, name="invitation_revoke"),
    path("members/former/<int:pk>/erase/", member_erase, name="member_erase"),
    path("invitations/<str:token>/", invitation_open, name="invitation"),
]

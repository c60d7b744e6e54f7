"""API of invitations and of the audit log (admins of the organizations concerned)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, mixins, viewsets

from roles import permissions, presenters, selectors, services
from roles.api.serializers import (
    AuditEntrySerializer,
    AuditQuerySerializer,
    InvitationSerializer,
)
from roles.filters import InvitationFilterSet
from roles.models import Invitation


class InvitationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations of the organizations you administer: create (mailed when a mail server is
    configured; the answer carries the link once), list, and revoke (DELETE keeps the record,
    withdrawn, for the audit log)."""

    serializer_class = InvitationSerializer
    queryset = Invitation.objects.none()
    filterset_class = InvitationFilterSet

    def get_queryset(self):
        administered = selectors.administered_organization_ids(self.request.user)
        return selectors.invitations_of(administered).order_by("-created_at", "-id")

    def perform_create(self, serializer):
        organization = serializer.validated_data["organization"]
        permissions.require(self.request.user, "organization.administer", organization.id)
        issued = services.invitation_create(
            organization=organization,
            email=serializer.validated_data["email"],
            role=serializer.validated_data.get("role", "viewer"),
            invited_by=self.request.user,
        )
        link = self.request.build_absolute_uri(reverse("roles:invitation", args=[issued.token]))
        services.invitation_send(issued=issued, link=link)
        serializer.instance = issued.invitation
        serializer.context["links"] = {issued.invitation.pk: link}

    def perform_destroy(self, invitation):
        services.invitation_revoke(invitation=invitation)


class AuditView(generics.GenericAPIView):
    """The audit log of the organizations you administer, newest first, paginated."""

    serializer_class = AuditEntrySerializer
    queryset = Invitation.objects.none()
    filter_backends = []

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, description="From this date or time (ISO 8601)."),
            OpenApiParameter("until", str, description="Before this date or time (ISO 8601)."),
            OpenApiParameter("type", str, description="An object type (e.g. plan) or import."),
            OpenApiParameter("user", str, description="Changes by this username."),
            OpenApiParameter("organization", int, description="One of your organizations."),
        ],
        responses={200: AuditEntrySerializer(many=True)},
    )
    def get(self, request):
        administered = selectors.administered_organization_ids(request.user)
        if not administered:
            raise exceptions.PermissionDenied(permissions.ADMINS_ONLY)
        query_serializer = AuditQuerySerializer(
            data=request.query_params,
            context={
                "administered": set(administered),
                "type_choices": presenters.audit_type_choices(selectors.audit_sources()),
            },
        )
        query_serializer.is_valid(raise_exception=True)
        params = query_serializer.validated_data
        organization = params.get("organization")
        log = selectors.audit_log(
            selectors.AuditQuery(
                organization_ids=(organization,) if organization else tuple(administered),
                type=params.get("type", ""),
                username=params.get("user", ""),
                since=params.get("since"),
                until=params.get("until"),
            )
        )
        page = self.paginate_queryset(log)
        entries = [presenters.audit_entry(item) for item in page]
        return self.get_paginated_response(AuditEntrySerializer(entries, many=True).data)

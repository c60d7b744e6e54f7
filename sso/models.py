"""Who signed in through which provider, and which memberships the group mapping looks after."""

from django.conf import settings
from django.db import models

from roles.models import Membership


class OidcIdentity(models.Model):
    """A user's account at the OpenID Connect provider: the issuer and its stable subject id.

    Sign-ins find the user by (issuer, subject), which never changes, rather than by email,
    which may; the email links an existing account only on the first sign-in.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "OpenID Connect identity"
        verbose_name_plural = "OpenID Connect identities"
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"


class ManagedMembership(models.Model):
    """A membership the group mapping (OIDC_GROUP_MAP) looks after.

    Sign-ins change its role and remove it as the provider's groups change; memberships made by
    hand or by an invitation have no such row and the mapping leaves them alone unless one of
    the user's groups names their organization.
    """

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="sso_management"
    )
    groups = models.JSONField(default=list, help_text="The groups that gave the role.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.membership} (from groups {', '.join(self.groups)})"

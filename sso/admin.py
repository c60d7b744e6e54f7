from django.contrib import admin

from sso.models import ManagedMembership, OidcIdentity


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "issuer", "subject", "created_at", "last_sign_in"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["created_at", "last_sign_in"]


@admin.register(ManagedMembership)
class ManagedMembershipAdmin(admin.ModelAdmin):
    list_display = ["membership", "groups", "updated_at"]

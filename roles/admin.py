"""Django admin for HR admins: organizations, members, disciplines and the role catalog."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from roles.models import Benchmark, Discipline, Membership, Organization, Role


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "currency", "default_target_model"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ["name", "band"]
    list_filter = ["band"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "discipline", "band_display", "annual_cost", "organization", "active"]
    list_filter = ["active", "discipline__band", "discipline", "organization"]
    search_fields = ["title", "description", "discipline__name"]
    list_select_related = ["discipline", "organization"]
    autocomplete_fields = ["organization"]
    list_editable = ["active"]

    @admin.display(description="band", ordering="discipline__band")
    def band_display(self, role):
        return role.discipline.get_band_display()


@admin.register(Benchmark)
class BenchmarkAdmin(SimpleHistoryAdmin):
    """HR admins keep the shared benchmarks here (organizations edit their own in the app)."""

    list_display = ["name", "metric", "value", "currency", "year", "organization", "active"]
    list_filter = ["metric", "active", "shared_default"]
    search_fields = ["name", "source"]
    autocomplete_fields = ["organization"]

"""Django admin: target models, and plans with their lines inline."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from plans.models import (
    Plan,
    PlanLine,
    ReadinessAnswer,
    Roadmap,
    RoadmapTransition,
    TargetModel,
)


@admin.register(TargetModel)
class TargetModelAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "organization",
        "experiential_percent",
        "social_percent",
        "formal_percent",
        "tolerance_points",
    ]
    list_filter = ["organization"]
    search_fields = ["name"]


class PlanLineInline(admin.TabularInline):
    model = PlanLine
    extra = 1
    autocomplete_fields = ["role"]
    fields = ["role", "current_fte", "planned_fte", "cost_override", "locked", "note"]


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "organization",
        "status",
        "target_model",
        "version",
        "updated_at",
        "updated_by",
    ]
    list_filter = ["status", "organization", "target_model"]
    search_fields = ["name", "description"]
    list_select_related = ["organization", "target_model", "updated_by"]
    autocomplete_fields = ["organization", "source_plan"]
    readonly_fields = ["version", "created_by", "updated_by", "created_at", "updated_at"]
    inlines = [PlanLineInline]

    def save_model(self, request, plan, form, change):
        if not change:
            plan.created_by = request.user
        plan.updated_by = request.user
        if change:
            plan.version += 1
        super().save_model(request, plan, form, change)


@admin.register(PlanLine)
class PlanLineAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "role", "current_fte", "planned_fte", "locked"]
    list_filter = ["locked", "plan__organization"]
    search_fields = ["plan__name", "role__title"]
    list_select_related = ["plan", "role"]
    autocomplete_fields = ["plan", "role"]


@admin.register(ReadinessAnswer)
class ReadinessAnswerAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "code", "answer", "updated_at", "updated_by"]
    list_filter = ["code", "plan__organization"]
    search_fields = ["plan__name", "code", "note"]
    list_select_related = ["plan", "updated_by"]
    autocomplete_fields = ["plan"]


class RoadmapTransitionInline(admin.StackedInline):
    model = RoadmapTransition
    extra = 0
    autocomplete_fields = ["from_role", "to_role"]


@admin.register(Roadmap)
class RoadmapAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "start", "max_fte_per_quarter", "updated_at"]
    list_filter = ["plan__organization"]
    search_fields = ["plan__name"]
    list_select_related = ["plan"]
    autocomplete_fields = ["plan"]
    inlines = [RoadmapTransitionInline]

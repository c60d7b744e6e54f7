"""Department size pages (DESIGN §10): the benchmarks (shared and the organization's own) and
the organization's size settings. Members read; admins set the size, pick the references and
add, edit and retire their organization's benchmarks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from roles import permissions, selectors, services
from roles.forms import BenchmarkForm, OrganizationSizeForm, add_service_errors
from roles.models import REFERENCE_FIELDS, BenchmarkMetric
from roles.views.organization import organization_context


def _current(request: HttpRequest) -> tuple[dict, object]:
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    if organization is None:
        raise Http404("You belong to no organization.")
    return org_context, organization


def _page_context(request, organization, size_form) -> dict:
    benchmarks = list(selectors.benchmarks_for_organization(organization.id))
    chosen = {getattr(organization, f"{field}_id") for field in REFERENCE_FIELDS.values()}
    groups = [
        {
            "metric": metric,
            "label": label,
            "benchmarks": [b for b in benchmarks if b.metric == metric],
        }
        for metric, label in BenchmarkMetric.choices
    ]
    return {
        "organization": organization,
        "groups": groups,
        "chosen_ids": chosen,
        "size_form": size_form,
        "is_admin": permissions.allows(request.user, "organization.administer", organization.id),
    }


@login_required
@require_http_methods(["GET", "POST"])
def benchmark_list(request: HttpRequest) -> HttpResponse:
    """The benchmarks the current organization compares with, and its size settings."""
    org_context, current = _current(request)
    organization = selectors.organization_with_references(current.id)
    benchmarks = selectors.benchmarks_for_organization(organization.id)
    status = 200
    form = OrganizationSizeForm(
        request.POST if request.method == "POST" else None,
        instance=organization,
        benchmarks=benchmarks,
    )
    if request.method == "POST":
        permissions.require(request.user, "organization.administer", organization.id)
        if form.is_valid():
            try:
                services.organization_update(
                    organization=organization, **form.organization_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Saved the department size settings.")
                return redirect("roles:benchmarks")
        status = 400
        organization = selectors.organization_with_references(current.id)
    context = _page_context(request, organization, form)
    return render(request, "roles/benchmarks.html", {**org_context, **context}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def benchmark_create_view(request: HttpRequest) -> HttpResponse:
    """A benchmark of the current organization's own (admins only)."""
    org_context, organization = _current(request)
    permissions.require(request.user, "organization.administer", organization.id)
    form = BenchmarkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                benchmark = services.benchmark_create(
                    organization=organization, **form.benchmark_fields()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Added the benchmark {benchmark.name}.")
                return redirect("roles:benchmarks")
        status = 400
    context = {"form": form, "benchmark": None}
    return render(request, "roles/benchmark_form.html", {**org_context, **context}, status=status)


def _own_benchmark(request: HttpRequest, pk: int):
    """One of the user's organizations' own benchmarks (shared ones have no edit page: 404)."""
    benchmark = selectors.benchmark_visible(request.user, pk)
    if benchmark is None or benchmark.is_shared:
        raise Http404("No such benchmark of your organization.")
    permissions.require(request.user, "benchmark.edit", benchmark)
    return benchmark


@login_required
@require_http_methods(["GET", "POST"])
def benchmark_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one of the organization's own benchmarks (admins only)."""
    benchmark = _own_benchmark(request, pk)
    form = BenchmarkForm(request.POST or None, instance=benchmark)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                benchmark = services.benchmark_update(
                    benchmark=selectors.benchmark_visible(request.user, pk),
                    **form.benchmark_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Saved the benchmark {benchmark.name}.")
                return redirect("roles:benchmarks")
        status = 400
    context = {"form": form, "benchmark": benchmark}
    return render(
        request,
        "roles/benchmark_form.html",
        {**organization_context(request), **context},
        status=status,
    )


@login_required
@require_POST
def benchmark_retire_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire (or bring back) one of the organization's own benchmarks (admins only)."""
    benchmark = _own_benchmark(request, pk)
    active = request.POST.get("active") == "yes"
    services.benchmark_update(benchmark=benchmark, active=active)
    word = "Brought back" if active else "Retired"
    messages.success(request, f"{word} the benchmark {benchmark.name}.")
    return redirect("roles:benchmarks")


urlpatterns = [
    path("benchmarks/", benchmark_list, name="benchmarks"),
    path("benchmarks/new/", benchmark_create_view, name="benchmark_create"),
    path("benchmarks/<int:pk>/edit/", benchmark_update_view, name="benchmark_update"),
    path("benchmarks/<int:pk>/retire/", benchmark_retire_view, name="benchmark_retire"),
]

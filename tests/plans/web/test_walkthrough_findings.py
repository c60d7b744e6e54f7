"""What a first-time leader and an HR admin tripped over while walking through the product."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from plans.models import PlanLine
from roles.models import Membership
from tests.factories import PlanFactory
from tests.support import add_lines, lines_post_data

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["plans:suggestions", "plans:readiness", "plans:roadmap", "plans:import", "plans:report"],
)
def test_plan_pages_keep_the_organization_switcher_in_the_navigation(
    planner, planner_web, plan, other_organization, name
):
    # given a planner who belongs to two organizations
    Membership.objects.create(user=planner, organization=other_organization, role="viewer")
    # when they open one of the plan's feature pages
    html = html_of(planner_web.get(reverse(name, args=[plan.pk])))
    # then the navigation still lets them see and switch the organization, the plan's selected
    assert 'id="org-switch-select"' in html
    assert re.search(rf'<option value="{plan.organization_id}" selected>', html)


def test_role_import_page_shows_the_current_organization(admin_web, organization):
    html = html_of(admin_web.get(reverse("roles:import")))
    assert f'<span class="org-name">{organization.name}</span>' in html


def test_without_javascript_enter_in_the_role_search_searches_instead_of_saving(planner_web, plan):
    page = html_of(planner_web.get(reverse("plans:detail", args=[plan.pk])))
    # Enter submits with the form's first submit button: without JavaScript that is the
    # "Update score" button (search=1), before the Save button.
    assert page.index('name="search" value="1" class="button secondary"') < page.index(
        'name="save" value="1"'
    )
    assert "<noscript><button" in page
    # and what it posts re-scores and lists roles, saving nothing
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "2"}})
    data.update({"search": "1", "role_q": "coach"})
    response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert response.status_code == 200
    assert 'Add <span class="visually-hidden">Coach</span>' in html_of(response)
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == Decimal("1")


def test_role_catalog_links_to_import_for_admins_and_export_for_everyone(
    admin_web, viewer_web, organization
):
    admin_html = html_of(admin_web.get(reverse("roles:list")))
    assert f'href="{reverse("roles:import")}"' in admin_html
    export = f"{reverse('roles:export')}?as=xlsx&amp;organization={organization.id}"
    assert export in admin_html
    viewer_html = html_of(viewer_web.get(reverse("roles:list")))
    assert f'href="{reverse("roles:import")}"' not in viewer_html
    assert export in viewer_html


def test_suggestions_summary_keeps_fte_in_capitals(planner_web, organization):
    plan = add_lines(
        PlanFactory(organization=organization, name="Trainers"),
        [("Trainer", "6", "6"), ("Knowledge Manager", "1", "1"), ("Coach", "1", "1")],
    )
    response = planner_web.get(reverse("plans:suggestions", args=[plan.pk]), {"mode": "reassign"})
    summary = re.search(r'data-testid="suggestions-summary">([^<]*)<', html_of(response))[1]
    assert summary.startswith("Move ") and " FTE between bands" in summary  # reassign: moves
    assert " fte " not in summary


def test_one_role_suggestion_says_role_not_roles(planner_web, organization):
    plan = add_lines(
        PlanFactory(organization=organization, name="Tiny"),
        [("Knowledge Manager", "7", "7"), ("Trainer", "1", "1"), ("Coach", "0", "0")],
    )
    response = planner_web.get(
        reverse("plans:suggestions", args=[plan.pk]), {"mode": "grow", "step": "1"}
    )
    summary = re.search(r'data-testid="suggestions-summary">([^<]*)<', html_of(response))[1]
    assert re.search(r"over 1 role \(", summary), summary


def test_budget_mode_without_a_cap_links_to_the_settings(planner_web, plan):
    response = planner_web.get(reverse("plans:suggestions", args=[plan.pk]), {"mode": "budget"})
    assert response.status_code == 400
    assert f'href="{reverse("plans:settings", args=[plan.pk])}"' in html_of(response)


def test_compare_shows_moves_needed_with_one_decimal(planner_web, plan, organization):
    other = add_lines(PlanFactory(organization=organization, name="Other"), [("Trainer", "3", "3")])
    response = planner_web.get(reverse("plans:compare"), {"ids": f"{plan.pk},{other.pk}"})
    row = re.search(r"FTE to move</th>(.*?)</tr>", html_of(response))[1]
    assert re.findall(r"<td>([^<]*)</td>", row) == ["0.3", "2.7"]


def test_print_leaves_out_the_remove_column_and_the_suggestions_form(planner_web, plan):
    html = html_of(planner_web.get(reverse("plans:detail", args=[plan.pk])))
    assert '<th scope="col" class="no-print">Remove</th>' in html
    assert '<section class="panel suggestions-panel no-print"' in html
    assert html.count('<td class="no-print" data-label="Remove">') == plan.lines.count()


def test_pages_name_an_empty_favicon_so_browsers_do_not_log_a_404(planner_web, plan):
    html = html_of(planner_web.get(reverse("plans:detail", args=[plan.pk])))
    assert '<link rel="icon" href="data:,">' in html

"""The roadmap API: build (201), read, edit a learning plan, rebuild keeping edits; bad input."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import RoadmapTransition
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory, discipline

pytestmark = pytest.mark.django_db


def url(plan) -> str:
    return f"/api/v1/plans/{plan.id}/roadmap/"


def role(organization, slug: str, title: str):
    return RoleFactory(organization=organization, discipline=discipline(slug), title=title)


@pytest.fixture
def plan(organization):
    """Trainers 4 -> 1, instructional designers 2 -> 0; coaches 0 -> 2, knowledge 0 -> 4."""
    plan = PlanFactory(organization=organization, name="Reskilling")
    for slug, title, current, planned in [
        ("training-delivery", "Trainer", "4", "1"),
        ("instructional-design", "Designer", "2", "0"),
        ("coaching-mentoring", "Coach", "0", "2"),
        ("knowledge-management", "Knowledge Manager", "0", "4"),
    ]:
        PlanLineFactory(
            plan=plan,
            role=role(organization, slug, title),
            current_fte=Decimal(current),
            planned_fte=Decimal(planned),
        )
    return plan


def titles(plan) -> dict[int, str]:
    return {line.role_id: line.role.title for line in plan.lines.select_related("role")}


def test_post_builds_the_roadmap_and_answers_201_with_its_transitions(planner_client, plan):
    response = planner_client.post(
        url(plan), {"start": "2026-02-15", "max_fte_per_quarter": 2}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert body["start"] == "2026-02-15" and body["max_fte_per_quarter"] == 2.0
    names = titles(plan)
    steps = [
        (
            t["kind"],
            names.get(t["from_role"]),
            names.get(t["to_role"]),
            t["fte"],
            t["quarter"],
            t["effective_date"],
        )
        for t in body["transitions"]
    ]
    # strongest affinity first, then the largest, then by title: the designers go first
    assert steps == [
        ("move", "Designer", "Knowledge Manager", 2.0, 1, "2026-04-01"),
        ("hire", None, "Knowledge Manager", 1.0, 1, "2026-04-01"),
        ("move", "Trainer", "Coach", 2.0, 2, "2026-07-01"),
        ("move", "Trainer", "Knowledge Manager", 1.0, 3, "2026-10-01"),
    ]
    first = body["transitions"][2]
    assert set(first) == {
        "id",
        "kind",
        "from_role",
        "to_role",
        "fte",
        "quarter",
        "effective_date",
        "learning_plan",
    }
    assert set(first["learning_plan"]) == {
        "focus",
        "target",
        "define",
        "align",
        "outreach",
        "renew",
    }
    assert first["learning_plan"]["focus"].startswith("From Trainer to Coach:")
    assert planner_client.get(url(plan)).json() == body


def test_get_before_any_build_is_404_saying_how_to_build(planner_client, plan):
    response = planner_client.get(url(plan))
    assert response.status_code == 404
    assert "POST" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "next spring", "max_fte_per_quarter": 2}, "start"),
        ({"start": "2026-13-01", "max_fte_per_quarter": 2}, "start"),
        ({"max_fte_per_quarter": 2}, "start"),
        ({"start": "2026-01-01", "max_fte_per_quarter": 0}, "max_fte_per_quarter"),
        ({"start": "2026-01-01", "max_fte_per_quarter": -1}, "max_fte_per_quarter"),
        ({"start": "2026-01-01", "max_fte_per_quarter": "0.15"}, "max_fte_per_quarter"),
        ({"start": "2026-01-01", "max_fte_per_quarter": "lots"}, "max_fte_per_quarter"),
        ({"start": "2026-01-01", "max_fte_per_quarter": "NaN"}, "max_fte_per_quarter"),
        ({"start": "2026-01-01", "max_fte_per_quarter": 0.1}, "max_fte_per_quarter"),  # 90 quarters
        ({"start": "9999-12-01", "max_fte_per_quarter": 1}, "start"),
    ],
)
def test_bad_start_or_cap_is_400_naming_the_field(planner_client, plan, body, field):
    response = planner_client.post(url(plan), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not RoadmapTransition.objects.filter(roadmap__plan=plan).exists()


def test_foreign_plans_are_404_and_viewers_cannot_build(
    outsider_client, viewer_client, planner_client, plan
):
    body = {"start": "2026-01-01", "max_fte_per_quarter": 2}
    assert outsider_client.post(url(plan), body, format="json").status_code == 404
    assert outsider_client.get(url(plan)).status_code == 404
    assert viewer_client.post(url(plan), body, format="json").status_code == 403
    planner_client.post(url(plan), body, format="json")
    assert viewer_client.get(url(plan)).status_code == 200
    transition = RoadmapTransition.objects.filter(roadmap__plan=plan).first()
    detail = f"{url(plan)}transitions/{transition.id}/"
    patch = {"learning_plan": {"focus": "mine"}}
    assert outsider_client.patch(detail, patch, format="json").status_code == 404
    assert viewer_client.patch(detail, patch, format="json").status_code == 403


def test_patch_edits_the_learning_plan_and_a_rebuild_keeps_it(planner_client, plan, organization):
    planner_client.post(url(plan), {"start": "2026-01-01", "max_fte_per_quarter": 2}, format="json")
    coach_move = RoadmapTransition.objects.get(roadmap__plan=plan, to_role__title="Coach")
    detail = f"{url(plan)}transitions/{coach_move.id}/"
    response = planner_client.patch(
        detail, {"learning_plan": {"target": "Mia, our head of sales coaching."}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["learning_plan"]["target"] == "Mia, our head of sales coaching."
    assert response.json()["learning_plan"]["focus"].startswith("From Trainer to Coach")

    # the plan changes a little: the coach move still exists, so its text survives a rebuild
    knowledge = plan.lines.get(role__title="Knowledge Manager")
    knowledge.planned_fte = Decimal("5")
    knowledge.save()
    rebuilt = planner_client.post(
        url(plan), {"start": "2026-07-01", "max_fte_per_quarter": 3}, format="json"
    ).json()
    coach = [t for t in rebuilt["transitions"] if t["to_role"] == coach_move.to_role_id]
    assert coach and coach[0]["learning_plan"]["target"] == "Mia, our head of sales coaching."
    assert coach[0]["effective_date"] == "2026-07-01"
    others = [t for t in rebuilt["transitions"] if t["to_role"] != coach_move.to_role_id]
    assert all("Mia" not in t["learning_plan"]["target"] for t in others)
    history = RoadmapTransition.history.filter(id=coach_move.id).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~", "-"]


def test_a_move_that_no_longer_exists_loses_its_text(planner_client, plan):
    planner_client.post(url(plan), {"start": "2026-01-01", "max_fte_per_quarter": 6}, format="json")
    coach_move = RoadmapTransition.objects.get(roadmap__plan=plan, to_role__title="Coach")
    planner_client.patch(
        f"{url(plan)}transitions/{coach_move.id}/",
        {"learning_plan": {"focus": "Edited"}},
        format="json",
    )
    coach = plan.lines.get(role__title="Coach")
    coach.planned_fte = Decimal("0")
    coach.save()
    rebuilt = planner_client.post(
        url(plan), {"start": "2026-01-01", "max_fte_per_quarter": 6}, format="json"
    ).json()
    assert all(t["learning_plan"]["focus"] != "Edited" for t in rebuilt["transitions"])


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"learning_plan": "text"},
        {"learning_plan": {"hobbies": "golf"}},
        {"learning_plan": {"focus": "x" * 4001}},
        {"learning_plan": {"focus": None}},
    ],
)
def test_a_bad_learning_plan_patch_is_400(planner_client, plan, body):
    planner_client.post(url(plan), {"start": "2026-01-01", "max_fte_per_quarter": 6}, format="json")
    transition = RoadmapTransition.objects.filter(roadmap__plan=plan).first()
    response = planner_client.patch(f"{url(plan)}transitions/{transition.id}/", body, format="json")
    assert response.status_code == 400


def test_a_transition_of_another_plan_is_404(planner_client, plan, organization):
    other = PlanFactory(organization=organization)
    PlanLineFactory(
        plan=other,
        role=role(organization, "training-delivery", "T2"),
        current_fte=Decimal(1),
        planned_fte=Decimal(0),
    )
    PlanLineFactory(
        plan=other,
        role=role(organization, "coaching-mentoring", "C2"),
        current_fte=Decimal(0),
        planned_fte=Decimal(1),
    )
    planner_client.post(
        url(other), {"start": "2026-01-01", "max_fte_per_quarter": 6}, format="json"
    )
    foreign = RoadmapTransition.objects.filter(roadmap__plan=other).first()
    response = planner_client.patch(
        f"{url(plan)}transitions/{foreign.id}/", {"learning_plan": {"focus": "x"}}, format="json"
    )
    assert response.status_code == 404


def test_building_does_not_move_the_plans_version(planner_client, plan):
    version = plan.version
    planner_client.post(url(plan), {"start": "2026-01-01", "max_fte_per_quarter": 6}, format="json")
    plan.refresh_from_db()
    assert plan.version == version


def test_reading_the_roadmap_takes_the_same_queries_at_any_size(
    planner_client, organization, django_assert_max_num_queries
):
    small = PlanFactory(organization=organization)
    PlanLineFactory(
        plan=small,
        role=role(organization, "training-delivery", "S1"),
        current_fte=Decimal(1),
        planned_fte=Decimal(0),
    )
    PlanLineFactory(
        plan=small,
        role=role(organization, "coaching-mentoring", "S2"),
        current_fte=Decimal(0),
        planned_fte=Decimal(1),
    )
    planner_client.post(
        url(small), {"start": "2026-01-01", "max_fte_per_quarter": 1}, format="json"
    )
    with CaptureQueriesContext(connection) as context:
        planner_client.get(url(small))
    one = len(context.captured_queries)
    large = PlanFactory(organization=organization)
    slugs = ["training-delivery", "instructional-design", "elearning-development"]
    for index in range(12):
        PlanLineFactory(
            plan=large,
            role=role(organization, slugs[index % 3], f"L{index}"),
            current_fte=Decimal(3),
            planned_fte=Decimal(0),
        )
        PlanLineFactory(
            plan=large,
            role=role(organization, "knowledge-management", f"K{index}"),
            current_fte=Decimal(0),
            planned_fte=Decimal(3),
        )
    response = planner_client.post(
        url(large), {"start": "2026-01-01", "max_fte_per_quarter": 1.5}, format="json"
    )
    assert len(response.json()["transitions"]) >= 20
    with django_assert_max_num_queries(one):
        planner_client.get(url(large))
    assert one <= 6
    assert isinstance(
        date.fromisoformat(response.json()["transitions"][-1]["effective_date"]), date
    )


def test_the_readiness_and_roadmap_urls_keep_their_names():
    assert reverse("plan-readiness", kwargs={"pk": 7}) == "/api/v1/plans/7/readiness/"
    assert reverse("plan-roadmap", kwargs={"pk": 7}) == "/api/v1/plans/7/roadmap/"
    transition = reverse("plan-roadmap-transition", kwargs={"pk": 7, "tid": 3})
    assert transition == "/api/v1/plans/7/roadmap/transitions/3/"
    assert reverse("readiness-questions") == "/api/v1/readiness-questions/"


def test_a_read_only_refusal_answers_409_on_every_write(planner_client, plan):
    body = {"start": "2026-01-01", "max_fte_per_quarter": "5"}
    assert planner_client.post(url(plan), body, format="json").status_code == 201
    transition = RoadmapTransition.objects.filter(roadmap__plan=plan).first()
    plan.status = "archived"
    plan.save()
    rebuild = planner_client.post(url(plan), body, format="json")
    assert rebuild.status_code == 409 and rebuild.json()["plan_status"] == "archived"
    patch = planner_client.patch(
        f"{url(plan)}transitions/{transition.id}/",
        {"learning_plan": {"focus": "x"}},
        format="json",
    )
    assert patch.status_code == 409 and "reopen it as a draft" in patch.json()["detail"]

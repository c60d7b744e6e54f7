"""Input limits of DESIGN §12 (issue 12 item 8): text length and characters, numbers in one
notation, NUL anywhere. The web, the API and the imports refuse the same values."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from l_and_d_planner.validation import plain_number_problem, text_problem
from plans.models import Plan, PlanLine, TargetModel
from roles.models import Role
from tests.factories import PlanFactory, PlanLineFactory, shared_role
from tests.support import TRAINING_CENTRIC, add_lines, lines_post_data

pytestmark = pytest.mark.django_db

HOSTILE = {
    "ESC": "Plan\x1b[31m",
    "BEL": "Plan\x07",
    "NUL": "Plan\x00",
    "RLO": "Plan \u202egnp.exe",
    "LRI": "Plan \u2066x",
    "ZWSP": "Pl\u200ban",
    "ZWJ": "Pl\u200dan",
    "BOM": "\ufeffPlan",
    "WJ": "Pl\u2060an",
    "DEL": "Plan\x7f",
    "C1": "Plan\x9b2J",
}
BAD_NUMBERS = ["1_000", "١٢", "1e3", "+5", "NaN", "Infinity", "-Infinity", "0x10", "1,5", "½"]


# --- the one rule --------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_the_text_rule_refuses_hostile_characters_with_the_code_point(name):
    problem = text_problem(HOSTILE[name], multiline=True)
    assert problem is not None
    code = next(c for c in HOSTILE[name] if text_problem(c, multiline=True))
    assert f"U+{ord(code):04X}" in problem


def test_multi_line_text_keeps_tabs_and_line_breaks_names_do_not():
    assert text_problem("first line\r\n\tsecond", multiline=True) is None
    assert text_problem("Ünïcödé – 70/20/10 ✓ 日本語", multiline=False) is None
    assert "line break" in text_problem("two\nlines", multiline=False)


@pytest.mark.parametrize("raw", BAD_NUMBERS)
def test_the_number_rule_takes_only_plain_ascii_decimals(raw):
    assert plain_number_problem(raw) is not None


@pytest.mark.parametrize("raw", ["12", "-0.5", "3.", ".5", " 7 ", 12, 1.5, Decimal("2.5")])
def test_plain_numbers_pass(raw):
    assert plain_number_problem(raw) is None


# --- the API -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE)
def test_the_api_refuses_hostile_names_and_descriptions(planner_client, organization, name):
    for field in ("name", "description"):
        body = {"organization": organization.id, "name": "Fine", field: HOSTILE[name]}
        response = planner_client.post("/api/v1/plans/", body, format="json")
        assert response.status_code == 400, (field, response.content)
        assert field in response.json() or "NUL character" in response.json()["detail"]
    assert not Plan.objects.exists()


def test_the_api_refuses_over_long_names_and_texts(planner_client, organization):
    too_long = planner_client.post(
        "/api/v1/plans/",
        {"organization": organization.id, "name": "x" * 201, "description": "y" * 5001},
        format="json",
    )
    assert too_long.status_code == 400
    assert set(too_long.json()) == {"name", "description"}
    megabyte = planner_client.post(
        "/api/v1/plans/",
        {"organization": organization.id, "name": "Big", "description": "z" * 1_000_000},
        format="json",
    )
    assert megabyte.status_code == 400
    fits = planner_client.post(
        "/api/v1/plans/",
        {"organization": organization.id, "name": "x" * 200, "description": "line\n" * 1000},
        format="json",
    )
    assert fits.status_code == 201


def test_the_api_refuses_hostile_line_notes(planner_client, organization):
    line = PlanLineFactory(plan=PlanFactory(organization=organization), role=shared_role("Coach"))
    url = f"/api/v1/plans/{line.plan_id}/lines/{line.id}/"
    for text in HOSTILE.values():
        response = planner_client.patch(url, {"note": text, "version": 1}, format="json")
        assert response.status_code == 400
        assert "note" in response.json() or "NUL character" in response.json()["detail"]
    line.refresh_from_db()
    assert line.note == ""


def test_readiness_notes_and_learning_plans_refuse_hostile_text(planner_client, organization):
    plan = add_lines(PlanFactory(organization=organization), TRAINING_CENTRIC)
    from plans.domain import readiness

    answers = {"answers": [{"code": readiness.QUESTIONS[0].code, "answer": 2, "note": "a\u202eb"}]}
    response = planner_client.put(f"/api/v1/plans/{plan.id}/readiness/", answers, format="json")
    assert response.status_code == 400
    built = planner_client.post(
        f"/api/v1/plans/{plan.id}/roadmap/",
        {"start": "2027-01-01", "max_fte_per_quarter": 2},
        format="json",
    )
    transition = built.json()["transitions"][0]["id"]
    patch = planner_client.patch(
        f"/api/v1/plans/{plan.id}/roadmap/transitions/{transition}/",
        {"learning_plan": {"focus": "ok\x1b[2J"}},
        format="json",
    )
    assert patch.status_code == 400


@pytest.mark.parametrize("raw", BAD_NUMBERS)
def test_the_api_takes_numbers_only_as_json_numbers_or_plain_decimals(
    planner_client, organization, raw
):
    line = PlanLineFactory(plan=PlanFactory(organization=organization), role=shared_role("Coach"))
    url = f"/api/v1/plans/{line.plan_id}/lines/{line.id}/"
    response = planner_client.patch(url, {"planned_fte": raw, "version": 1}, format="json")
    assert response.status_code == 400
    assert "planned_fte" in response.json()
    version = planner_client.patch(url, {"note": "x", "version": raw}, format="json")
    assert version.status_code == 400 and "version" in version.json()
    line.refresh_from_db()
    assert (line.planned_fte, line.version) == (Decimal("1.0"), 1)
    plan = planner_client.post(
        "/api/v1/plans/",
        {"organization": organization.id, "name": "Caps", "budget_cap": raw},
        format="json",
    )
    assert plan.status_code == 400 and "budget_cap" in plan.json()


def test_json_numbers_and_plain_decimal_strings_still_work(planner_client, organization):
    line = PlanLineFactory(plan=PlanFactory(organization=organization), role=shared_role("Coach"))
    url = f"/api/v1/plans/{line.plan_id}/lines/{line.id}/"
    assert (
        planner_client.patch(url, {"planned_fte": 2.5, "version": 1}, format="json").json()[
            "planned_fte"
        ]
        == 2.5
    )
    assert (
        planner_client.patch(url, {"planned_fte": "3.5", "version": "2"}, format="json").json()[
            "planned_fte"
        ]
        == 3.5
    )


def test_target_model_targets_and_role_costs_follow_the_number_rule(admin_client_api, organization):
    model = admin_client_api.post(
        "/api/v1/target-models/",
        {
            "name": "Ours",
            "organization": organization.id,
            "targets": {"experiential": "0.5", "social": "2e-1", "formal": "0.3"},
        },
        format="json",
    )
    assert model.status_code == 400 and not TargetModel.objects.filter(name="Ours").exists()
    role = admin_client_api.post(
        "/api/v1/roles/",
        {
            "organization": organization.id,
            "title": "Guide",
            "discipline": shared_role("Coach").discipline_id,
            "annual_cost": "١٠٠٠",
        },
        format="json",
    )
    assert role.status_code == 400 and "annual_cost" in role.json()
    assert not Role.objects.filter(title="Guide").exists()


# --- NUL anywhere --------------------------------------------------------------------------


def test_nul_in_a_query_string_answers_400_not_500(planner_web, planner_client, organization):
    plan = add_lines(PlanFactory(organization=organization), TRAINING_CENTRIC)
    search = planner_web.get(reverse("plans:role_search", args=[plan.pk]) + "?role_q=%00")
    assert search.status_code == 400
    page = planner_web.get(reverse("plans:detail", args=[plan.pk]) + "?role_q=tr%00")
    assert page.status_code == 400
    roles = planner_client.get("/api/v1/roles/?q=%00")
    assert roles.status_code == 400 and "NUL" in roles.json()["detail"]
    plans = planner_client.get("/api/v1/plans/?search=a%00b")
    assert plans.status_code == 400


def test_nul_in_a_json_or_form_body_answers_400(planner_client, planner_web, organization):
    escaped = b'{"organization": %d, "name": "a\\u0000b"}' % organization.id
    response = planner_client.generic(
        "POST", "/api/v1/plans/", escaped, content_type="application/json"
    )
    assert response.status_code == 400
    plan = add_lines(PlanFactory(organization=organization), TRAINING_CENTRIC)
    data = lines_post_data(plan, {"Trainer": {"note": "bad\x00note"}})
    posted = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
    assert posted.status_code == 400
    assert not Plan.objects.filter(name__startswith="a").exists()
    # An escaped backslash before u0000 is text, not a NUL: it is stored as typed.
    literal = b'{"organization": %d, "name": "a\\\\u0000b"}' % organization.id
    ok = planner_client.generic("POST", "/api/v1/plans/", literal, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["name"] == "a\\u0000b"


# --- the web and the imports agree ---------------------------------------------------------


def test_the_web_refuses_the_same_text_and_numbers(planner_web, organization):
    plan = add_lines(PlanFactory(organization=organization), TRAINING_CENTRIC)
    for change in ({"note": "x\u200by"}, {"planned_fte": "1_0"}, {"planned_fte": "١"}):
        data = lines_post_data(plan, {"Trainer": change})
        response = planner_web.post(reverse("plans:detail", args=[plan.pk]), data)
        assert response.status_code == 400, change
    assert PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte == 1
    created = planner_web.post(reverse("plans:create"), {"name": "Evil\u202e"})
    assert created.status_code == 400
    assert "U+202E" in created.content.decode()
    assert not Plan.objects.filter(name__startswith="Evil").exists()


def test_the_settings_form_refuses_hostile_names(planner_web, organization):
    plan = PlanFactory(organization=organization)
    response = planner_web.post(
        reverse("plans:settings", args=[plan.pk]),
        {
            "name": "Renamed\x1b",
            "description": "",
            "target_model": str(plan.target_model_id),
            "version": str(plan.version),
        },
    )
    assert response.status_code == 400
    assert "U+001B" in response.content.decode()


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("+5", "is not a number"),
        ("١٢", "is not a number"),
        ("1_000", "is not a number"),
    ],
)
def test_the_import_refuses_the_same_numbers(planner_client, organization, cell, words):
    plan = PlanFactory(organization=organization)
    content = f"role,current_fte,planned_fte\nTrainer,{cell},1\n".encode()
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/import/",
        {"file": SimpleUploadedFile("lines.csv", content), "version": plan.version},
        format="multipart",
    )
    assert response.status_code == 400
    assert words in str(response.json())


def test_the_import_refuses_hostile_notes(planner_client, organization):
    plan = PlanFactory(organization=organization)
    content = "role,current_fte,planned_fte,note\nTrainer,1,1,evil\u202etxt\n".encode()
    started = time.perf_counter()
    response = planner_client.post(
        f"/api/v1/plans/{plan.id}/import/",
        {"file": SimpleUploadedFile("lines.csv", content), "version": plan.version},
        format="multipart",
    )
    assert time.perf_counter() - started < 5
    assert response.status_code == 400
    assert "U+202E" in str(response.json())
    assert not PlanLine.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("raw", ["1_000", "١٢", "1e3", "+5"])
def test_the_later_doors_follow_the_number_rule_too(
    admin_client_api, planner_client, organization, raw
):
    """Suggestions (step, grow_to, rows on screen), benchmarks and employees served."""
    plan = planner_client.post(
        "/api/v1/plans/", {"organization": organization.id, "name": "Numbers"}, format="json"
    ).json()
    url = f"/api/v1/plans/{plan['id']}/suggestions/"
    assert planner_client.get(url, {"step": raw}).status_code == 400
    assert planner_client.get(url, {"mode": "grow", "grow_to": raw}).status_code == 400
    role = admin_client_api.get("/api/v1/roles/?page_size=1").json()["results"][0]["id"]
    screen = {"lines": [{"role": role, "planned_fte": raw, "locked": False}]}
    refused = planner_client.post(url, screen, format="json")
    assert refused.status_code == 400 and "plain decimal" in str(refused.json())
    patched = planner_client.patch(
        f"/api/v1/plans/{plan['id']}/",
        {"employees_served": raw, "version": plan["version"]},
        format="json",
    )
    assert patched.status_code == 400 and "employees_served" in patched.json()
    benchmark = admin_client_api.post(
        "/api/v1/benchmarks/",
        {
            "organization": organization.id,
            "name": "Ours",
            "source": "Our survey",
            "year": raw,
            "metric": "employees_per_ld_fte",
            "value": raw,
        },
        format="json",
    )
    assert benchmark.status_code == 400 and {"year", "value"} <= set(benchmark.json())
    employees = admin_client_api.patch(
        f"/api/v1/organizations/{organization.id}/", {"employees": raw}, format="json"
    )
    assert employees.status_code == 400 and "employees" in employees.json()

"""The web pages and the API give the same answer to the same request, and `roles.permissions`
predicts it.

Every action offered at both doors is tried by each membership role (admin, planner, viewer, and
an admin of another organization) on a plan in each status: once through the web (a signed-in
browser) and once through the API (a token), each on a fresh plan. Both answers are sorted into
one outcome by what the user would see and what the database holds afterwards:

- allowed: the change is in the database; the web redirects with a success message, the API
  answers 2xx;
- refused-role: 403 and nothing changed (a member whose role may not do it);
- refused-state: nothing changed, and the web answers 400/409 or redirects with an error
  message, the API answers 400 (the plan's status forbids it, e.g. a move the workflow lacks);
- refused-read-only: the API answers 409 and nothing changed (the plan is in review, approved
  or archived: read-only until it is back to draft); the web refuses as for refused-state;
- not-found: 404 and nothing changed (another organization's plan is never revealed).

The expected outcome is `permissions.decide(user, rule, plan, ...)`, asked before the action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.domain import readiness
from plans.models import Plan, PlanLine, ReadinessAnswer, Roadmap
from plans.views.transfer import PLAN_IMPORT_SALT
from roles import permissions
from roles.views.transfer import sign_upload
from tests.conftest import api_client_for
from tests.factories import PlanFactory
from tests.support import TRAINING_CENTRIC, add_lines, client_for, lines_post_data

pytestmark = pytest.mark.django_db

ROLE_FIXTURES = {
    "admin": "admin_user",
    "planner": "planner",
    "viewer": "viewer",
    "outsider": "outsider",
}
STATUSES = ["draft", "in_review", "approved", "archived"]

ALLOWED = "allowed"
REFUSED_ROLE = "refused-role"
REFUSED_STATE = "refused-state"
NOT_FOUND = "not-found"
REFUSED_READ_ONLY = "refused-read-only"

FIRST_QUESTION = readiness.QUESTIONS[0].code
# The plan's lines as a file, with the Trainers' planned FTE changed from 1 to 3.
IMPORT_CSV = (
    b"role,current_fte,planned_fte\n"
    b"Trainer,6,3\n"
    b"Instructional Designer,3,0\n"
    b"Knowledge Manager,1,6\n"
    b"Community Manager,0,2\n"
)


def trainer_planned_fte(plan: Plan) -> Decimal:
    return PlanLine.objects.get(plan=plan, role__title="Trainer").planned_fte


def scenarios_of(plan: Plan) -> int:
    return Plan.objects.filter(source_plan=plan).count()


@dataclass(frozen=True)
class Action:
    """One action as each door offers it, the rule that decides it, and what it changes."""

    name: str
    rule: str
    web: Callable  # (client, plan) -> response
    api: Callable  # (api client, plan) -> response
    observe: Callable[[Plan], object]  # a value the user cares about, read from the database
    rule_args: tuple = field(default=())


# --- the doors of each action ----------------------------------------------------------------


def web_edit_lines(client, plan):
    data = lines_post_data(plan, {"Trainer": {"planned_fte": "2.5"}})
    return client.post(reverse("plans:detail", args=[plan.pk]), data)


def api_edit_lines(client, plan):
    line = PlanLine.objects.get(plan=plan, role__title="Trainer")
    return client.patch(
        f"/api/v1/plans/{plan.pk}/lines/{line.pk}/",
        {"planned_fte": 2.5, "version": line.version},
        format="json",
    )


def web_settings(client, plan):
    data = {
        "name": "Renamed plan",
        "description": plan.description,
        "target_model": str(plan.target_model_id),
        "headcount_cap": "",
        "budget_cap": "",
        "compliance_floor": "",
        "version": str(plan.version),
    }
    return client.post(reverse("plans:settings", args=[plan.pk]), data)


def api_settings(client, plan):
    return client.patch(
        f"/api/v1/plans/{plan.pk}/",
        {"name": "Renamed plan", "version": plan.version},
        format="json",
    )


def web_status(target: str):
    def post(client, plan):
        data = {"status": target, "version": str(plan.version)}
        return client.post(reverse("plans:status", args=[plan.pk]), data)

    return post


def api_status(target: str):
    def patch(client, plan):
        return client.patch(
            f"/api/v1/plans/{plan.pk}/", {"status": target, "version": plan.version}, format="json"
        )

    return patch


def web_copy(client, plan):
    return client.post(reverse("plans:copy", args=[plan.pk]), {"name": "A copy"})


def api_copy(client, plan):
    return client.post(f"/api/v1/plans/{plan.pk}/clone/", {"name": "A copy"}, format="json")


SUGGESTION_PARAMS = {"mode": "reassign", "step": "0.5"}


def web_apply_suggestions(client, plan):
    return client.post(reverse("plans:suggestions", args=[plan.pk]), SUGGESTION_PARAMS)


def api_apply_suggestions(client, plan):
    return client.post(
        f"/api/v1/plans/{plan.pk}/apply-suggestions/", SUGGESTION_PARAMS, format="json"
    )


def web_readiness(client, plan):
    return client.post(
        reverse("plans:readiness", args=[plan.pk]), {f"answer_{FIRST_QUESTION}": "3"}
    )


def api_readiness(client, plan):
    body = {"answers": [{"code": FIRST_QUESTION, "answer": 3}]}
    return client.put(f"/api/v1/plans/{plan.pk}/readiness/", body, format="json")


ROADMAP_PARAMS = {"start": "2027-01-01", "max_fte_per_quarter": "2"}


def web_roadmap(client, plan):
    return client.post(reverse("plans:roadmap_build", args=[plan.pk]), ROADMAP_PARAMS)


def api_roadmap(client, plan):
    return client.post(f"/api/v1/plans/{plan.pk}/roadmap/", ROADMAP_PARAMS, format="json")


def web_import(client, plan):
    """Upload, then confirm. A plan that may not change offers no confirm button; its confirm
    is then posted with the token a preview taken before it froze would have carried."""
    url = reverse("plans:import", args=[plan.pk])
    preview = client.post(url, {"file": SimpleUploadedFile("lines.csv", IMPORT_CSV)})
    if preview.status_code != 200:
        return preview
    token = preview.context.get("token") or sign_upload(
        filename="lines.csv", content=IMPORT_CSV, salt=PLAN_IMPORT_SALT, version=plan.version
    )
    return client.post(url, {"token": token})


def api_import(client, plan):
    return client.post(
        f"/api/v1/plans/{plan.pk}/import/",
        {"file": SimpleUploadedFile("lines.csv", IMPORT_CSV), "version": plan.version},
        format="multipart",
    )


def web_read(client, plan):
    return client.get(reverse("plans:detail", args=[plan.pk]))


def api_read(client, plan):
    return client.get(f"/api/v1/plans/{plan.pk}/score/")


def plan_status(plan: Plan) -> str:
    return Plan.objects.get(pk=plan.pk).status


def plan_name(plan: Plan) -> str:
    return Plan.objects.get(pk=plan.pk).name


def readiness_answer(plan: Plan) -> int | None:
    found = ReadinessAnswer.objects.filter(plan=plan, code=FIRST_QUESTION).first()
    return None if found is None else found.answer


def has_roadmap(plan: Plan) -> bool:
    return Roadmap.objects.filter(plan=plan).exists()


def status_action(target: str) -> Action:
    return Action(
        f"status_to_{target}",
        "plan.status",
        web_status(target),
        api_status(target),
        plan_status,
        rule_args=(target,),
    )


READ = Action("read", "plan.view", web_read, api_read, lambda plan: None)
ACTIONS = [
    Action("edit_lines", "plan.edit", web_edit_lines, api_edit_lines, trainer_planned_fte),
    Action("settings", "plan.edit", web_settings, api_settings, plan_name),
    *[status_action(target) for target in STATUSES],
    Action("copy", "plan.copy", web_copy, api_copy, scenarios_of),
    Action(
        "apply_suggestions",
        "plan.copy",
        web_apply_suggestions,
        api_apply_suggestions,
        scenarios_of,
    ),
    Action("readiness", "plan.readiness", web_readiness, api_readiness, readiness_answer),
    Action("roadmap_build", "plan.readiness", web_roadmap, api_roadmap, has_roadmap),
    Action("import_lines", "plan.edit", web_import, api_import, trainer_planned_fte),
    READ,
]


def cases():
    for action in ACTIONS:
        for role in ROLE_FIXTURES:
            for status in STATUSES:
                if action.rule_args == (status,):
                    continue  # a move to the status the plan already has changes nothing
                yield pytest.param(action, role, status, id=f"{action.name}-{role}-{status}")


# --- sorting the answers ---------------------------------------------------------------------


def message_levels(response) -> set[str]:
    return {message.level_tag for message in get_messages(response.wsgi_request)}


def refusal(status_code: int, *, web: bool = True) -> str:
    state = {400: REFUSED_STATE, 409: REFUSED_STATE if web else REFUSED_READ_ONLY}
    return {403: REFUSED_ROLE, 404: NOT_FOUND, **state}.get(status_code, f"unchanged-{status_code}")


def web_outcome(response, changed: bool) -> str:
    if response.status_code == 302:
        levels = message_levels(response)
        if changed:
            return ALLOWED if "success" in levels and "error" not in levels else "302-unclear"
        return REFUSED_STATE if "error" in levels else "unchanged-302-without-error"
    if changed:
        return ALLOWED if response.status_code == 200 else f"changed-{response.status_code}"
    return refusal(response.status_code)


def api_outcome(response, changed: bool) -> str:
    if changed:
        return ALLOWED if 200 <= response.status_code < 300 else f"changed-{response.status_code}"
    return refusal(response.status_code, web=False)


def read_outcome(response, plan: Plan, *, web: bool) -> str:
    """A read is allowed when the answer shows the plan."""
    if response.status_code != 200:
        return refusal(response.status_code)
    if web:
        shown = plan.name in response.content.decode()
    else:
        shown = response.json()["plan"]["id"] == plan.pk
    return ALLOWED if shown else "200-without-the-plan"


def expected_outcome(user, action: Action, plan: Plan, *, web: bool) -> str:
    decision = permissions.decide(user, action.rule, plan, *action.rule_args)
    if permissions.membership_role(user, plan.organization_id) is None:
        assert not decision.allowed
        return NOT_FOUND
    if decision.allowed:
        return ALLOWED
    if decision.read_only and not web:
        return REFUSED_READ_ONLY
    return REFUSED_STATE if decision.about_state else REFUSED_ROLE


def fresh_plan(organization, status: str) -> Plan:
    plan = PlanFactory(organization=organization, name=f"Department ({status})", status=status)
    return add_lines(plan, TRAINING_CENTRIC)


def attempt(action: Action, door: Callable, client, plan: Plan, *, web: bool) -> str:
    before = action.observe(plan)
    response = door(client, plan)
    if action is READ:
        return read_outcome(response, plan, web=web)
    changed = action.observe(plan) != before
    return web_outcome(response, changed) if web else api_outcome(response, changed)


@pytest.mark.parametrize(("action", "role", "status"), list(cases()))
def test_web_and_api_agree_with_the_rule(request, organization, action, role, status):
    user = request.getfixturevalue(ROLE_FIXTURES[role])
    web_plan, api_plan = fresh_plan(organization, status), fresh_plan(organization, status)
    fresh = Plan.objects.get(pk=web_plan.pk)
    expected_web = expected_outcome(user, action, fresh, web=True)
    expected_api = expected_outcome(user, action, fresh, web=False)

    web = attempt(action, action.web, client_for(user), web_plan, web=True)
    api = attempt(action, action.api, api_client_for(user), api_plan, web=False)

    assert (web, api) == (expected_web, expected_api)

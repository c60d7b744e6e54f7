"""Demo data: an organization, its members and two sample plans (today and modern)."""

import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from plans.models import Plan, PlanLine
from plans.selectors import built_in_target_model
from roles.models import Membership, MembershipRole, Organization, Role

DEMO_ORG = {"slug": "acme", "name": "Acme Learning & Development", "currency": "EUR"}

# (role title, current FTE, planned FTE): a 12-person, training-centric department.
TODAY_LINES = [
    ("Trainer", "4", "4"),
    ("Senior Trainer", "1", "1"),
    ("Instructional Designer", "3", "3"),
    ("eLearning Developer", "2", "2"),
    ("Training Coordinator", "1", "1"),
    ("Knowledge Manager", "1", "1"),
]

# The same department, planned the modern way.
MODERN_LINES = [
    ("Trainer", "4", "1"),
    ("Senior Trainer", "1", "0"),
    ("Instructional Designer", "3", "0.5"),
    ("eLearning Developer", "2", "0"),
    ("Training Coordinator", "1", "0"),
    ("Knowledge Manager", "1", "3"),
    ("Organisation Design Consultant", "0", "1.5"),
    ("Learning Technologist", "0", "2"),
    ("Learning Platform Engineer", "0", "1.5"),
    ("Community Manager", "0", "1"),
    ("Coach", "0", "1"),
    ("Internal Communications Specialist", "0", "0.5"),
]

TODAY_PLAN = "Today: training-centric department"
MODERN_PLAN = "2027: modern learning department"


def _user(username: str, *, email: str, superuser: bool, password: str | None):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"email": email})
    if password is not None:
        user.set_password(password)
    user.is_staff = superuser
    user.is_superuser = superuser
    user.save()
    return user, created


def _plan(organization, name, description, lines, user):
    plan, created = Plan.objects.get_or_create(
        organization=organization,
        name=name,
        defaults={
            "description": description,
            "target_model": built_in_target_model(),
            "created_by": user,
            "updated_by": user,
        },
    )
    if not created:
        return plan  # a restart keeps the user's edits to the demo plans
    roles = {role.title: role for role in Role.objects.filter(organization__isnull=True)}
    for title, current, planned in lines:
        PlanLine.objects.update_or_create(
            plan=plan,
            role=roles[title],
            defaults={"current_fte": Decimal(current), "planned_fte": Decimal(planned)},
        )
    return plan


DEMO_EMPLOYEES = 4000


@transaction.atomic
def demo_load(*, admin_password: str | None = None, reset_passwords: bool = False) -> dict:
    """Create the demo organization, users and plans (idempotent).

    Returns the credentials that were set: passwords are generated unless given, and only set
    for new accounts or when `reset_passwords` is true.
    """
    organization, _ = Organization.objects.get_or_create(
        slug=DEMO_ORG["slug"],
        defaults={
            "name": DEMO_ORG["name"],
            "currency": DEMO_ORG["currency"],
            "employees": DEMO_EMPLOYEES,  # the department size panel has something to say
        },
    )
    credentials = {}
    for username, email, superuser, role in [
        ("admin", "admin@example.com", True, MembershipRole.ADMIN),
        ("planner", "planner@example.com", False, MembershipRole.PLANNER),
        ("viewer", "viewer@example.com", False, MembershipRole.VIEWER),
    ]:
        User = get_user_model()
        exists = User.objects.filter(username=username).exists()
        password = None
        if not exists or reset_passwords:
            password = (
                admin_password
                if (admin_password and username == "admin")
                else secrets.token_urlsafe(12)
            )
        user, _ = _user(username, email=email, superuser=superuser, password=password)
        if password:
            credentials[username] = password
        Membership.objects.get_or_create(
            user=user, organization=organization, defaults={"role": role}
        )
    admin = get_user_model().objects.get(username="admin")
    today = _plan(
        organization,
        TODAY_PLAN,
        "Twelve people, nearly all in training, instructional design and eLearning.",
        TODAY_LINES,
        admin,
    )
    modern = _plan(
        organization,
        MODERN_PLAN,
        "The same twelve FTE moved towards knowledge, organisation design, technology and "
        "social learning.",
        MODERN_LINES,
        admin,
    )
    if modern.source_plan_id is None:
        modern.source_plan = today
        modern.save(update_fields=["source_plan"])
    return {"organization": organization, "credentials": credentials, "plans": [today, modern]}

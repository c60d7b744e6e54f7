"""factory_boy factories for the domain models."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from plans.models import Plan, PlanLine, TargetModel
from roles.models import Discipline, Membership, Organization, Role


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    currency = "EUR"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = "planner"


def discipline(slug: str) -> Discipline:
    """A seeded discipline by slug (the catalog migration loads all ten)."""
    return Discipline.objects.get(slug=slug)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    organization = None
    title = factory.Sequence(lambda n: f"Role {n}")
    discipline = factory.LazyFunction(lambda: discipline("knowledge-management"))
    annual_cost = Decimal("80000")
    band_split = factory.LazyFunction(dict)


class TargetModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetModel

    name = factory.Sequence(lambda n: f"Target {n}")
    organization = factory.SubFactory(OrganizationFactory)
    experiential_percent = Decimal("70")
    social_percent = Decimal("20")
    formal_percent = Decimal("10")
    tolerance_points = Decimal("5")


def built_in_model() -> TargetModel:
    return TargetModel.objects.get(organization__isnull=True)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Plan {n}")
    target_model = factory.LazyFunction(built_in_model)


class PlanLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanLine

    plan = factory.SubFactory(PlanFactory)
    role = factory.SubFactory(RoleFactory)
    current_fte = Decimal("1")
    planned_fte = Decimal("1")


def shared_role(title: str) -> Role:
    return Role.objects.get(organization__isnull=True, title=title)

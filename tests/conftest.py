"""Shared fixtures: users with memberships, API clients, the demo catalog."""

import os

import pytest
from django.db import connection, connections
from hypothesis import settings as hypothesis_settings
from pytest_django.plugin import blocking_manager_key
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.oidc_provider.fixtures import oidc_provider, sso_settings  # noqa: F401 (fixtures)
from tests.support import client_for

# CI explores the same examples on every run (a failure there is reproducible); locally the
# examples vary from run to run, which keeps finding new cases.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI", "").lower() == "true" else "dev")


def pytest_report_header(config):
    return f"database: {os.environ.get('DATABASE_URL', 'sqlite (default)')}"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Sign-in failure counters and API throttles live in the cache: each test starts at zero."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def require_postgres_in_ci(django_db_setup, django_db_blocker):
    """With CI=true the suite must run on PostgreSQL: fail loudly instead of using SQLite."""
    if os.environ.get("CI", "").lower() == "true":
        with django_db_blocker.unblock():
            vendor = connection.vendor
        if vendor != "postgresql":
            pytest.exit(f"CI=true but the tests run on {vendor}: set DATABASE_URL.", returncode=3)


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Acme", slug="acme-test")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Globex", slug="globex-test")


def member(organization, role: str, username: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, organization=organization, role=role)
    return user


@pytest.fixture
def admin_user(organization):
    return member(organization, "admin", "alice-admin")


@pytest.fixture
def planner(organization):
    return member(organization, "planner", "paula-planner")


@pytest.fixture
def viewer(organization):
    return member(organization, "viewer", "victor-viewer")


@pytest.fixture
def outsider(other_organization):
    return member(other_organization, "admin", "oscar-outsider")


def api_client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def planner_client(planner):
    return api_client_for(planner)


@pytest.fixture
def admin_client_api(admin_user):
    return api_client_for(admin_user)


@pytest.fixture
def viewer_client(viewer):
    return api_client_for(viewer)


@pytest.fixture
def outsider_client(outsider):
    return api_client_for(outsider)


@pytest.fixture
def planner_web(planner):
    return client_for(planner)


@pytest.fixture
def admin_web(admin_user):
    return client_for(admin_user)


@pytest.fixture
def viewer_web(viewer):
    return client_for(viewer)


@pytest.fixture
def outsider_web(outsider):
    return client_for(outsider)


def load_catalog() -> None:
    from plans.models import TargetModel
    from roles.catalog import load_standard_catalog
    from roles.models import Discipline, Role

    load_standard_catalog(Discipline, Role, TargetModel)
    load_benchmarks()


def load_benchmarks() -> None:
    """The shared benchmarks a data migration seeds (see `roles.benchmarks`)."""
    from roles.benchmarks import load_shared_benchmarks
    from roles.models import Benchmark, Organization

    load_shared_benchmarks(Benchmark, Organization)


def uses_transactional_db(item) -> bool:
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    return bool(
        (marker and marker.kwargs.get("transaction"))
        or names & {"transactional_db", "live_server", "standard_catalog"}
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put the migration-loaded catalog back.

    pytest-django flushes the database after a transactional test (browser tests, concurrency
    tests), wiping the standard catalog that a data migration loaded; this loads it again,
    leaving the database as the other tests expect it. (serialized_rollback=True restores the
    data only at the start of a test, not after it, and skips the post-migrate content types.)
    """
    result = yield
    if nextitem is None or not uses_transactional_db(item):
        # The session is over: the test database is already gone with its fixtures.
        return result
    blocker = item.config.stash[blocking_manager_key]
    with blocker.unblock():
        load_catalog()
        # Close this test's connections now: otherwise one stays open and blocks the
        # DROP DATABASE of the test database at the end of the session.
        connections.close_all()
    return result


@pytest.fixture
def standard_catalog(transactional_db):
    load_catalog()

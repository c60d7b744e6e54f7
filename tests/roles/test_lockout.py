"""Guessing is locked out (issue 12, item 6): django-axes on the sign-in page and the token
endpoint, per username and per address, on the shared cache; DRF throttles on the API."""

import json
import uuid

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from tests.factories import UserFactory
from tests.servers import REDIS_URL, app_server, database_url, request

PASSWORD = "correct horse battery staple"
TOKEN_URL = "/api/v1/auth/token/"
LIMIT = 5


def token_attempt(client: Client, username: str, password: str, address="10.0.0.1"):
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def page_attempt(client: Client, username: str, password: str, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.django_db
def test_the_token_endpoint_locks_an_account_after_five_failures(planner):
    client = Client()
    answers = [token_attempt(client, planner.username, "wrong").status_code for _ in range(LIMIT)]
    assert answers == [400] * (LIMIT - 1) + [429]
    locked = token_attempt(client, planner.username, PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked.json() == {
        "detail": "Too many failed sign-in attempts for this account or from this address: "
        "sign-in is locked for 15 minutes. Try again later, or ask an admin to unlock it."
    }


@pytest.mark.django_db
def test_the_sign_in_page_locks_an_account_with_a_message(planner):
    client = Client()
    for _ in range(LIMIT - 1):
        assert page_attempt(client, planner.username, "wrong").status_code == 200
    assert page_attempt(client, planner.username, "wrong").status_code == 429
    locked = page_attempt(client, planner.username, PASSWORD)
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "sign-in is locked for 15 minutes" in html
    assert '<form method="post" action="/accounts/login/"' in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_count_per_username_across_addresses(planner):
    client = Client()
    for number in range(LIMIT):
        token_attempt(client, planner.username, "wrong", address=f"10.0.1.{number}")
    assert token_attempt(client, planner.username, PASSWORD, "10.0.2.1").status_code == 429


@pytest.mark.django_db
def test_failures_count_per_address_across_usernames(planner):
    client = Client()
    for number in range(LIMIT):
        token_attempt(client, f"someone-{number}", "wrong", address="10.0.3.3")
    assert token_attempt(client, planner.username, PASSWORD, "10.0.3.3").status_code == 429
    # the account itself is not locked elsewhere
    assert token_attempt(client, planner.username, PASSWORD, "10.0.3.4").status_code == 200


@pytest.mark.django_db
def test_a_success_before_the_limit_starts_the_count_again(planner):
    client = Client()
    for _ in range(LIMIT - 1):
        token_attempt(client, planner.username, "wrong")
    assert token_attempt(client, planner.username, PASSWORD).status_code == 200
    for _ in range(LIMIT - 1):
        token_attempt(client, planner.username, "wrong")
    assert token_attempt(client, planner.username, PASSWORD).status_code == 200


@pytest.mark.django_db
def test_the_api_throttles_users_and_anonymous_requests(settings, planner, planner_client):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    answers = [planner_client.get("/api/v1/plans/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    throttled = planner_client.get("/api/v1/plans/")
    assert int(throttled["Retry-After"]) > 0
    assert "throttled" in throttled.json()["detail"]
    # Without a token only the token endpoint answers; it is throttled per address.
    anonymous = Client()
    answers = [token_attempt(anonymous, planner.username, PASSWORD).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


@pytest.mark.django_db(transaction=True)
def test_two_app_servers_share_one_lockout_through_redis(settings):
    # Both servers run the real password hasher; this test's user must use it too.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = UserFactory(username="shared-lockout")
    user.password = make_password(PASSWORD)
    user.save()
    env = {
        "DATABASE_URL": database_url(),
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}",  # a fresh set of counters
    }

    def attempt(server, password):
        body = json.dumps({"username": user.username, "password": password}).encode()
        status, headers, content = request(
            f"{server}{TOKEN_URL}", data=body, headers={"Content-Type": "application/json"}
        )
        return status, content

    with app_server(env) as first, app_server(env) as second:
        assert attempt(first, PASSWORD)[0] == 200  # both work before any failure
        assert attempt(second, PASSWORD)[0] == 200
        failures = [attempt(server, "wrong")[0] for server in (first, second, first, second)]
        assert failures == [400, 400, 400, 400]
        assert attempt(second, "wrong")[0] == 429  # the fifth failure, on either server
        for server in (first, second):
            status, content = attempt(server, PASSWORD)
            assert status == 429
            assert "sign-in is locked" in json.loads(content)["detail"]

"""API tokens: the one-query lookup gives the same user as the ORM, and refuses what DRF does."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from roles.selectors import user_and_token
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


def test_the_token_lookup_returns_the_stored_user_and_token(planner):
    token, _ = Token.objects.get_or_create(user=planner)
    user, found = user_and_token(token.key)
    stored = get_user_model().objects.get(pk=planner.pk)
    for field in get_user_model()._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(stored, field.attname), field.name
    assert (found.key, found.user_id, found.created) == (token.key, token.user_id, token.created)
    assert user_and_token("0" * 40) is None


def test_a_wrong_token_and_an_inactive_user_are_refused(planner, organization):
    """403 (not 401): session authentication comes first and sends no WWW-Authenticate."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "f" * 40)
    wrong = client.get("/api/v1/plans/")
    assert wrong.status_code == 403 and wrong.json()["detail"] == "Invalid token."
    active = api_client_for(planner)
    assert active.get("/api/v1/plans/").status_code == 200
    planner.is_active = False
    planner.save(update_fields=["is_active"])
    inactive = active.get("/api/v1/plans/")
    assert inactive.status_code == 403
    assert inactive.json()["detail"] == "User inactive or deleted."

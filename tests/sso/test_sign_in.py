"""Single sign-on against the real test provider (tests/oidc_provider): the whole round trip of
the authorization code flow, with real HTTP, real RS256 ID tokens and the provider's JWKS."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages

from roles.models import Invitation, Membership
from roles.services import invitation_create
from sso.discovery import forget_provider_configuration
from sso.models import OidcIdentity
from tests.factories import OrganizationFactory, UserFactory
from tests.oidc_provider.fixtures import (
    free_port,
    running_provider,
    sign_in_at_provider,
    sign_in_up_to_the_callback,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_first_sign_in_creates_the_user_links_the_identity_and_lands_on_the_dashboard(
    client, sso_settings, oidc_provider
):
    username, password = oidc_provider.add_user(
        email="Dana.Doe@example.com",
        extra_claims={"given_name": "Dana", "family_name": "Doe", "preferred_username": "dana"},
    )

    response = sign_in_at_provider(client, username, password)

    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="Dana.Doe@example.com")
    assert (user.username, user.first_name, user.last_name) == ("dana", "Dana", "Doe")
    assert not user.has_usable_password()
    identity = OidcIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (oidc_provider.issuer, username)
    dashboard = client.get("/")
    assert dashboard.status_code == 200 and dashboard.wsgi_request.user == user


def test_the_next_page_survives_the_round_trip(client, sso_settings, oidc_provider):
    username, password = oidc_provider.add_user(email="next@example.com")

    response = sign_in_at_provider(client, username, password, next_url="/plans/new/")

    assert response.status_code == 302 and response["Location"] == "/plans/new/"


def test_a_second_sign_in_finds_the_same_user_by_subject_even_with_a_new_email(
    client, sso_settings, oidc_provider
):
    username, password = oidc_provider.add_user(email="first@example.com")
    sign_in_at_provider(client, username, password)
    client.logout()
    username, password = oidc_provider.add_user(email="renamed@example.com", username=username)

    sign_in_at_provider(client, username, password)

    user = OidcIdentity.objects.get(subject=username).user
    assert user.email == "renamed@example.com"
    assert User.objects.filter(email__in=["first@example.com", "renamed@example.com"]).count() == 1


def test_first_sign_in_links_an_existing_account_of_the_same_verified_email(
    client, sso_settings, oidc_provider
):
    existing = UserFactory(username="erin", email="erin@example.com")
    username, password = oidc_provider.add_user(email="ERIN@example.com")

    response = sign_in_at_provider(client, username, password)

    assert response.status_code == 302
    assert OidcIdentity.objects.get(subject=username).user == existing
    assert User.objects.filter(email__iexact="erin@example.com").count() == 1


def test_first_sign_in_accepts_the_pending_invitations_of_the_verified_email(
    client, sso_settings, oidc_provider
):
    acme = OrganizationFactory(slug="acme-invites")
    invitation_create(organization=acme, email="ivy@example.com", role="planner")
    username, password = oidc_provider.add_user(email="ivy@example.com")

    sign_in_at_provider(client, username, password)

    user = User.objects.get(email="ivy@example.com")
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (acme, "planner")
    assert Invitation.objects.get(email="ivy@example.com").accepted_by == user


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ({"iss": "http://127.0.0.1:9/another-issuer"}, "issued by another provider than Acme ID"),
        ({"aud": "another-application"}, "issued for another application"),
        ({"expires_in": -600}, "its token has expired"),
    ],
    ids=["wrong issuer", "wrong audience", "expired token"],
)
def test_an_id_token_that_does_not_hold_is_refused_with_a_clear_message_and_no_user(
    client, sso_settings, oidc_provider, fault, words
):
    username, password = oidc_provider.add_user(email="mallory@example.com", id_token=fault)

    response = sign_in_at_provider(client, username, password)

    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert any(words in message for message in messages_of(response))
    assert not User.objects.filter(email="mallory@example.com").exists()
    assert not OidcIdentity.objects.exists()
    assert client.get("/").status_code == 302  # still signed out


def test_an_unverified_email_is_refused_with_a_clear_message_and_no_user(
    client, sso_settings, oidc_provider
):
    acme = OrganizationFactory(slug="acme-unverified")
    invitation_create(organization=acme, email="uma@example.com", role="admin")
    username, password = oidc_provider.add_user(email="uma@example.com", email_verified=False)

    response = sign_in_at_provider(client, username, password)

    assert response["Location"] == "/accounts/login/"
    assert messages_of(response) == [
        "The sign-in was refused: Acme ID has not verified your email address uma@example.com. "
        "Verify it there, then try again."
    ]
    assert not User.objects.filter(email="uma@example.com").exists()
    assert Invitation.objects.get(email="uma@example.com").accepted_at is None


def test_the_refusal_is_shown_on_the_sign_in_page(client, sso_settings, oidc_provider):
    username, password = oidc_provider.add_user(
        email="late@example.com", id_token={"expires_in": -600}
    )

    response = sign_in_at_provider(client, username, password)
    page = client.get(response["Location"])

    assert page.status_code == 200
    assert "The sign-in was refused: its token has expired." in page.content.decode()


def test_a_callback_without_a_sign_in_started_here_is_refused(client, sso_settings):
    response = client.get("/accounts/oidc/callback/", {"code": "stolen", "state": "forged"})

    assert response["Location"] == "/accounts/login/"
    assert messages_of(response) == [
        "This sign-in was started in another browser or has timed out: try again."
    ]


def test_the_provider_saying_no_is_worded(client, sso_settings):
    response = client.get(
        "/accounts/oidc/callback/",
        {"error": "access_denied", "error_description": "The user cancelled", "state": "x"},
    )

    assert messages_of(response) == ["Acme ID did not sign you in (The user cancelled)."]


def test_a_deactivated_account_is_refused(client, sso_settings, oidc_provider):
    UserFactory(username="gone", email="gone@example.com", is_active=False)
    username, password = oidc_provider.add_user(email="gone@example.com")

    response = sign_in_at_provider(client, username, password)

    assert messages_of(response) == ["This account is deactivated: ask your administrator."]
    assert not OidcIdentity.objects.exists()


def test_a_discovery_document_naming_another_issuer_is_not_trusted(
    client, sso_settings, oidc_provider
):
    # The same provider reached under another name: its document names 127.0.0.1, not localhost.
    sso_settings.OIDC_ISSUER = oidc_provider.issuer.replace("127.0.0.1", "localhost")

    response = client.get("/accounts/oidc/authenticate/")

    assert response["Location"] == "/accounts/login/"
    assert "describes itself as another issuer" in messages_of(response)[0]


def test_the_sign_in_page_answers_and_the_click_is_worded_while_the_provider_is_down(
    client, sso_settings
):
    sso_settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    sso_settings.OIDC_TIMEOUT = 2

    page = client.get("/accounts/login/")
    click = client.get("/accounts/oidc/authenticate/", {"next": "/plans/new/"})

    assert page.status_code == 200
    assert (
        '<a class="button" href="/accounts/oidc/authenticate/?next=">Sign in with Acme ID</a>'
        in (page.content.decode())
    )
    assert click.status_code == 302
    assert click["Location"] == "/accounts/login/?next=%2Fplans%2Fnew%2F"
    assert messages_of(click) == [
        "Acme ID cannot be reached right now, so you cannot sign in with it. "
        "Try again in a few minutes, or ask your administrator."
    ]
    assert client.get(click["Location"]).status_code == 200


def test_discovery_is_fetched_at_the_first_click_then_cached(client, sso_settings, oidc_provider):
    from django.core.cache import cache

    from sso.discovery import _cache_key

    client.get("/accounts/login/")
    assert cache.get(_cache_key(oidc_provider.issuer)) is None  # the page fetched nothing
    first = client.get("/accounts/oidc/authenticate/")
    assert cache.get(_cache_key(oidc_provider.issuer))["issuer"] == oidc_provider.issuer
    sso_settings.OIDC_TIMEOUT = 0.001  # a fetch now would fail: the cache answers
    second = client.get("/accounts/oidc/authenticate/")
    assert first["Location"].startswith(f"{oidc_provider.issuer}/authorize?")
    assert second["Location"].startswith(f"{oidc_provider.issuer}/authorize?")


def test_without_single_sign_on_the_page_has_only_the_password_form(client, settings):
    settings.OIDC_ISSUER = ""

    page = client.get("/accounts/login/").content.decode()

    assert "Sign in with" not in page and 'name="password"' in page
    assert client.get("/accounts/oidc/authenticate/").status_code == 404


def test_password_login_off_hides_the_form_and_refuses_a_password(client, sso_settings):
    sso_settings.PASSWORD_LOGIN = False
    UserFactory(username="pat", email="pat@example.com")

    page = client.get("/accounts/login/").content.decode()
    post = client.post(
        "/accounts/login/", {"username": "pat", "password": "correct horse battery staple"}
    )

    assert "Sign in with Acme ID" in page and 'name="password"' not in page
    assert post.status_code == 403
    assert "password sign-in is turned off here" in post.content.decode()
    assert client.get("/").status_code == 302  # not signed in


def test_the_api_keeps_token_authentication(client, sso_settings, admin_user):
    from tests.conftest import api_client_for

    response = api_client_for(admin_user).get("/api/v1/memberships/")

    assert response.status_code == 200


def test_a_profile_the_app_cannot_store_is_refused_not_a_server_error(
    client, sso_settings, oidc_provider
):
    username, password = oidc_provider.add_user(email="broken@")

    response = sign_in_at_provider(client, username, password)

    assert messages_of(response) == ["Acme ID sent a profile this app cannot use (check: email)."]
    assert not OidcIdentity.objects.exists()


def test_a_provider_gone_down_between_the_click_and_the_callback_is_worded(client, settings):
    with running_provider() as provider:
        settings.OIDC_ISSUER = provider.issuer
        settings.OIDC_CLIENT_ID = provider.client_id
        settings.OIDC_CLIENT_SECRET = provider.client_secret
        settings.OIDC_NAME = "Acme ID"
        forget_provider_configuration()
        username, password = provider.add_user(email="otto@example.com")
        callback_url = sign_in_up_to_the_callback(client, username, password)
    # the provider process has stopped: the code cannot be exchanged any more

    response = client.get(callback_url)

    forget_provider_configuration()
    assert response["Location"] == "/accounts/login/"
    assert messages_of(response)[0].startswith("Acme ID cannot be reached right now")
    assert not User.objects.filter(email="otto@example.com").exists()


def test_after_a_refusal_the_sign_in_page_still_knows_where_the_user_was_going(
    client, sso_settings, oidc_provider
):
    username, password = oidc_provider.add_user(email="rae@example.com", email_verified=False)

    response = sign_in_at_provider(client, username, password, next_url="/plans/new/")

    assert response["Location"] == "/accounts/login/?next=%2Fplans%2Fnew%2F"

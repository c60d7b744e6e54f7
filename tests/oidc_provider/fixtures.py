"""Fixtures that start the test OpenID Connect provider (server.py) and point the app at it.

`oidc_provider` starts it once per test process as a separate process on a free port of
127.0.0.1 (nothing outside the machine), waits for its discovery document, and stops it at the
end. `sso_settings` configures single sign-on against it for one test.
"""

import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from sso.discovery import forget_provider_configuration

SERVER = Path(__file__).with_name("server.py")
CLIENT_ID = "ld-planner-tests"
CLIENT_SECRET = "test-only-secret-" + "x" * 16
CALLBACK_PATH = "/accounts/oidc/callback/"
REDIRECT_URIS = [
    f"http://testserver{CALLBACK_PATH}",  # Django's test client
    f"http://localhost:*{CALLBACK_PATH}",  # live_server (browser tests)
]
HIDDEN_FIELD = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)">')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class OidcProvider:
    """The running provider: its issuer URL and how to give it users."""

    issuer: str
    client_id: str
    client_secret: str

    def add_user(
        self,
        *,
        email: str,
        email_verified=True,
        groups: list[str] | None = None,
        id_token: dict | None = None,
        extra_claims: dict | None = None,
        username: str = "",
        sub: str = "",
    ) -> tuple[str, str]:
        """A user at the provider (a new one, or `username` replaced); returns (username,
        password) to sign in with. The subject id is new unless `sub` is given.

        id_token: faults to put in its ID tokens: {"iss": ...}, {"aud": ...}, {"expires_in": -600}.
        """
        username = username or f"user-{uuid.uuid4().hex[:10]}"
        password = uuid.uuid4().hex
        claims = {"sub": sub or username, "email": email, "email_verified": email_verified}
        if groups is not None:
            claims["groups"] = groups
        claims.update(extra_claims or {})
        user = {"username": username, "password": password, "claims": claims}
        if id_token:
            user["id_token"] = id_token
        response = requests.post(f"{self.issuer}/_test/users", json=user, timeout=5)
        response.raise_for_status()
        return username, password


@contextmanager
def running_provider():
    """A test provider in its own process on a free port, stopped when the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            str(SERVER),
            "--port",
            str(port),
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            *[argument for uri in REDIRECT_URIS for argument in ("--redirect-uri", uri)],
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the test OpenID provider did not start: {process.stderr.read()!r}")
            time.sleep(0.1)
    try:
        yield OidcProvider(issuer=issuer, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def oidc_provider():
    """The test provider, running in its own process for this test session."""
    with running_provider() as provider:
        yield provider


@pytest.fixture
def sso_settings(settings, oidc_provider):
    """Single sign-on configured against the test provider (and no discovery cached yet)."""
    settings.OIDC_ISSUER = oidc_provider.issuer
    settings.OIDC_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_CLIENT_SECRET = oidc_provider.client_secret
    settings.OIDC_NAME = "Acme ID"
    settings.OIDC_GROUPS_CLAIM = ""
    settings.OIDC_GROUP_MAP = ""
    forget_provider_configuration()
    yield settings
    forget_provider_configuration()


def sign_in_at_provider(
    client, username: str, password: str, next_url: str = "", during_callback=None
):
    """The whole round trip with Django's test client and a real HTTP session at the provider.

    "Sign in with …" -> the provider's sign-in form (filled in and posted like a browser does)
    -> back to the callback with code and state. Returns the callback's response.
    `during_callback`: a context manager around the callback alone (e.g. a query count).
    """
    callback_url = sign_in_up_to_the_callback(client, username, password, next_url)
    with during_callback or nullcontext():
        return client.get(callback_url)


def sign_in_up_to_the_callback(client, username: str, password: str, next_url: str = "") -> str:
    """The round trip up to the provider's redirect: the callback URL the browser would open."""
    start = client.get("/accounts/oidc/authenticate/", {"next": next_url} if next_url else {})
    assert start.status_code == 302, start
    browser = requests.Session()
    form_page = browser.get(start["Location"], timeout=5)
    assert form_page.status_code == 200, form_page.text
    fields = {
        unescape(name): unescape(value) for name, value in HIDDEN_FIELD.findall(form_page.text)
    }
    authorize = urlsplit(start["Location"])
    back = browser.post(
        f"{authorize.scheme}://{authorize.netloc}/authorize",
        data={**fields, "username": username, "password": password},
        allow_redirects=False,
        timeout=5,
    )
    assert back.status_code == 302, back.text
    callback = urlsplit(back.headers["Location"])
    assert callback.path == CALLBACK_PATH
    return f"{callback.path}?{callback.query}"

"""A small, real OpenID Connect provider for the tests (authorization code flow, PKCE, RS256).

Run as its own process by the `oidc_provider` fixture (tests/oidc_provider/fixtures.py) on a free
port of 127.0.0.1: discovery, a sign-in form, redirects with code and state, a token endpoint
with client authentication, ID tokens signed with a fresh RSA key (joserfc, the JOSE library of
the Authlib project), a JWKS endpoint and userinfo. Test-only: users live in memory, and
POST /_test/users adds one, with optional faults in its ID token (another issuer or audience,
an expiry in the past) for the tests that must see those refused.

    python tests/oidc_provider/server.py --port 8765 --client-id planner --client-secret s3cret \
        --redirect-uri 'http://localhost:*/accounts/oidc/callback/'
"""

import argparse
import base64
import hashlib
import html
import json
import secrets
import threading
import time
from fnmatch import fnmatchcase
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "alg": "RS256", "use": "sig"})
CODE_LIFETIME = 60
TOKEN_LIFETIME = 300


class Provider:
    """The provider's state: its client, users, outstanding codes and access tokens."""

    def __init__(self, issuer: str, client_id: str, client_secret: str, redirect_uris: list[str]):
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = list(redirect_uris)
        self.users: dict[str, dict] = {}
        self.codes: dict[str, dict] = {}
        self.access_tokens: dict[str, str] = {}
        self.lock = threading.Lock()

    def redirect_allowed(self, uri: str) -> bool:
        return any(fnmatchcase(uri, pattern) for pattern in self.redirect_uris)

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "groups"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code"],
        }

    def id_token(self, user: dict, nonce: str | None) -> str:
        faults = user.get("id_token", {})
        now = int(time.time())
        expires_in = int(faults.get("expires_in", TOKEN_LIFETIME))
        claims = {
            **user["claims"],
            "iss": faults.get("iss", self.issuer),
            "aud": faults.get("aud", self.client_id),
            "iat": now if expires_in > 0 else now + expires_in - TOKEN_LIFETIME,
            "exp": now + expires_in,
            "auth_time": now,
        }
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode({"alg": "RS256", "kid": KEY.kid, "typ": "JWT"}, claims, KEY)


def _pkce_matches(verifier: str | None, challenge: str | None, method: str | None) -> bool:
    if not challenge:
        return True
    if not verifier:
        return False
    if method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == challenge
    return verifier == challenge


SIGN_IN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Test provider: sign in</title></head>
<body><main><h1>Test identity provider</h1>{error}
<form method="post" action="/authorize">{hidden}
<label for="username">Username</label> <input id="username" name="username" autocomplete="off">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Continue</button></form></main></body></html>"""


class Handler(BaseHTTPRequestHandler):
    provider: Provider  # set on the subclass the server builds

    def log_message(self, format, *args):  # quiet: the tests read their own assertions
        return

    # --- plumbing ----------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, document: dict, headers=None):
        self._send(status, json.dumps(document).encode(), "application/json", headers)

    def _html(self, status: int, text: str):
        self._send(status, text.encode(), "text/html; charset=utf-8")

    def _redirect(self, location: str):
        self._send(302, b"", "text/plain", {"Location": location})

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return json.loads(raw or "{}")
        return {key: values[0] for key, values in parse_qs(raw).items()}

    # --- routes ------------------------------------------------------------------------------
    def do_GET(self):
        url = urlsplit(self.path)
        query = {key: values[0] for key, values in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            return self._json(200, self.provider.discovery())
        if url.path == "/jwks":
            return self._json(200, {"keys": [KEY.as_dict(private=False)]})
        if url.path == "/authorize":
            return self._authorize_page(query)
        if url.path == "/userinfo":
            return self._userinfo()
        return self._json(404, {"error": "not_found"})

    def do_POST(self):
        path = urlsplit(self.path).path
        form = self._form()
        if path == "/authorize":
            return self._authorize_submit(form)
        if path == "/token":
            return self._token(form)
        if path == "/_test/users":
            with self.provider.lock:
                self.provider.users[form["username"]] = form
            return self._json(201, {"username": form["username"]})
        return self._json(404, {"error": "not_found"})

    def _authorization_error(self, query: dict) -> str | None:
        if query.get("client_id") != self.provider.client_id:
            return "unknown client_id"
        if not self.provider.redirect_allowed(query.get("redirect_uri", "")):
            return f"redirect_uri {query.get('redirect_uri')!r} is not registered"
        if query.get("response_type") != "code":
            return "response_type must be code"
        if "openid" not in query.get("scope", "").split():
            return "scope must include openid"
        return None

    def _authorize_page(self, query: dict, error: str = "", status: int = 200):
        problem = self._authorization_error(query)
        if problem:
            return self._html(400, f"<p>Invalid request: {html.escape(problem)}</p>")
        fields = {k: v for k, v in query.items() if k not in ("username", "password")}
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in fields.items()
        )
        message = f'<p role="alert">{html.escape(error)}</p>' if error else ""
        return self._html(status, SIGN_IN_PAGE.format(error=message, hidden=hidden))

    def _authorize_submit(self, form: dict):
        if self._authorization_error(form):
            return self._authorize_page(form)
        user = self.provider.users.get(form.get("username", ""))
        if user is None or user.get("password") != form.get("password"):
            return self._authorize_page(form, "Wrong username or password.", 200)
        code = secrets.token_urlsafe(24)
        with self.provider.lock:
            self.provider.codes[code] = {
                "username": user["username"],
                "redirect_uri": form["redirect_uri"],
                "nonce": form.get("nonce"),
                "code_challenge": form.get("code_challenge"),
                "code_challenge_method": form.get("code_challenge_method"),
                "expires": time.time() + CODE_LIFETIME,
            }
        params = {"code": code}
        if form.get("state"):
            params["state"] = form["state"]
        return self._redirect(f"{form['redirect_uri']}?{urlencode(params)}")

    def _client_authenticated(self, form: dict) -> bool:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[6:]).decode()
            client_id, _, secret = decoded.partition(":")
        return client_id == self.provider.client_id and secrets.compare_digest(
            secret or "", self.provider.client_secret
        )

    def _token(self, form: dict):
        if not self._client_authenticated(form):
            return self._json(401, {"error": "invalid_client"})
        if form.get("grant_type") != "authorization_code":
            return self._json(400, {"error": "unsupported_grant_type"})
        with self.provider.lock:
            grant = self.provider.codes.pop(form.get("code", ""), None)  # single use
        if grant is None or grant["expires"] < time.time():
            return self._json(400, {"error": "invalid_grant"})
        if grant["redirect_uri"] != form.get("redirect_uri"):
            return self._json(400, {"error": "invalid_grant", "error_description": "redirect_uri"})
        if not _pkce_matches(
            form.get("code_verifier"), grant["code_challenge"], grant["code_challenge_method"]
        ):
            return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
        user = self.provider.users[grant["username"]]
        access_token = secrets.token_urlsafe(24)
        with self.provider.lock:
            self.provider.access_tokens[access_token] = grant["username"]
        return self._json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
                "id_token": self.provider.id_token(user, grant["nonce"]),
            },
        )

    def _userinfo(self):
        header = self.headers.get("Authorization", "")
        username = self.provider.access_tokens.get(header.removeprefix("Bearer ").strip())
        if not header.startswith("Bearer ") or username is None:
            return self._json(401, {"error": "invalid_token"})
        return self._json(200, self.provider.users[username]["claims"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--issuer", default="")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", default=[])
    arguments = parser.parse_args()
    issuer = arguments.issuer or f"http://127.0.0.1:{arguments.port}"
    provider = Provider(
        issuer, arguments.client_id, arguments.client_secret, arguments.redirect_uri
    )
    handler = type("BoundHandler", (Handler,), {"provider": provider})
    server = ThreadingHTTPServer(("127.0.0.1", arguments.port), handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()

"""A real database outage (issue 12, item 11): 503 with Retry-After, then recovery by itself.

A gunicorn worker reaches the test database through a TCP proxy that the test cuts and
restores; nothing in the app is mocked.
"""

import json
import time

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.servers import TcpProxy, app_server, database_url, request

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="an outage needs a database server to cut off (PostgreSQL)",
)


def wait_for(check, seconds=15):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_answers_503_and_the_app_recovers(planner):
    token = Token.objects.create(user=planner).key
    browser = Client()
    browser.force_login(planner)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    db = settings.DATABASES["default"]
    proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    proxy.start()
    try:
        with app_server({"DATABASE_URL": database_url(proxy.port)}) as server:

            def api():
                return request(
                    f"{server}/api/v1/plans/", headers={"Authorization": f"Token {token}"}
                )

            def page():
                return request(f"{server}/", headers={"Cookie": cookie})

            assert api()[0] == 200 and page()[0] == 200
            proxy.stop()
            status, headers, body = api()
            assert status == 503
            assert headers["Retry-After"] == "5"
            assert headers["Content-Type"] == "application/json"
            assert "database cannot be reached" in json.loads(body)["detail"]
            status, headers, body = page()
            assert status == 503
            assert headers["Retry-After"] == "5"
            html = body.decode()
            assert "<h1>Temporarily unavailable</h1>" in html
            assert 'href="/static/css/app.css"' in html  # the site's own styled page
            proxy.start()
            assert wait_for(lambda: api()[0] == 200 and page()[0] == 200)
    finally:
        proxy.stop()

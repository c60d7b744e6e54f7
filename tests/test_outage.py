"""A real database outage (issue 12, item 11): 503 with Retry-After, then recovery by itself.

A gunicorn worker reaches the test database through a TCP proxy that the test cuts and
restores (PostgreSQL), or opens a copy of it in a directory that the test moves away and back
(SQLite); nothing in the app is mocked.
"""

import json
import shutil
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.servers import TcpProxy, app_server, database_url, request


class PostgresOutage:
    """The server reaches PostgreSQL through a proxy: cutting it drops every connection."""

    def __init__(self, tmp_path):
        db = settings.DATABASES["default"]
        self.proxy = TcpProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
        self.proxy.start()
        self.env = {"DATABASE_URL": database_url(self.proxy.port)}

    def begin(self):
        self.proxy.stop()

    def end(self):
        self.proxy.start()

    def close(self):
        self.proxy.stop()


class SqliteOutage:
    """The server opens a copy of the test database; its directory goes away and comes back."""

    def __init__(self, tmp_path):
        self.here, self.away = tmp_path / "db", tmp_path / "db-away"
        self.here.mkdir()
        copy = self.here / "planner.sqlite3"
        shutil.copyfile(connection.settings_dict["NAME"], copy)
        self.env = {"DATABASE_URL": f"sqlite:///{copy}", "CONN_MAX_AGE": "0"}

    def begin(self):
        self.here.rename(self.away)

    def end(self):
        self.away.rename(self.here)

    def close(self):
        pass


def wait_for(check, seconds=15):
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_answers_503_and_the_app_recovers(planner, tmp_path):
    token = Token.objects.create(user=planner).key
    browser = Client()
    browser.force_login(planner)
    cookie = f"{settings.SESSION_COOKIE_NAME}={browser.cookies[settings.SESSION_COOKIE_NAME].value}"
    outage = (PostgresOutage if connection.vendor == "postgresql" else SqliteOutage)(tmp_path)
    try:
        with app_server(outage.env) as server:

            def api():
                return request(
                    f"{server}/api/v1/plans/", headers={"Authorization": f"Token {token}"}
                )

            def page():
                return request(f"{server}/", headers={"Cookie": cookie})

            assert api()[0] == 200 and page()[0] == 200
            outage.begin()
            status, headers, body = api()
            assert status == 503
            assert headers["Retry-After"] == "5"
            assert headers["Content-Type"] == "application/json"
            assert "database cannot be reached" in json.loads(body)["detail"]
            status, headers, body = page()
            assert status == 503
            assert headers["Retry-After"] == "5"
            html = body.decode()
            assert '<h1 id="error-heading">Back in a moment</h1>' in html
            assert "cannot reach its database" in html
            assert 'href="/static/css/app.css"' in html  # the site's own styled page
            outage.end()
            assert wait_for(lambda: api()[0] == 200 and page()[0] == 200)
    finally:
        outage.close()

"""Races with real threads: each runs its call on its own database connection, all released at
once by a barrier; the results (or the exceptions) come back in the order of the calls."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


def race(calls: Sequence[Callable[[], object]], *, timeout: float = 60) -> list[object]:
    """Run every call in its own thread at the same moment; each result, or the exception it
    raised. Every thread closes its database connection when done."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 - handed to the test, which asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a racer did not finish"
    return results


def token_client(user) -> APIClient:
    """An API client of the user, made before the race (the token is created here)."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def statuses(responses: Sequence[object]) -> list[int]:
    """The status codes of a race's responses; an exception is reported as itself."""
    return [getattr(response, "status_code", response) for response in responses]

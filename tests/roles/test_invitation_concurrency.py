"""One invitation link used at the same moment from several browsers: one membership, one
acceptance, the others told the link was used. Real threads, each with its own connection."""

import threading

import pytest
from django.db import connection

from roles import services
from roles.models import Invitation, Membership
from tests.factories import UserFactory

ACCEPTERS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_of_one_link_create_one_membership(standard_catalog, organization):
    issued = services.invitation_create(
        organization=organization, email="nina@example.com", role="planner"
    )
    nina = UserFactory(username="nina", email="nina@example.com")
    barrier = threading.Barrier(ACCEPTERS)
    accepted: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def accept() -> None:
        try:
            barrier.wait(timeout=30)
            accepted.append(services.invitation_accept(token=issued.token, user=nina).pk)
        except services.InvitationRefused as refusal:
            refused.extend(refusal.messages)
        except BaseException as error:  # noqa: BLE001 - reported below, the test must see it
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(ACCEPTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(accepted) == 1
    assert refused == ["This invitation link was already used."] * (ACCEPTERS - 1)
    assert Membership.objects.filter(user=nina, organization=organization).count() == 1
    assert Invitation.history.filter(id=issued.invitation.id, history_type="~").count() == 1

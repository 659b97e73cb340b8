"""One-click unsubscribe (RFC 8058): a signed token, no session; bad tokens change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from digests.models import MailSettings
from digests.tokens import make_unsubscribe_token
from tests.factories import MailSettingsFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def prefs(db):
    prefs = MailSettingsFactory(frequency="weekly")
    prefs.reschedule(NOW)
    prefs.save()
    return prefs


def url(token: str) -> str:
    return f"/mail/unsubscribe/{token}/"


def state(pk: int) -> tuple:
    prefs = MailSettings.objects.get(pk=pk)
    return prefs.frequency, prefs.next_digest_at, prefs.reminders


def test_one_click_post_turns_digests_off_without_a_session(client, prefs):
    with time_machine.travel(NOW, tick=False):
        token = make_unsubscribe_token(prefs.pk, "digest")
        response = client.post(
            url(token),
            "List-Unsubscribe=One-Click",
            content_type="application/x-www-form-urlencoded",
        )
    assert response.status_code == 200
    assert state(prefs.pk) == ("off", None, True)


def test_the_reminders_token_turns_only_reminders_off(client, prefs):
    before = state(prefs.pk)
    with time_machine.travel(NOW, tick=False):
        client.post(url(make_unsubscribe_token(prefs.pk, "reminders")))
    assert state(prefs.pk) == (before[0], before[1], False)


def test_get_shows_a_button_and_changes_nothing(client, prefs):
    before = state(prefs.pk)
    with time_machine.travel(NOW, tick=False):
        response = client.get(url(make_unsubscribe_token(prefs.pk, "digest")))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert state(prefs.pk) == before


def test_a_forged_token_is_refused_and_changes_nothing(client, prefs):
    before = state(prefs.pk)
    token = make_unsubscribe_token(prefs.pk, "digest")
    value, timestamp, signature = token.split(":")
    forged = make_unsubscribe_token(prefs.pk + 1, "digest").split(":")[0]
    for bad in [f"{forged}:{timestamp}:{signature}", token[:-2] + "xx", "nonsense"]:
        with time_machine.travel(NOW, tick=False):
            assert client.post(url(bad)).status_code == 400
    assert state(prefs.pk) == before


def test_an_old_token_is_refused_and_changes_nothing(client, prefs):
    before = state(prefs.pk)
    with time_machine.travel(NOW, tick=False):
        token = make_unsubscribe_token(prefs.pk, "digest")
    with time_machine.travel(NOW + dt.timedelta(days=91), tick=False):
        assert client.post(url(token)).status_code == 400
    assert state(prefs.pk) == before


def test_a_token_signed_for_another_purpose_is_refused(client, prefs):
    from django.core import signing

    token = signing.dumps({"u": prefs.pk, "k": "digest"}, salt="asrhub.digests.verify")
    before = state(prefs.pk)
    assert client.post(url(token)).status_code == 400
    assert state(prefs.pk) == before

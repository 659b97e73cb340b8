"""Verifying an address: on sign-up and on change, with a rate-limited resend."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from digests.models import MailSettings
from tests.digests.conftest import text_of
from tests.factories import MailSettingsFactory, UserFactory
from tests.support.members import sign_up

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)
LINK = re.compile(r"https://asrhub\.example\.org(/accounts/verify/[^/\s]+/)")


def link_in(message) -> str:
    return LINK.search(text_of(message)).group(1)


def test_sign_up_mails_a_verification_link(client, smtp):
    with time_machine.travel(NOW, tick=False):
        assert sign_up(client).status_code == 302
    [message] = smtp.to("newbie@example.org")
    assert message["Subject"] == "Confirm your e-mail address for ASR Hub"
    assert message["List-Unsubscribe"] is None  # a transactional mail, not a list
    prefs = MailSettings.objects.get(user__username="newbie")
    assert not prefs.is_verified
    assert prefs.next_digest_at is None


def test_the_link_verifies_and_turns_weekly_digests_on(client, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
        client.logout()
        response = client.get(link_in(smtp.messages[0].message))  # no session needed
    assert response.status_code == 200
    prefs = MailSettings.objects.get(user__username="newbie")
    assert prefs.is_verified
    assert prefs.frequency == "weekly"
    assert prefs.next_digest_at == dt.datetime(2026, 12, 14, 8, 0, tzinfo=dt.UTC)


def test_an_expired_link_is_refused(client, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
    with time_machine.travel(NOW + dt.timedelta(hours=73), tick=False):
        response = client.get(link_in(smtp.messages[0].message))
    assert response.status_code == 400
    assert not MailSettings.objects.get(user__username="newbie").is_verified


def test_a_forged_link_is_refused(client, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
        path = link_in(smtp.messages[0].message)
        response = client.get(path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:])
    assert response.status_code == 400
    assert not MailSettings.objects.get(user__username="newbie").is_verified


def test_a_changed_address_is_unverified_and_gets_a_new_link(client, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
        client.get(link_in(smtp.messages[0].message))
    old_link = link_in(smtp.messages[0].message)
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        response = client.post(
            "/accounts/settings/", {"display_name": "", "email": "moved@example.org"}
        )
    assert response.status_code == 302
    prefs = MailSettings.objects.get(user__username="newbie")
    assert not prefs.is_verified
    [message] = smtp.to("moved@example.org")
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        assert client.get(old_link).status_code == 400  # the old address's link
        assert not MailSettings.objects.get(pk=prefs.pk).is_verified
        assert client.get(link_in(message)).status_code == 200
    assert MailSettings.objects.get(pk=prefs.pk).verified_email == "moved@example.org"


def test_resend_is_rate_limited(client, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        response = client.post("/accounts/verify/resend/")
    assert response.status_code == 302
    assert len(smtp.messages) == 1
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):
        client.post("/accounts/verify/resend/")
        client.post("/accounts/verify/resend/")
    assert len(smtp.to("newbie@example.org")) == 2


def test_resend_needs_a_login_and_a_post(client, smtp):
    UserFactory(username="someone")
    assert client.post("/accounts/verify/resend/").status_code == 302
    client.force_login(User.objects.get(username="someone"))
    assert client.get("/accounts/verify/resend/").status_code == 405
    assert smtp.messages == []


def test_the_settings_page_saves_the_schedule(client, smtp):
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
        client.get(link_in(smtp.messages[0].message))
        response = client.post(
            "/accounts/settings/mail/",
            {
                "frequency": "daily",
                "weekday": "0",
                "hour": "7",
                "time_zone": "Europe/Berlin",
                "include_posts": "on",
                "reminders": "on",
            },
        )
    assert response.status_code == 302
    prefs = MailSettings.objects.get(user__username="newbie")
    assert (prefs.frequency, prefs.hour, prefs.time_zone) == ("daily", 7, "Europe/Berlin")
    assert prefs.include_deadlines is False
    assert prefs.next_digest_at == dt.datetime(2026, 12, 8, 6, 0, tzinfo=dt.UTC)


def test_the_settings_page_refuses_an_unknown_time_zone(member_client):
    response = member_client.post(
        "/accounts/settings/mail/",
        {"frequency": "daily", "weekday": "0", "hour": "7", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert MailSettings.objects.get().time_zone == "UTC"


def test_the_settings_page_needs_a_login(client):
    response = client.get("/accounts/settings/mail/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sign_up_still_works_when_the_relay_is_down(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_USE_TLS = False
    with time_machine.travel(NOW, tick=False):
        assert sign_up(client).status_code == 302
    prefs = MailSettings.objects.get(user__username="newbie")
    assert prefs.verification_sent_at is None  # so "resend" works at once


def test_the_settings_page_tells_an_unverified_member_and_offers_a_resend(member_client):
    response = member_client.get("/accounts/settings/mail/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not verified yet" in html
    assert 'action="/accounts/verify/resend/"' in html


# An address another account has verified: a second account may claim it but never verify
# it, nothing on the page differs, and the owner gets a notice (through the SMTP test
# server, as every mail here).


def verified_owner(username="owner", email="owner@example.org"):
    return MailSettingsFactory(user=UserFactory(username=username, email=email)).user


def test_sign_up_with_a_verified_address_mails_the_owner_and_answers_as_any_sign_up(client, smtp):
    owner = verified_owner()
    intruder, newbie = Client(), Client()
    with time_machine.travel(NOW, tick=False):
        taken = sign_up(intruder, username="intruder", email="OWNER@example.org")
        fresh = sign_up(newbie, username="newbie", email="newbie@example.org")
        taken_page = intruder.get(taken["Location"], follow=True).content.decode()
        fresh_page = newbie.get(fresh["Location"], follow=True).content.decode()
        resent = intruder.post("/accounts/verify/resend/")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    # The same answer: logged in, welcomed, "we sent a message" (to the owner, a notice).
    assert intruder.session.get("_auth_user_id") and newbie.session.get("_auth_user_id")
    assert "Welcome to ASR Hub, intruder." in taken_page
    assert "We sent a message to OWNER@example.org." in taken_page
    assert "Welcome to ASR Hub, newbie." in fresh_page
    assert "We sent a message to newbie@example.org." in fresh_page
    assert resent.status_code == 302
    [notice] = smtp.to("owner@example.org")  # no link for the intruder, even on resend
    assert notice["Subject"] == "Someone tried to use your e-mail address at ASR Hub"
    body = text_of(notice)
    assert "https://asrhub.example.org/accounts/login/" in body
    assert "https://asrhub.example.org/accounts/password/reset/" in body
    assert "intruder" not in body and owner.username in body
    assert notice["List-Unsubscribe"] is None  # transactional, not a list
    assert [m.rcpt_tos for m in smtp.messages] == [["owner@example.org"], ["newbie@example.org"]]
    assert not MailSettings.objects.filter(user__username="intruder", verified_email__gt="")


def test_the_owner_notice_is_rate_limited(client, smtp):
    verified_owner()
    with time_machine.travel(NOW, tick=False):
        for name in ("first", "second", "third"):
            assert sign_up(Client(), username=name, email="owner@example.org").status_code == 302
    assert len(smtp.to("owner@example.org")) == 1
    assert User.objects.filter(email="owner@example.org").count() == 4  # none verified but one


def test_an_unverified_address_is_no_ones_yet(client, smtp):
    UserFactory(username="squatter", email="shared@example.org")  # never verified it
    with time_machine.travel(NOW, tick=False):
        assert sign_up(client, email="shared@example.org").status_code == 302
    assert User.objects.filter(username="newbie").exists()
    [message] = smtp.to("shared@example.org")
    assert message["Subject"] == "Confirm your e-mail address for ASR Hub"


def test_verifying_an_address_another_account_proved_first_is_refused(client, smtp):
    UserFactory(username="squatter", email="shared@example.org")
    with time_machine.travel(NOW, tick=False):
        sign_up(client, email="shared@example.org")
        link = link_in(smtp.messages[0].message)
        squatter = User.objects.get(username="squatter")
        MailSettingsFactory(user=squatter)  # proved it first
        assert client.get(link).status_code == 400
    assert not MailSettings.objects.get(user__username="newbie").is_verified


OWNER, FREE = "owner@example.org", "free@example.org"


def test_changing_to_another_accounts_verified_address_changes_nothing_and_says_nothing(
    client, smtp
):
    verified_owner()
    with time_machine.travel(NOW, tick=False):
        sign_up(client)
        taken = client.post("/accounts/settings/", {"display_name": "N", "email": OWNER})
        page = client.get("/accounts/settings/").content.decode()
    with time_machine.travel(NOW + dt.timedelta(minutes=11), tick=False):  # past the resend limit
        free = client.post("/accounts/settings/", {"display_name": "N", "email": FREE})
    assert taken.status_code == free.status_code == 302
    assert taken["Location"] == free["Location"]
    assert "We sent a message to owner@example.org." in page
    assert "Another account" not in page and "already" not in page
    [notice] = smtp.to("owner@example.org")
    assert "give another ASR Hub account this e-mail address" in text_of(notice)
    user = User.objects.get(username="newbie")
    assert user.email == "free@example.org" and user.display_name == "N"
    assert len(smtp.to("free@example.org")) == 1  # the verification link for the free one

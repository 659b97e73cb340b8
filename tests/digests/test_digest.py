"""The digest as received over SMTP: structure, headers, content, no repeats."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command

from digests.models import Digest, MailSettings
from tests.digests.conftest import text_of
from tests.factories import (
    BookmarkFactory,
    DeadlineFactory,
    EditionFactory,
    EventFactory,
    FeedEntryFactory,
    FollowFactory,
    MailSettingsFactory,
    ResourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MONDAY_8 = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)  # a Monday


def send(at: dt.datetime, *args: str) -> None:
    with time_machine.travel(at, tick=False):
        call_command("send_digests", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def reader(db):
    """A verified member, weekly on Monday 08:00 UTC, who follows two blogs."""
    with time_machine.travel(MONDAY_8 - dt.timedelta(days=10), tick=False):
        user = UserFactory(username="reader", email="reader@example.org")
        prefs = MailSettingsFactory(user=user)
        prefs.reschedule(MONDAY_8 - dt.timedelta(days=1))
        prefs.save()
        alpha = ResourceFactory(title="Alpha blog", slug="alpha", is_published=True)
        beta = ResourceFactory(title="Beta blog", slug="beta", is_published=True)
        FollowFactory(user=user, resource=alpha)
        FollowFactory(user=user, resource=beta)
    with time_machine.travel(MONDAY_8 - dt.timedelta(days=2), tick=False):
        for n in range(7):
            FeedEntryFactory(resource=alpha, title=f"Alpha post {n}")
        for n in range(2):
            FeedEntryFactory(resource=beta, title=f"Beta post {n}")
    return user


def test_it_is_scheduled_for_the_next_monday_at_eight(reader):
    assert reader.mail_settings.next_digest_at == MONDAY_8


def test_it_sends_one_multipart_digest_with_one_click_unsubscribe(reader, smtp, client):
    send(MONDAY_8)
    [message] = smtp.to("reader@example.org")
    assert message["Subject"] == "Your weekly ASR Hub digest: 7 new posts"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(
        r"<https://asrhub\.example\.org(/mail/unsubscribe/[^/>]+/)>",
        message["List-Unsubscribe"].strip(),  # a long header is folded: unfolded here
    )
    assert match, message["List-Unsubscribe"]
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = text_of(message)
    html = text_of(message, "html")
    assert match.group(1) in text  # the visible link is the same URL
    assert match.group(1) in html
    # No mail carries a session: the header's URL alone unsubscribes.
    response = client.post(match.group(1), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert MailSettings.objects.get(pk=reader.pk).frequency == "off"


def test_the_html_part_has_inline_css_and_no_remote_resources(reader, smtp):
    send(MONDAY_8)
    html = text_of(smtp.to("reader@example.org")[0], "html")
    assert 'style="' in html
    assert "<style" not in html
    assert "<img" not in html
    assert "<link" not in html
    assert "<script" not in html


def test_posts_are_grouped_by_source_at_most_five_with_a_link_to_the_rest(reader, smtp):
    send(MONDAY_8)
    text = text_of(smtp.to("reader@example.org")[0])
    alpha = text.index("Alpha blog\n")
    beta = text.index("Beta blog\n")
    assert alpha < beta
    assert text.count("- Alpha post") == 5
    assert "… and 2 more: https://asrhub.example.org/resources/alpha/" in text
    assert text.count("- Beta post") == 2
    assert Digest.objects.get(user=reader).post_count == 7
    assert len(set(Digest.objects.get(user=reader).post_ids)) == 7


def test_it_never_repeats_a_post(reader, smtp):
    send(MONDAY_8)
    with time_machine.travel(MONDAY_8 + dt.timedelta(hours=1), tick=False):
        FeedEntryFactory(
            resource=reader.follows.get(resource__slug="beta").resource, title="Beta fresh"
        )
    send(MONDAY_8 + dt.timedelta(hours=2), "--now")
    first, second = smtp.to("reader@example.org")
    text = text_of(second)
    assert "- Beta fresh" in text
    assert "Alpha post" not in text and "Beta post" not in text
    assert second["Subject"] == "Your weekly ASR Hub digest: 1 new post"


def test_a_member_with_nothing_new_gets_no_mail(reader, smtp):
    send(MONDAY_8)
    send(MONDAY_8 + dt.timedelta(hours=1), "--now")
    send(MONDAY_8 + dt.timedelta(days=7))
    assert len(smtp.to("reader@example.org")) == 1
    assert MailSettings.objects.get(pk=reader.pk).next_digest_at == MONDAY_8 + dt.timedelta(days=14)


def test_nothing_goes_out_before_the_member_s_hour(reader, smtp):
    send(MONDAY_8 - dt.timedelta(minutes=1))
    assert smtp.messages == []
    send(MONDAY_8)
    assert len(smtp.messages) == 1


def test_an_unverified_address_gets_no_digest(reader, smtp):
    MailSettings.objects.filter(pk=reader.pk).update(verified_email="")
    send(MONDAY_8, "--now")
    assert smtp.messages == []
    assert not Digest.objects.exists()


def test_a_changed_address_gets_no_digest_until_verified(reader, smtp):
    reader.email = "new@example.org"
    reader.save()
    send(MONDAY_8, "--now")
    assert smtp.messages == []


def test_upcoming_deadlines_show_aoe_and_utc(reader, smtp):
    event = EventFactory(name="INTERSPEECH", slug="interspeech")
    edition = EditionFactory(event=event, year=2027, name="INTERSPEECH 2027")
    DeadlineFactory(
        edition=edition,
        kind="paper",
        due_at=dt.datetime(2026, 12, 20, 11, 59, tzinfo=dt.UTC),  # 19 Dec 23:59 AoE
        is_aoe=True,
    )
    BookmarkFactory(user=reader, resource=None, event=event)
    send(MONDAY_8)
    message = smtp.to("reader@example.org")[0]
    text = text_of(message)
    line = (
        "- INTERSPEECH 2027 — Paper submission: Sat 19 Dec 2026, 23:59 AoE (Sun 20 Dec, 11:59 UTC)"
    )
    assert line in text
    assert "https://asrhub.example.org/events/interspeech/" in text
    assert message["Subject"] == "Your weekly ASR Hub digest: 7 new posts, 1 upcoming deadline"


def test_a_deadline_alone_is_news_once(reader, smtp):
    MailSettings.objects.filter(pk=reader.pk).update(include_posts=False)
    event = EventFactory(slug="icassp")
    with time_machine.travel(MONDAY_8 - dt.timedelta(days=20), tick=False):
        DeadlineFactory(
            edition=EditionFactory(event=event, year=2027),
            due_at=MONDAY_8 + dt.timedelta(days=25),  # entered the 30-day window this week
        )
    BookmarkFactory(user=reader, resource=None, event=event)
    send(MONDAY_8)
    send(MONDAY_8 + dt.timedelta(days=7))  # still listed, but nothing new
    assert len(smtp.to("reader@example.org")) == 1

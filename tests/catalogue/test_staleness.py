"""The curators' staleness queue (catalogue/admin_staleness.py) and its filters."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse

from catalogue.admin_staleness import queue_rows
from catalogue.models import Edition, Event, Resource
from tests.factories import (
    EditionFactory,
    EventFactory,
    FeedEntryFactory,
    PersonFactory,
    ResourceFactory,
    UserFactory,
)
from tests.support.admin import run_action

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)
TODAY = NOW.date()
FRESH = TODAY - dt.timedelta(days=10)
OLD = TODAY - dt.timedelta(days=200)
QUEUE = "/admin/catalogue/resource/staleness/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def titles(rows) -> list[str]:
    return [str(row.entry) for row in rows]


def test_it_lists_an_entry_not_checked_for_180_days_and_not_a_fresh_one():
    ResourceFactory(title="Old", checked_on=OLD)
    ResourceFactory(title="Never", checked_on=None)
    ResourceFactory(title="Fresh", checked_on=FRESH)
    rows = queue_rows(NOW)
    assert titles(rows) == ["Never", "Old"]
    assert rows[1].reason_labels == ["not checked for 180 days"]


def test_a_broken_link_comes_before_a_review_before_an_old_check():
    ResourceFactory(title="Old", checked_on=OLD)
    ResourceFactory(title="Doubtful", checked_on=FRESH, needs_review=True, curator_note="?")
    ResourceFactory(title="Dead", checked_on=FRESH, link_health=Resource.LinkHealth.DEAD)
    assert titles(queue_rows(NOW)) == ["Dead", "Doubtful", "Old"]


def test_a_fetched_feed_with_no_post_for_90_days_is_silent():
    quiet = FeedEntryFactory(
        resource__title="Quiet",
        resource__checked_on=FRESH,
        resource__feed_checked_at=NOW,
        published_at=NOW - dt.timedelta(days=100),
    ).resource
    FeedEntryFactory(
        resource__title="Lively",
        resource__checked_on=FRESH,
        resource__feed_checked_at=NOW,
        published_at=NOW - dt.timedelta(days=5),
    )
    # Never fetched yet: not silent, only unknown.
    ResourceFactory(title="Unfetched", checked_on=FRESH, feed_url="https://example.org/f.xml")
    rows = queue_rows(NOW)
    assert titles(rows) == ["Quiet"]
    assert rows[0].entry == quiet and rows[0].reason_labels == ["feed silent for 90 days"]


def test_people_and_events_join_the_queue():
    PersonFactory(name="Ada", checked_on=OLD)
    PersonFactory(name="Bob", checked_on=FRESH)
    event = EventFactory(name="Speechcon", checked_on=FRESH)
    EditionFactory(
        event=event, year=2026, start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 5)
    )
    rows = queue_rows(NOW)
    assert titles(rows) == ["Speechcon", "Ada"]
    assert rows[0].reason_labels == ["last edition passed, no next one"]


def test_an_event_with_a_next_edition_or_an_upcoming_one_is_not_listed():
    with_next = EventFactory(checked_on=FRESH)
    EditionFactory(
        event=with_next, year=2026, start_date=dt.date(2026, 5, 1), end_date=dt.date(2026, 5, 5)
    )
    EditionFactory(event=with_next, year=2027, start_date=None, end_date=None, is_expected=True)
    ongoing = EventFactory(checked_on=FRESH)
    EditionFactory(
        event=ongoing, year=2026, start_date=dt.date(2026, 11, 30), end_date=dt.date(2026, 12, 3)
    )
    EventFactory(checked_on=FRESH)  # no edition at all: nothing has passed
    assert list(Event.objects.without_next_edition(TODAY)) == []


def test_the_queue_page_offers_the_one_action_that_adds_the_expected_edition(curator_client):
    event = EventFactory(name="Speechcon", usual_month=9, checked_on=FRESH)
    EditionFactory(
        event=event, year=2026, start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 5)
    )
    page = curator_client.get(QUEUE)
    assert page.status_code == 200
    assert b"Add the next edition (expected)" in page.content
    response = run_action(curator_client, "add_next_edition", event)
    assert response.status_code == 302
    new = Edition.objects.get(event=event, year=2027)
    assert new.is_expected and new.needs_review and new.start_date is None
    assert "Expected in September 2027" in new.curator_note
    assert b"Nothing needs a look right now." in curator_client.get(QUEUE).content


def test_a_biennial_event_gets_its_next_edition_two_years_on(curator_client):
    event = EventFactory(cadence=Event.Cadence.BIENNIAL, usual_month=12)
    EditionFactory(
        event=event, year=2026, start_date=dt.date(2026, 12, 13), end_date=dt.date(2026, 12, 16)
    )
    run_action(curator_client, "add_next_edition", event)
    assert list(event.editions.values_list("year", flat=True)) == [2028, 2026]


def test_the_queue_takes_a_fixed_number_of_queries(curator_client, django_assert_num_queries):
    for n in range(5):
        ResourceFactory(checked_on=OLD)
        PersonFactory(checked_on=OLD)
        event = EventFactory(checked_on=OLD)
        EditionFactory(event=event, year=2020 + n)
    # session, user, resources, people, events (and the passed-events subquery inside)
    with django_assert_num_queries(5):
        assert curator_client.get(QUEUE).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_view_permission_are_refused(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(QUEUE).status_code == 403


def test_view_only_staff_see_the_queue_without_the_action(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(staff)
    event = EventFactory(checked_on=FRESH)
    EditionFactory(
        event=event, year=2026, start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 5)
    )
    page = client.get(QUEUE)
    assert page.status_code == 200 and event.name.encode() in page.content
    assert b"Add the next edition" not in page.content


def test_the_changelist_filters_match_the_queue(curator_client):
    ResourceFactory(title="Old one", checked_on=OLD)
    ResourceFactory(title="Fresh one", checked_on=FRESH)
    page = curator_client.get(reverse("admin:catalogue_resource_changelist") + "?look=stale")
    assert b"Old one" in page.content and b"Fresh one" not in page.content
    event = EventFactory(name="Passed con")
    EditionFactory(
        event=event, year=2026, start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 9, 5)
    )
    EventFactory(name="Other con")
    page = curator_client.get(reverse("admin:catalogue_event_changelist") + "?next=missing")
    assert b"Passed con" in page.content and b"Other con" not in page.content


def test_mark_checked_sets_today(curator_client):
    resource = ResourceFactory(checked_on=OLD)
    run_action(curator_client, "mark_checked", resource)
    resource.refresh_from_db()
    assert resource.checked_on == TODAY

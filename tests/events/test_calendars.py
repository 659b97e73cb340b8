"""The .ics calendars, parsed back with icalendar and checked against RFC 5545."""

import datetime as dt

import icalendar
import pytest

from catalogue.models import Deadline
from tests.factories import (
    BookmarkFactory,
    DeadlineFactory,
    EditionFactory,
    EventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SITE = "/events/calendar.ics"


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> list:
    return calendar.walk("VEVENT")


def by_summary(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(component["SUMMARY"]): component for component in vevents(calendar)}


@pytest.fixture
def edition(frozen):
    event = EventFactory(name="Speechcon")
    edition = EditionFactory(
        event=event,
        year=2026,
        start_date=dt.date(2026, 8, 24),
        end_date=dt.date(2026, 8, 28),
        city="Sydney",
        country="Australia",
    )
    DeadlineFactory(
        edition=edition,
        kind=Deadline.Kind.PAPER,
        due_at=Deadline.aoe_instant(dt.date(2026, 2, 25), dt.time(23, 59, 59)),
    )
    return edition


@pytest.fixture
def private_url(db):
    def url(user) -> str:
        return f"/u/{user.feed_token}/calendar.ics"

    return url


# Every calendar: the required properties ---------------------------------------
@pytest.fixture(params=["site", "event", "member"])
def any_calendar(request, client, edition, private_url):
    if request.param == "site":
        return client.get(SITE)
    if request.param == "event":
        return client.get(f"/events/{edition.event.slug}/calendar.ics")
    user = UserFactory()
    BookmarkFactory(user=user, resource=None, event=edition.event)
    return client.get(private_url(user))


def test_it_is_served_as_text_calendar_utf8(any_calendar):
    assert any_calendar["Content-Type"] == "text/calendar; charset=utf-8"


def test_it_has_version_and_prodid(any_calendar):
    calendar = parse(any_calendar)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//ASR Hub//Conference calendar//EN"


def test_every_event_has_a_uid_and_a_utc_dtstamp(any_calendar):
    components = vevents(parse(any_calendar))
    assert len(components) == 2
    for component in components:
        assert component["UID"]
        assert component["DTSTAMP"].dt.utcoffset() == dt.timedelta(0)


def test_it_uses_crlf_line_endings_only(any_calendar):
    body = any_calendar.content
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")


def test_no_line_is_longer_than_75_octets(any_calendar):
    assert max(len(line) for line in any_calendar.content.split(b"\r\n")) <= 75


def test_it_asks_clients_to_refresh_twice_a_day(any_calendar):
    body = any_calendar.content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in body
    assert b"X-PUBLISHED-TTL:PT12H\r\n" in body


def test_it_needs_no_vtimezone(any_calendar):
    assert parse(any_calendar).walk("VTIMEZONE") == []


# Editions ---------------------------------------------------------------------------
def test_an_edition_is_an_all_day_event_with_an_exclusive_end(client, edition):
    component = by_summary(parse(client.get(SITE)))["Speechcon 2026"]
    assert component["DTSTART"].dt == dt.date(2026, 8, 24)
    assert component["DTEND"].dt == dt.date(2026, 8, 29)


def test_an_edition_dtstart_is_a_date_value(client, edition):
    assert b"DTSTART;VALUE=DATE:20260824" in client.get(SITE).content


def test_an_edition_has_its_location(client, edition):
    component = by_summary(parse(client.get(SITE)))["Speechcon 2026"]
    assert str(component["LOCATION"]) == "Sydney, Australia"


# Deadlines ---------------------------------------------------------------------------
def deadline_component(client) -> icalendar.Event:
    return by_summary(parse(client.get(SITE)))["Speechcon 2026: Paper submission deadline"]


def test_a_deadline_is_the_utc_instant(client, edition):
    component = deadline_component(client)
    assert component["DTSTART"].dt == dt.datetime(2026, 2, 26, 11, 59, 59, tzinfo=dt.UTC)


def test_a_deadline_is_written_in_utc_form(client, edition):
    assert b"DTSTART:20260226T115959Z" in client.get(SITE).content


def test_a_deadline_has_a_display_alarm_a_day_before(client, edition):
    (alarm,) = deadline_component(client).walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm["DESCRIPTION"]
    assert alarm["TRIGGER"].dt == -dt.timedelta(days=1)


def test_a_deadline_says_aoe_and_utc_in_its_description(client, edition):
    description = str(deadline_component(client)["DESCRIPTION"])
    assert "25 Feb 2026, 23:59 AoE (26 Feb 2026, 11:59 UTC)" in description


def test_a_deadline_carries_its_sequence(client, edition):
    Deadline.objects.update(sequence=3)
    assert deadline_component(client)["SEQUENCE"] == 3


def test_a_changed_deadline_keeps_its_uid_and_raises_its_sequence(client, edition):
    before = deadline_component(client)
    deadline = Deadline.objects.get()
    deadline.due_at += dt.timedelta(days=7)
    deadline.sequence += 1
    deadline.save()
    after = deadline_component(client)
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1


def test_uids_are_stable_and_distinct(client, edition):
    first = [str(c["UID"]) for c in vevents(parse(client.get(SITE)))]
    second = [str(c["UID"]) for c in vevents(parse(client.get(SITE)))]
    assert first == second and len(set(first)) == len(first)


def test_names_are_escaped_by_the_library(client, frozen):
    event = EventFactory(name="Speech; Language, and Text")
    EditionFactory(event=event, year=2026, start_date=dt.date(2026, 5, 1))
    body = client.get(SITE).content
    assert b"SUMMARY:Speech\\; Language\\, and Text 2026" in body


def test_long_lines_are_folded_and_unfold_intact(client, frozen):
    long_name = "A very long conference name " * 5
    event = EventFactory(name=long_name.strip())
    EditionFactory(event=event, year=2026, start_date=dt.date(2026, 5, 1))
    assert f"{long_name.strip()} 2026" in by_summary(parse(client.get(SITE)))


# What each calendar contains ------------------------------------------------------------
def test_the_site_calendar_keeps_a_year_of_past_editions_and_deadlines(client, edition):
    # The clock is frozen at 15 January 2026: 2025 is within a year, 2024 is not.
    recent = EditionFactory(event=edition.event, year=2025, start_date=dt.date(2025, 8, 24))
    DeadlineFactory(edition=recent, due_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    old = EditionFactory(event=edition.event, year=2024, start_date=dt.date(2024, 8, 24))
    DeadlineFactory(edition=old, due_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC))
    summaries = by_summary(parse(client.get(SITE)))
    assert "Speechcon 2025" in summaries
    assert "Speechcon 2025: Paper submission deadline" in summaries
    assert "Speechcon 2024" not in summaries
    assert "Speechcon 2024: Paper submission deadline" not in summaries


def test_calendar_links_use_the_requested_host(client, edition, settings):
    settings.SITE_URL = "https://configured.example"
    settings.ALLOWED_HOSTS = ["asrhub.example"]
    calendar = parse(client.get(SITE, HTTP_HOST="asrhub.example"))
    urls = {str(component["URL"]) for component in vevents(calendar)}
    page = f"http://asrhub.example/events/{edition.event.slug}/#edition-2026"
    assert urls == {page}
    assert b"configured.example" not in client.get(SITE, HTTP_HOST="asrhub.example").content


def test_the_site_calendar_keeps_a_passed_deadline_of_an_upcoming_edition(client, edition):
    DeadlineFactory(edition=edition, kind="abstract", due_at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC))
    assert "Speechcon 2026: Abstract deadline" in by_summary(parse(client.get(SITE)))


def test_the_site_calendar_has_deadlines_of_an_undated_edition(client, frozen):
    undated = EditionFactory(year=2026, start_date=None, end_date=None)
    DeadlineFactory(edition=undated, due_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    summaries = by_summary(parse(client.get(SITE)))
    assert list(summaries) == [f"{undated.event.name} 2026: Paper submission deadline"]


def test_the_site_calendar_leaves_out_unpublished_events(client, edition):
    edition.event.is_published = False
    edition.event.save()
    assert vevents(parse(client.get(SITE))) == []


def test_the_site_calendar_takes_the_event_filters(client, edition):
    other = EventFactory(name="Shopcon", kind="industry")
    EditionFactory(event=other, year=2026, start_date=dt.date(2026, 6, 1))
    summaries = by_summary(parse(client.get(f"{SITE}?kind=industry")))
    assert list(summaries) == ["Shopcon 2026"]


@pytest.mark.parametrize("query", ["kind=bogus", "month=0", "q=" + "y" * 400])
def test_bad_filter_input_on_the_calendar_never_errors(client, edition, query):
    assert client.get(f"{SITE}?{query}").status_code == 200


def test_nul_in_the_calendar_query_is_a_bad_request(client, edition):
    assert client.get(f"{SITE}?topic=%00").status_code == 400


def test_the_event_calendar_has_every_dated_edition(client, edition):
    EditionFactory(event=edition.event, year=2025, start_date=dt.date(2025, 8, 24))
    summaries = by_summary(parse(client.get(f"/events/{edition.event.slug}/calendar.ics")))
    assert {"Speechcon 2025", "Speechcon 2026"} <= set(summaries)


def test_the_event_calendar_of_an_unpublished_event_is_404(client, edition):
    edition.event.is_published = False
    edition.event.save()
    assert client.get(f"/events/{edition.event.slug}/calendar.ics").status_code == 404


def test_the_event_calendar_of_an_unknown_event_is_404(client, db):
    assert client.get("/events/no-such-event/calendar.ics").status_code == 404


def test_the_member_calendar_has_only_bookmarked_events(client, edition, member, private_url):
    other = EventFactory(name="Unbookmarked")
    EditionFactory(event=other, year=2026, start_date=dt.date(2026, 6, 1))
    BookmarkFactory(user=member, resource=None, event=edition.event)
    summaries = by_summary(parse(client.get(private_url(member))))
    assert "Speechcon 2026" in summaries and "Unbookmarked 2026" not in summaries


def test_the_member_calendar_ignores_other_members_bookmarks(
    client, edition, member, other_member, private_url
):
    BookmarkFactory(user=other_member, resource=None, event=edition.event)
    assert vevents(parse(client.get(private_url(member)))) == []


def test_the_member_calendar_needs_no_session(client, edition, member, private_url):
    BookmarkFactory(user=member, resource=None, event=edition.event)
    client.logout()
    assert len(vevents(parse(client.get(private_url(member))))) == 2


def test_the_member_calendar_is_not_cached_publicly(client, member, private_url):
    response = client.get(private_url(member))
    assert response["Cache-Control"].startswith("private")


def test_an_unknown_token_is_404(client, db):
    assert client.get("/u/not-a-real-token/calendar.ics").status_code == 404


def test_a_rotated_token_stops_working(client, member, private_url):
    old = private_url(member)
    member.rotate_feed_token()
    assert client.get(old).status_code == 404


def test_an_inactive_members_calendar_is_404(client, member, private_url):
    member.is_active = False
    member.save()
    assert client.get(private_url(member)).status_code == 404


def test_calendars_refuse_post(client, member, private_url):
    assert client.post(SITE).status_code == 405
    assert client.post(private_url(member)).status_code == 405

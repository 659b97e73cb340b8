"""/events/<slug>/: what the event is, its editions and deadlines, related resources."""

import datetime as dt
import re

import pytest

from tests.factories import (
    DeadlineFactory,
    EditionFactory,
    EventFactory,
    OrganisationFactory,
    ResourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def visible(response) -> str:
    """The page's text, each tag counted as a space (so <dt> and <dd> stay apart)."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def event(frozen):
    organiser = OrganisationFactory(title="ISCA")
    return EventFactory(
        name="Speechcon",
        full_name="The Annual Conference of Speech",
        organiser=organiser,
        usual_month=8,
        usual_month_end=9,
        typical_size=2000,
    )


def test_it_shows_what_the_event_is(client, event):
    text = visible(client.get(event.get_absolute_url()))
    assert "The Annual Conference of Speech" in text and "A conference on speech." in text


def test_it_shows_organiser_cadence_and_size(client, event):
    text = visible(client.get(event.get_absolute_url()))
    assert "Organiser ISCA" in text
    assert "Annual, usually in August–September" in text and "about 2,000 attendees" in text


def test_it_links_a_published_organiser(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{event.organiser.get_absolute_url()}"' in html


def test_it_does_not_link_an_unpublished_organiser(client, event):
    event.organiser.is_published = False
    event.organiser.save()
    html = client.get(event.get_absolute_url()).content.decode()
    assert event.organiser.get_absolute_url() not in html


def test_it_lists_every_edition_newest_first_with_its_deadlines(client, event):
    old = EditionFactory(event=event, year=2025, start_date=dt.date(2025, 8, 17))
    new = EditionFactory(event=event, year=2026, start_date=dt.date(2026, 8, 24))
    DeadlineFactory(edition=old, kind="paper")
    DeadlineFactory(edition=new, kind="camera-ready")
    text = visible(client.get(event.get_absolute_url()))
    assert text.index("Speechcon 2026") < text.index("Speechcon 2025")
    assert (
        text.index("Camera-ready") < text.index("Speechcon 2025") < text.index("Paper submission")
    )


def test_a_passed_deadline_says_passed(client, event):
    edition = EditionFactory(event=event, year=2025, start_date=dt.date(2025, 8, 17))
    DeadlineFactory(edition=edition)
    assert "passed" in visible(client.get(event.get_absolute_url()))


def test_an_undated_edition_says_expected(client, event):
    EditionFactory(event=event, year=2026, start_date=None, end_date=None)
    text = visible(client.get(event.get_absolute_url()))
    assert "dates not announced — expected August–September 2026" in text


def test_a_dated_upcoming_edition_is_not_called_expected(client, event):
    EditionFactory(event=event, year=2026, start_date=dt.date(2026, 8, 24))
    assert "expected" not in visible(client.get(event.get_absolute_url()))


def test_it_shows_related_resources_and_the_organisers_channels(client, event):
    proceedings = ResourceFactory(title="Speechcon Archive")
    event.related_resources.add(proceedings)
    ResourceFactory(title="ISCA on YouTube", organisation=event.organiser)
    text = visible(client.get(event.get_absolute_url()))
    assert "Speechcon Archive" in text and "ISCA on YouTube" in text


def test_it_hides_unpublished_related_resources(client, event):
    event.related_resources.add(ResourceFactory(title="Hidden Archive", is_published=False))
    assert "Hidden Archive" not in visible(client.get(event.get_absolute_url()))


def test_it_shows_topics_linking_to_the_filtered_list(client, event):
    event.topics.add(TopicFactory(slug="streaming", name="Streaming"))
    html = client.get(event.get_absolute_url()).content.decode()
    assert 'href="/events/?topic=streaming"' in html


def test_it_links_the_event_calendar(client, event):
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="/events/{event.slug}/calendar.ics"' in html


def test_it_includes_the_bookmark_controls(client, event):
    response = client.get(event.get_absolute_url())
    assert "partials/actions.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_it_answers_everyone(client, member, event, who):
    if who == "member":
        client.force_login(member)
    assert client.get(event.get_absolute_url()).status_code == 200


def test_an_unpublished_event_is_404(client, event):
    event.is_published = False
    event.save()
    assert client.get(event.get_absolute_url()).status_code == 404


def test_an_unknown_event_is_404(client, db):
    assert client.get("/events/nothing-here/").status_code == 404


def test_query_count_does_not_grow_with_editions(client, event, django_assert_num_queries):
    for year in range(2020, 2027):
        DeadlineFactory(
            edition=EditionFactory(event=event, year=year, start_date=dt.date(year, 8, 1))
        )
    event.related_resources.add(ResourceFactory(), ResourceFactory())
    with django_assert_num_queries(6):
        client.get(event.get_absolute_url())

"""Small faults found in December 2026, each pinned by a test that failed before the fix."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from catalogue.fragments import markdown_html
from catalogue.models import Resource
from tests.factories import (
    EditionFactory,
    EventFactory,
    PackItemFactory,
    PersonFactory,
    ResourceFactory,
    StarterPackFactory,
)
from tests.support.pages import page_text

pytestmark = pytest.mark.django_db


def test_the_interspeech_hashtag_is_not_swallowed_as_a_heading(client):
    call_command("load_catalogue", verbosity=0)
    assert "Follow #INTERSPEECH on X." in page_text(client.get("/events/interspeech/"))


def test_the_attendance_is_printed_once(client):
    event = EventFactory(typical_size=1500, typical_size_note="1,000–1,500 attendees (as of 2025)")
    page = page_text(client.get(event.get_absolute_url()))
    assert page.count("attendees") == 1
    assert "1,000–1,500 attendees (as of 2025)" in page
    bare = EventFactory(typical_size=300)
    assert "about 300 attendees" in page_text(client.get(bare.get_absolute_url()))


@pytest.mark.parametrize(("count", "words"), [(1, "1 person"), (12, "12 people")])
def test_the_people_directory_counts_people_not_persons(client, count, words):
    for _ in range(count):
        PersonFactory()
    page = page_text(client.get("/people/"))
    assert words in page and "persons" not in page


def test_the_pack_markdown_keeps_the_members_order(client):
    pack = StarterPackFactory(slug="ordered", title="Ordered")
    blog_a = ResourceFactory(title="Blog A", kind=Resource.Kind.BLOG)
    podcast = ResourceFactory(title="Podcast B", kind=Resource.Kind.PODCAST)
    blog_c = ResourceFactory(title="Blog C", kind=Resource.Kind.BLOG)
    for position, resource in enumerate([blog_a, podcast, blog_c]):
        PackItemFactory(pack=pack, resource=resource, position=position)
    markdown = client.get(f"{pack.get_absolute_url()}pack.md").content.decode()
    titles = [line.split("]")[0][3:] for line in markdown.splitlines() if line.startswith("- [")]
    assert titles == ["Blog A", "Podcast B", "Blog C"]
    assert markdown.count("## Blog") == 2


def test_every_entry_page_shows_where_its_facts_come_from(client):
    resource = ResourceFactory(
        sources=["https://example.org/announcement", "javascript:alert(1)"],
        checked_on=dt.date(2026, 12, 1),
    )
    response = client.get(resource.get_absolute_url())
    page = page_text(response)
    assert "Sources Checked 1 December 2026. https://example.org/announcement" in page
    # Only http(s) sources become links.
    assert b"javascript:" not in response.content
    never = PersonFactory(sources=[])
    assert "Not checked by a curator yet." in page_text(client.get(never.get_absolute_url()))


def test_a_moved_entry_visits_the_new_address_and_shows_the_old_one(client):
    moved = ResourceFactory(
        url="https://old.example/project",
        status=Resource.Status.MOVED,
        moved_to_url="https://new.example/project",
    )
    response = client.get(moved.get_absolute_url())
    assert b'<a class="button" href="https://new.example/project" rel="noopener">Visit' in (
        response.content
    )
    assert "formerly https://old.example/project" in page_text(response)
    active = ResourceFactory(url="https://here.example/")
    response = client.get(active.get_absolute_url())
    assert b'href="https://here.example/" rel="noopener">Visit' in response.content
    assert "formerly" not in page_text(response)


def test_sources_must_be_http_urls():
    resource = ResourceFactory.build(sources=["ftp://example.org/x"])
    with pytest.raises(ValidationError) as error:
        resource.full_clean(exclude=["slug", "categories", "topics"])
    assert "sources" in error.value.message_dict
    edition = EditionFactory.build(event=EventFactory(), sources="https://not-a-list.example")
    with pytest.raises(ValidationError):
        edition.clean()


def test_a_hashtag_at_the_start_of_a_line_stays_text_not_a_heading():
    html = markdown_html("#INTERSPEECH on X\n\nThe talks.\n#ASRU too")

    assert html.startswith("<p>#INTERSPEECH on X</p>")
    assert "#ASRU too" in html and "<h" not in html
    assert markdown_html("### Agenda") == "<h3>Agenda</h3>"

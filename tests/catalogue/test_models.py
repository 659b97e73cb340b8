import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalogue.models import Deadline, Edition, FeedEntry, Resource
from tests.factories import (
    CategoryFactory,
    DeadlineFactory,
    EditionFactory,
    EventFactory,
    FeedEntryFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


def test_it_refuses_a_moved_resource_without_a_target_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceFactory(status=Resource.Status.MOVED)


def test_it_explains_a_moved_resource_without_a_target():
    resource = ResourceFactory.build(status=Resource.Status.MOVED)
    with pytest.raises(ValidationError) as excinfo:
        resource.clean()
    assert "needs a target" in str(excinfo.value)


def test_it_accepts_a_moved_resource_with_a_url():
    resource = ResourceFactory(status=Resource.Status.MOVED, moved_to_url="https://example.org/new")
    assert resource.moved_target_url == "https://example.org/new"


def test_it_refuses_an_edition_ending_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionFactory(start_date=dt.date(2030, 9, 5), end_date=dt.date(2030, 9, 1))


def test_it_refuses_an_edition_with_only_one_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionFactory(start_date=dt.date(2030, 9, 5), end_date=None)


def test_it_keeps_one_entry_per_resource_and_guid():
    entry = FeedEntryFactory(guid="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedEntry.objects.create(
            resource=entry.resource, guid="same", title="Again", published_at=entry.published_at
        )


def test_it_refuses_a_category_three_levels_deep():
    grandparent = CategoryFactory()
    parent = CategoryFactory(parent=grandparent)
    child = CategoryFactory.build(parent=parent)
    with pytest.raises(ValidationError):
        child.clean()


def test_it_converts_anywhere_on_earth_at_the_date_line():
    instant = Deadline.aoe_instant(dt.date(2026, 2, 25), dt.time(23, 59, 59))
    assert instant == dt.datetime(2026, 2, 26, 11, 59, 59, tzinfo=dt.UTC)


def test_it_lists_only_published_resources():
    ResourceFactory(title="Shown")
    ResourceFactory(title="Hidden", is_published=False)
    assert [r.title for r in Resource.objects.published()] == ["Shown"]


@time_machine.travel(dt.datetime(2030, 6, 1, tzinfo=dt.UTC), tick=False)
def test_it_lists_upcoming_editions_soonest_first():
    event = EventFactory()
    EditionFactory(
        event=event, year=2029, start_date=dt.date(2029, 9, 1), end_date=dt.date(2029, 9, 5)
    )
    later = EditionFactory(event=event, year=2031)
    sooner = EditionFactory(event=event, year=2030)
    EditionFactory(event=event, year=2032, start_date=None, end_date=None)
    assert list(Edition.objects.upcoming()) == [sooner, later]


@time_machine.travel(dt.datetime(2030, 6, 1, tzinfo=dt.UTC), tick=False)
def test_it_lists_upcoming_deadlines():
    past = DeadlineFactory(due_at=dt.datetime(2030, 5, 1, tzinfo=dt.UTC))
    future = DeadlineFactory(due_at=dt.datetime(2030, 7, 1, tzinfo=dt.UTC))
    assert past not in Deadline.objects.upcoming()
    assert list(Deadline.objects.upcoming()) == [future]


def test_it_finds_resources_by_natural_key():
    resource = ResourceFactory(slug="openai-whisper")
    assert Resource.objects.get_by_natural_key("openai-whisper") == resource


@pytest.mark.django_db
def test_a_resource_others_moved_to_cannot_be_deleted():
    from django.db.models import ProtectedError

    from tests.factories import ResourceFactory

    target = ResourceFactory()
    ResourceFactory(status="moved", moved_to=target)
    with pytest.raises(ProtectedError):
        target.delete()

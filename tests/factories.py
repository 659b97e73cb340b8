"""factory-boy factories for every model."""

import datetime as dt

import factory
from django.db import connection
from django.utils import timezone

from accounts.models import Bookmark, Follow, PackItem, StarterPack, User
from catalogue.models import (
    Category,
    Deadline,
    Edition,
    Event,
    FeedEntry,
    Person,
    Resource,
    ResourcePerson,
    Topic,
)
from river.ingest import VECTOR
from river.models import Post, PostSource, PostTopic
from suggestions.models import Suggestion


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    kind = Resource.Kind.BLOG
    url = factory.Sequence(lambda n: f"https://example.org/resource-{n}")
    summary = "A place to read about speech recognition."
    level = Resource.Level.ALL
    cost = Resource.Cost.FREE
    cadence = Resource.Cadence.WEEKLY
    medium = Resource.Medium.READ
    is_published = True

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)


class OrganisationFactory(ResourceFactory):
    kind = Resource.Kind.COMPANY
    title = factory.Sequence(lambda n: f"Company {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    kind = Person.Kind.ACADEMIC
    headline = "Speech researcher"
    is_published = True


class ResourcePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResourcePerson

    resource = factory.SubFactory(ResourceFactory)
    person = factory.SubFactory(PersonFactory)
    role = ResourcePerson.Role.CREATOR


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Conference {n}")
    slug = factory.Sequence(lambda n: f"conference-{n}")
    kind = Event.Kind.ACADEMIC
    summary = "A conference on speech."
    usual_month = 9
    format = Event.Format.IN_PERSON
    is_published = True


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    event = factory.SubFactory(EventFactory)
    year = factory.Sequence(lambda n: 2030 + n)
    start_date = factory.LazyAttribute(lambda e: dt.date(e.year, 9, 1))
    end_date = factory.LazyAttribute(lambda e: dt.date(e.year, 9, 5))
    city = "Lisbon"
    country = "Portugal"


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    edition = factory.SubFactory(EditionFactory)
    kind = Deadline.Kind.PAPER
    due_at = factory.LazyAttribute(lambda d: Deadline.aoe_instant(dt.date(d.edition.year, 3, 1)))
    is_aoe = True


class FeedEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedEntry

    resource = factory.SubFactory(ResourceFactory, feed_url="https://example.org/feed.xml")
    guid = factory.Sequence(lambda n: f"entry-{n}")
    title = factory.Sequence(lambda n: f"Post {n}")
    link = factory.Sequence(lambda n: f"https://example.org/posts/{n}")
    published_at = factory.LazyFunction(timezone.now)


class BookmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bookmark

    user = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory)


class StarterPackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StarterPack

    owner = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Pack {n}")
    slug = factory.Sequence(lambda n: f"pack-{n}")
    visibility = StarterPack.Visibility.PUBLIC


class PackItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackItem

    pack = factory.SubFactory(StarterPackFactory)
    resource = factory.SubFactory(ResourceFactory)
    position = factory.Sequence(lambda n: n)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    user = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory, feed_url="https://example.org/feed.xml")


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    member = factory.SubFactory(UserFactory)
    kind = Suggestion.Kind.NEW_ENTRY
    title = factory.Sequence(lambda n: f"Suggested entry {n}")
    url = factory.Sequence(lambda n: f"https://suggested.example/{n}")
    entry_kind = Resource.Kind.BLOG
    message = "Useful for people starting out in speech recognition."


class MailSettingsFactory(factory.django.DjangoModelFactory):
    """A member whose address is verified, weekly digests (Monday 08:00 UTC)."""

    class Meta:
        model = "digests.MailSettings"

    user = factory.SubFactory(UserFactory)
    verified_email = factory.LazyAttribute(lambda m: m.user.email)
    verified_at = factory.LazyFunction(timezone.now)


class PostFactory(factory.django.DjangoModelFactory):
    """A river post; pass ``sources=[resource, …]`` to say which feeds carried it."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    guid = factory.Sequence(lambda n: f"https://example.org/posts/{n}")
    link = factory.LazyAttribute(lambda p: p.guid)
    canonical_link = factory.LazyAttribute(lambda p: p.guid.removeprefix("https://"))
    title = factory.Sequence(lambda n: f"Post {n}")
    summary = "A post."
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        for resource in extracted or []:
            PostSource.objects.create(
                post=self, resource=resource, guid=self.guid, published_at=self.published_at
            )
        if create and connection.vendor == "postgresql":
            Post.objects.filter(pk=self.pk).update(search_vector=VECTOR)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        for topic in extracted or []:
            PostTopic.objects.create(post=self, topic=topic, published_at=self.published_at)
